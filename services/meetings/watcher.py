"""The action-item watcher: a task past its due date, or a unit that missed a required
progress report, is flagged overdue — once per miss, however many watchers run."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from zoneinfo import ZoneInfo

import asyncpg

from services.meetings.domain import ACTION, MarkActionItemOverdue, OverdueKind
from services.meetings.handlers import handle_action
from shared.domain import Command
from shared.handling import CommandContext
from shared.store import Appended, EventStore
from shared.watcher import DeadlineWatcher, Due


def action_watcher(
    store: EventStore, pool: asyncpg.Pool, *, zone: ZoneInfo, interval: float
) -> DeadlineWatcher:
    """A watcher over `action_deadlines`: it acts the day after the due date or the last
    day of a reporting period."""

    async def find_due(today: date) -> Sequence[Due]:
        rows = await pool.fetch(
            "SELECT action_id, kind, due, version FROM action_deadlines WHERE due < $1"
            " ORDER BY due LIMIT 1000",
            today,
        )
        return [
            Due(
                entity_id=r["action_id"],
                stream_id=ACTION.stream_id(r["action_id"]),
                command=MarkActionItemOverdue(
                    kind=OverdueKind(r["kind"]), missed=r["due"]
                ),
                # The item's version in the key: a miss found moot (the item was done)
                # and revived later (sent back) is looked at again.
                key=f"{r['action_id']}/{r['kind']}/{r['due'].isoformat()}/v{r['version']}",
            )
            for r in rows
        ]

    async def run(ctx: CommandContext, command: Command, action_id: str) -> Appended:
        return await handle_action(store, pool, ctx, command, action_id)

    return DeadlineWatcher(
        store,
        name="action-deadlines",
        zone=zone,
        interval=interval,
        find_due=find_due,
        run=run,
    )
