"""The deadline watcher: appends `DeadlineMissed` to a case once a limit has passed —
exactly once per missed deadline, with any number of watchers, across restarts."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import asyncpg
import structlog

from services.cases.domain import DeadlineKind, RecordDeadlineMissed
from services.cases.handlers import handle
from services.cases.rules import CaseRules
from shared.auth import SYSTEM_ACTOR
from shared.errors import ConcurrencyConflict, DomainError
from shared.handling import CommandContext
from shared.store import EventStore

log = structlog.get_logger()

# A missed deadline's command id is fixed by case, kind and due date: a second watcher,
# or the same one after a restart, gets the first answer and writes nothing.
_NAMESPACE = uuid.UUID("4d0b3f5e-2f6a-4c1e-9a7b-6f2e8d1c0a93")


class DeadlineWatcher:
    """Looks for passed deadlines in `case_deadlines` and records each on its case."""

    def __init__(
        self,
        store: EventStore,
        pool: asyncpg.Pool,
        rules: CaseRules,
        *,
        zone: ZoneInfo,
        interval: float,
    ) -> None:
        self.store = store
        self.pool = pool
        self.rules = rules
        self.zone = zone
        self.interval = interval

    async def run(self) -> None:
        """Check every `interval` seconds until cancelled."""
        while True:
            try:
                await self.check_once()
            except (OSError, asyncpg.PostgresError):
                log.exception("deadline_watch_failed")
            await asyncio.sleep(self.interval)

    async def check_once(self) -> int:
        """Record every deadline that passed before today; returns how many were new."""
        now = datetime.now(UTC)
        today = now.astimezone(self.zone).date()
        rows = await self.pool.fetch(
            "SELECT case_id, kind, due FROM case_deadlines WHERE due < $1 ORDER BY due LIMIT 1000",
            today,
        )
        recorded = 0
        for row in rows:
            key = f"{row['case_id']}/{row['kind']}/{row['due'].isoformat()}"
            ctx = CommandContext(
                actor=SYSTEM_ACTOR,
                correlation_id=f"deadline-watch-{today.isoformat()}",
                now=now,
                today=today,
                command_id=uuid.uuid5(_NAMESPACE, key),
            )
            command = RecordDeadlineMissed(
                kind=DeadlineKind(row["kind"]), due=row["due"]
            )
            before = await self.store.version(f"case-{row['case_id']}")
            try:
                appended = await handle(
                    self.store, self.pool, self.rules, ctx, command, row["case_id"]
                )
            except ConcurrencyConflict:
                continue  # another writer moved the case on; the next round looks again
            except DomainError as refused:
                log.warning(
                    "deadline_not_recorded", case=row["case_id"], code=refused.code
                )
                continue
            recorded += int(appended.version > before)
        if recorded:
            log.info("deadlines_missed", recorded=recorded)
        return recorded
