"""Background loops that never die silently: each runs under `supervise`, which restarts
it with capped backoff after any failure and keeps its state where `/readyz` and
`/operations/projections` read it (running, retrying, stopped; last error; since when)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Protocol

import structlog
from aiokafka.errors import KafkaError

from shared.db import is_unavailable

log = structlog.get_logger()


class LoopState(StrEnum):
    """Where a background loop stands."""

    STARTING = "starting"
    RUNNING = "running"
    # Healthy and idle by design: another process leads (the relay of a replica).
    STANDBY = "standby"
    RETRYING = "retrying"
    STOPPED = "stopped"


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass
class LoopStatus:
    """One loop's state as operators and readiness see it."""

    name: str
    state: LoopState = LoopState.STARTING
    since: datetime = field(default_factory=_now)
    last_error: str | None = None
    last_error_at: datetime | None = None
    restarts: int = 0

    def set(self, state: LoopState, error: BaseException | None = None) -> None:
        """Move to `state` (the time changes only when the state does)."""
        if state is not self.state:
            self.state = state
            self.since = _now()
        if error is not None:
            # The type and message only: never local variables or request data.
            self.last_error = f"{type(error).__name__}: {error}"[:500]
            self.last_error_at = _now()

    @property
    def is_running(self) -> bool:
        """Whether the loop is doing its work right now."""
        return self.state is LoopState.RUNNING

    @property
    def is_healthy(self) -> bool:
        """Whether the loop does what it should: its work, or stand by for a leader."""
        return self.state in (LoopState.RUNNING, LoopState.STANDBY)

    def reason(self) -> str:
        """One line for readiness: the loop, its state, since when, its last error."""
        since = self.since.isoformat(timespec="seconds")
        text = f"{self.name} is {self.state} since {since}"
        return f"{text}: {self.last_error}" if self.last_error else text


class SupervisedLoop(Protocol):
    """A background loop the service runs under `supervise`, with its status."""

    status: LoopStatus

    async def run(self) -> None:
        """Work until stopped; raise what cannot be handled (the supervisor retries)."""


@dataclass(frozen=True)
class Backoff:
    """Capped exponential backoff between tries."""

    first: float = 0.5
    cap: float = 10.0

    def delays(self) -> Callable[[], float]:
        """A fresh sequence of delays: first, 2×first, … up to cap."""
        current = self.first / 2

        def next_delay() -> float:
            nonlocal current
            current = min(current * 2, self.cap)
            return current

        return next_delay


async def supervise(
    status: LoopStatus,
    body: Callable[[], Awaitable[None]],
    *,
    backoff: Backoff = Backoff(),
    healthy_after: float = 30.0,
) -> None:
    """Run `body` until it returns (then the loop is stopped) or is cancelled; after
    any other exception, log it, mark the loop retrying and run it again after a capped
    backoff. A run that lasted `healthy_after` seconds resets the backoff."""
    delay = backoff.delays()
    try:
        while True:
            started = time.monotonic()
            try:
                await body()
            except Exception as exc:  # a loop must outlive every failure
                if time.monotonic() - started > healthy_after:
                    delay = backoff.delays()
                wait = delay()
                status.set(LoopState.RETRYING, exc)
                status.restarts += 1
                _log_failure(status, exc, wait)
                await asyncio.sleep(wait)
                continue
            return
    finally:
        # Returned, or cancelled while it ran or waited to run again.
        status.set(LoopState.STOPPED)


def _log_failure(status: LoopStatus, error: Exception, wait: float) -> None:
    # A database or broker away is expected and passes: a warning. Anything else is a
    # bug, logged once with its traceback.
    if is_unavailable(error) or isinstance(error, KafkaError):
        log.warning(
            "loop_failed", loop=status.name, error=type(error).__name__, retry_in=wait
        )
    else:
        log.exception(
            "loop_failed", loop=status.name, error=type(error).__name__, retry_in=wait
        )
