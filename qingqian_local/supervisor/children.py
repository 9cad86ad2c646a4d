"""One process `qingqian up` keeps running: how to start it, where it logs, its crashes."""

from __future__ import annotations

import signal
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from qingqian_local.supervisor.restarts import CrashHistory

Launch = Callable[[], "subprocess.Popen[bytes]"]


def describe_exit(returncode: int) -> str:
    """`exited with code 3` or `was killed by SIGKILL`."""
    if returncode < 0:
        try:
            return f"was killed by {signal.Signals(-returncode).name}"
        except ValueError:
            return f"was killed by signal {-returncode}"
    return f"exited with code {returncode}"


@dataclass
class Child:
    """A supervised process: a service replica or the broker."""

    name: str
    log: Path
    launch: Launch
    history: CrashHistory
    port: int | None = None
    is_service: bool = True
    process: subprocess.Popen[bytes] | None = None
    # Where this run's part of the log starts: the cause of a crash is looked for after it.
    log_offset: int = 0
    restart_at: float | None = None

    def start(self) -> None:
        """Start (again); what it writes from now on is this run's log."""
        self.log_offset = self.log.stat().st_size if self.log.exists() else 0
        self.restart_at = None
        self.process = self.launch()

    @property
    def returncode(self) -> int | None:
        """How the current run ended, `None` while it runs (or before it started)."""
        return None if self.process is None else self.process.poll()

    @property
    def is_running(self) -> bool:
        """Whether a started process is alive."""
        return self.process is not None and self.process.poll() is None

    def stop(self, sig: signal.Signals = signal.SIGINT) -> None:
        """Ask the process to stop (it finishes its requests and closes its pools)."""
        if self.is_running:
            assert self.process is not None  # noqa: S101 - is_running says so
            self.process.send_signal(sig)

    def wait(self, timeout: float) -> None:
        """Wait for it to end; kill it when it takes longer than `timeout`."""
        if self.process is None:
            return
        try:
            self.process.wait(max(timeout, 0.0))
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(5)
