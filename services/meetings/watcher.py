"""The action-item watcher: a task past its due date, or a unit that missed a required
progress report, is flagged overdue — once per miss, however many watchers run."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from zoneinfo import ZoneInfo

import asyncpg

from services.meetings.command_table import COMMANDS
from services.meetings.domain.action_item import ACTION
from services.meetings.domain.overdue import MarkActionItemOverdue, OverdueKind
from shared.command_pipeline import run as run_command
from shared.domain import Command
from shared.handling import CommandContext
from shared.store import Appended, EventStore
from shared.watcher import DeadlineWatcher, Due

# Reporting periods one round looks at per item: a long-forgotten item catches up over
# a few rounds instead of one huge one.
_PERIODS_PER_ROUND = 120


def _passed(due: date, every: int | None, kind: str, today: date) -> list[date]:
    """The deadline, and for reporting every later period end that has passed too (the
    domain refuses the periods that had a report)."""
    if kind != OverdueKind.MISSED_REPORT or not every:
        return [due]
    ends: list[date] = []
    end = due
    while end < today and len(ends) < _PERIODS_PER_ROUND:
        ends.append(end)
        end += timedelta(days=every)
    return ends


def action_watcher(
    store: EventStore, pool: asyncpg.Pool, *, zone: ZoneInfo, interval: float
) -> DeadlineWatcher:
    """A watcher over `action_deadlines`: it acts the day after the due date or the last
    day of a reporting period."""

    async def find_due(today: date) -> Sequence[Due]:
        rows = await pool.fetch(
            "SELECT d.action_id, d.kind, d.due, d.version, a.report_every_days"
            " FROM action_deadlines d JOIN action_items a ON a.action_id = d.action_id"
            " WHERE d.due < $1 ORDER BY d.due LIMIT 1000",
            today,
        )
        return [
            Due(
                entity_id=r["action_id"],
                stream_id=ACTION.stream_id(r["action_id"]),
                command=MarkActionItemOverdue(
                    kind=OverdueKind(r["kind"]), missed=missed
                ),
                # The item's version in the key: a miss found moot (the item was done)
                # and revived later (sent back) is looked at again.
                key=f"{r['action_id']}/{r['kind']}/{missed.isoformat()}/v{r['version']}",
            )
            for r in rows
            for missed in _passed(r["due"], r["report_every_days"], r["kind"], today)
        ]

    async def run(ctx: CommandContext, command: Command, action_id: str) -> Appended:
        return await run_command(
            COMMANDS, command, action_id, ctx=ctx, store=store, pool=pool, context=None
        )

    return DeadlineWatcher(
        store,
        name="action-deadlines",
        zone=zone,
        interval=interval,
        find_due=find_due,
        run=run,
    )
