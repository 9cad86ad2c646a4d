"""The cases deadline watcher: `DeadlineMissed` once for every limit that has passed."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from zoneinfo import ZoneInfo

import asyncpg

from services.cases.command_table import COMMANDS
from services.cases.domain.case import CASE
from services.cases.domain.escalation import RecordDeadlineMissed
from services.cases.domain.state import DeadlineKind
from services.cases.rules import CaseRules
from shared.command_pipeline import run
from shared.domain import Command
from shared.handling import CommandContext
from shared.store import Appended, EventStore
from shared.watcher import DeadlineWatcher, Due


def case_deadline_watcher(
    store: EventStore,
    pool: asyncpg.Pool,
    rules: CaseRules,
    *,
    zone: ZoneInfo,
    interval: float,
) -> DeadlineWatcher:
    """A watcher over `case_deadlines`: each deadline is keyed by case, kind and due day."""

    async def find_due(today: date) -> Sequence[Due]:
        rows = await pool.fetch(
            "SELECT case_id, kind, due FROM case_deadlines WHERE due < $1 ORDER BY due LIMIT 1000",
            today,
        )
        return [
            Due(
                entity_id=r["case_id"],
                stream_id=CASE.stream_id(r["case_id"]),
                command=RecordDeadlineMissed(
                    kind=DeadlineKind(r["kind"]), due=r["due"]
                ),
                key=f"{r['case_id']}/{r['kind']}/{r['due'].isoformat()}",
            )
            for r in rows
        ]

    async def record(ctx: CommandContext, command: Command, case_id: str) -> Appended:
        return await run(
            COMMANDS, command, case_id, ctx=ctx, store=store, pool=pool, context=rules
        )

    return DeadlineWatcher(
        store,
        name="case-deadlines",
        zone=zone,
        interval=interval,
        find_due=find_due,
        run=record,
    )
