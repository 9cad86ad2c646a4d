"""A deadline watcher: runs a system command for each time limit that has passed, under a
command id fixed by the limit itself — so a deadline is recorded exactly once, with any
number of watchers running and across restarts."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import structlog

from shared.auth import SYSTEM_ACTOR
from shared.domain import Command
from shared.errors import ConcurrencyConflict, DomainError
from shared.handling import CommandContext
from shared.loops import LoopState, LoopStatus
from shared.store import Appended, EventStore

log = structlog.get_logger()

_NAMESPACE = uuid.UUID("4d0b3f5e-2f6a-4c1e-9a7b-6f2e8d1c0a93")


class Due:
    """One passed time limit: which entity, its stream, the command, a stable key."""

    __slots__ = ("command", "entity_id", "key", "stream_id")

    def __init__(
        self, *, entity_id: str, stream_id: str, command: Command, key: str
    ) -> None:
        self.entity_id = entity_id
        self.stream_id = stream_id
        self.command = command
        self.key = key


class DeadlineWatcher:
    """Every `interval` seconds: find what is due (`find_due`) and run each command."""

    def __init__(
        self,
        store: EventStore,
        *,
        name: str,
        zone: ZoneInfo,
        interval: float,
        find_due: Callable[[date], Awaitable[Sequence[Due]]],
        run: Callable[[CommandContext, Command, str], Awaitable[Appended]],
    ) -> None:
        self.store = store
        self.name = name
        self.zone = zone
        self.interval = interval
        self.find_due = find_due
        self.run_command = run
        # What readiness and operators see of this watcher's loop.
        self.status = LoopStatus(name=name)

    async def run(self) -> None:
        """Check every `interval` seconds until cancelled; raises what a round could
        not handle (run under `supervise`, it is retried with backoff)."""
        while True:
            await self.check_once()
            self.status.set(LoopState.RUNNING)
            await asyncio.sleep(self.interval)

    async def check_once(self) -> int:
        """Run the command of every passed deadline; returns how many wrote events."""
        now = datetime.now(UTC)
        today = now.astimezone(self.zone).date()
        recorded = 0
        for due in await self.find_due(today):
            ctx = CommandContext(
                actor=SYSTEM_ACTOR,
                correlation_id=f"{self.name}-{today.isoformat()}",
                now=now,
                today=today,
                command_id=uuid.uuid5(_NAMESPACE, f"{self.name}/{due.key}"),
            )
            before = await self.store.version(due.stream_id)
            try:
                appended = await self.run_command(ctx, due.command, due.entity_id)
            except ConcurrencyConflict:
                continue  # another writer moved on; the next round looks again
            except DomainError as refused:
                log.warning(
                    "deadline_not_recorded",
                    watcher=self.name,
                    stream=due.stream_id,
                    code=refused.code,
                )
                continue
            recorded += int(appended.version > before)
        if recorded:
            log.info("deadlines_recorded", watcher=self.name, recorded=recorded)
        return recorded
