"""The supervisor's round: notice a process that ended, say why, start it again after
its backoff, or give up when it crashes too often — and stop everything in order."""

from __future__ import annotations

import signal
import time
from collections.abc import Callable, Sequence

from qingqian_local.supervisor.cause import cause_from_log
from qingqian_local.supervisor.children import Child, describe_exit
from qingqian_local.supervisor.journal import Journal

# How long services get to finish requests and close their pools before being killed.
STOP_GRACE_SECONDS = 15.0


class GaveUp(Exception):
    """A process crashed too often within the window: everything is stopped."""

    def __init__(self, child: Child, *, ending: str, cause: str | None) -> None:
        policy = child.history.policy
        count = "once" if policy.max_crashes == 1 else f"{policy.max_crashes} times"
        super().__init__(
            f"{child.name} crashed {count} within "
            f"{policy.window:g} s; the last time it {ending}: "
            f"{cause or 'no error in its log'} (log: {child.log})"
        )
        self.child = child


class Supervisor:
    """Keeps a set of processes running; `check()` is one round, called every half second."""

    def __init__(
        self,
        children: Sequence[Child],
        *,
        journal: Journal,
        say: Callable[[str], None],
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.children = list(children)
        self.journal = journal
        self.say = say
        self.clock = clock

    def start(self, child: Child) -> None:
        """Start one process and note its pid (an operator's `kill` needs it)."""
        child.start()
        pid = child.process.pid if child.process else None
        self.journal.write(
            "process_started", process=child.name, pid=pid, port=child.port
        )

    def check(self) -> None:
        """Restart what is due; handle what ended since the last round. Raises `GaveUp`."""
        now = self.clock()
        for child in self.children:
            if child.restart_at is not None:
                if now >= child.restart_at:
                    self._restart(child)
                continue
            returncode = child.returncode
            if returncode is not None:
                self._crashed(child, describe_exit(returncode), now)

    def _restart(self, child: Child) -> None:
        try:
            self.start(child)
        except (OSError, RuntimeError, TimeoutError) as exc:
            # A start that fails (the broker not listening in time) is one more crash.
            self._crashed(child, f"did not start ({exc})", self.clock())
            return
        pid = child.process.pid if child.process else None
        self.say(f"{child.name} restarted (pid {pid})")

    def _crashed(self, child: Child, ending: str, now: float) -> None:
        cause = cause_from_log(child.log, since=child.log_offset)
        verdict = child.history.record(now)
        self.journal.write(
            "process_ended",
            process=child.name,
            ending=ending,
            cause=cause,
            crashes_in_window=verdict.crashes_in_window,
            restart_in=None if verdict.is_giving_up else verdict.delay,
        )
        if verdict.is_giving_up:
            raise GaveUp(child, ending=ending, cause=cause)
        child.restart_at = now + verdict.delay
        self.say(
            f"{child.name} {ending} ({cause or 'no error in its log'}) — "
            f"restarting in {verdict.delay:g} s"
        )

    def stop(self) -> None:
        """Stop the services (all at once, each given the grace period), then the broker."""
        services = [c for c in self.children if c.is_service]
        for child in services:
            child.stop(signal.SIGINT)
        deadline = self.clock() + STOP_GRACE_SECONDS
        for child in services:
            child.wait(deadline - self.clock())
        for child in self.children:
            if not child.is_service:
                child.stop(signal.SIGTERM)
                child.wait(10)
        self.journal.write("stopped")
