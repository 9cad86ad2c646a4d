"""`qingqian up` run as a process on free ports, its console read line by line as it is
written, and the supervisor's log read back (the pids it started)."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from qingqian_local.embedded import free_port
from tests.support import eventually

ROOT = Path(__file__).resolve().parents[2]
SERVICE_PORTS = {
    "members": 8001,
    "cases": 8002,
    "meetings": 8003,
    "credit": 8004,
    "audit": 8005,
}


class Up:
    """One `qingqian up` process on free ports, its console read as it is written."""

    def __init__(self, home: Path, *flags: str) -> None:
        self.home = home
        self.kafka_port = free_port()
        self.port_offset = free_port() % 1000 + 20_000
        self.flags = flags
        # Settings the next start gives every process (as a user exports them).
        self.extra_env: dict[str, str] = {}
        self.lines: list[str] = []
        self.process: subprocess.Popen[str] | None = None
        self._reader: threading.Thread | None = None

    @property
    def env(self) -> dict[str, str]:
        # The embedded servers, as on a fresh machine.
        env = {
            k: v
            for k, v in os.environ.items()
            if k not in {"DATABASE_URL", "KAFKA_BOOTSTRAP"}
        }
        ours = {"QINGQIAN_HOME": str(self.home), "PYTHONUNBUFFERED": "1"}
        return env | ours | self.extra_env

    @property
    def command(self) -> list[str]:
        ports = ["--kafka-port", str(self.kafka_port)]
        ports += ["--port-offset", str(self.port_offset)]
        return [sys.executable, "-m", "qingqian_local.cli", "up", *ports, *self.flags]

    def port(self, service: str, replica: int = 1) -> int:
        return SERVICE_PORTS[service] + self.port_offset + 100 * (replica - 1)

    def url(self, service: str, replica: int = 1) -> str:
        return f"http://127.0.0.1:{self.port(service, replica)}"

    def start(self) -> None:
        """Start `up` and wait for its 'ready' line."""
        self.process = subprocess.Popen(
            self.command,
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        deadline = time.monotonic() + 90
        while not any(line.startswith("ready") for line in self.lines):
            assert self.process.poll() is None, self.output
            assert time.monotonic() < deadline, self.output
            time.sleep(0.1)

    def _read(self) -> None:
        assert self.process is not None
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    @property
    def output(self) -> str:
        return "\n".join(self.lines)

    @property
    def token(self) -> str:
        return next(line for line in self.lines if re.fullmatch(r"eyJ[\w.-]+", line))

    async def said(self, text: str, *, timeout: float = 30.0) -> None:
        async def appeared() -> bool:
            return any(text in line for line in self.lines)

        await eventually(appeared, timeout=timeout, interval=0.1)

    def journal(self) -> list[dict[str, object]]:
        path = self.home / "supervisor.log"
        return [json.loads(line) for line in path.read_text().splitlines()]

    def pids(self) -> dict[int, str]:
        """Every process the supervisor started, by pid."""
        return {
            int(str(r["pid"])): str(r["process"])
            for r in self.journal()
            if r["event"] == "process_started"
        }

    def pid_of(self, process: str) -> int:
        return max(pid for pid, name in self.pids().items() if name == process)

    def wait(self, timeout: float = 60) -> int:
        assert self.process is not None
        returncode = self.process.wait(timeout)
        if self._reader is not None:
            self._reader.join(10)
        return returncode

    def stop(self) -> None:
        """Ctrl-C, as a person would, and wait until everything stopped; `start()`
        starts again on the same ports and data."""
        assert self.process is not None
        self.process.send_signal(signal.SIGINT)
        assert self.wait() == 0, self.output
        assert self.process.stdout is not None
        self.process.stdout.close()
        self.process = None
        self.lines = []

    def close(self) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.wait()
        if self.process.stdout is not None:
            self.process.stdout.close()


def is_gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False
