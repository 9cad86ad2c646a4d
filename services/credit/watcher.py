"""The credit watcher: the objection period lapses, sanctions go overdue, listings expire
— each recorded once, however many watchers run."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from zoneinfo import ZoneInfo

import asyncpg

from services.credit.command_facts import CreditContext
from services.credit.command_table import CREDIT_COMMANDS
from services.credit.domain.aggregate import LISTING
from services.credit.domain.deadlines import DeadlineKind
from services.credit.domain.ending import ExpireListing
from services.credit.domain.notice import LapseObjectionPeriod
from services.credit.domain.sanctioning import MarkSanctionOverdue
from shared.command_pipeline import run
from shared.domain import Command
from shared.handling import CommandContext
from shared.store import Appended, EventStore
from shared.watcher import DeadlineWatcher, Due


def _command(kind: DeadlineKind, task_id: str, due: date) -> Command:
    if kind is DeadlineKind.OBJECTION_PERIOD:
        return LapseObjectionPeriod()
    if kind is DeadlineKind.EXPIRY:
        return ExpireListing()
    return MarkSanctionOverdue(task_id=task_id, due=due)


def listing_watcher(
    store: EventStore,
    pool: asyncpg.Pool,
    context: CreditContext,
    *,
    zone: ZoneInfo,
    interval: float,
) -> DeadlineWatcher:
    """A watcher over `listing_deadlines`: periods act the day after their last day,
    an expiry on the day the listing ends (rules.md §4.2)."""

    async def find_due(today: date) -> Sequence[Due]:
        rows = await pool.fetch(
            "SELECT listing_id, kind, task_id, due FROM listing_deadlines"
            " WHERE (kind = 'expiry' AND due <= $1) OR (kind <> 'expiry' AND due < $1)"
            " ORDER BY due LIMIT 1000",
            today,
        )
        return [
            Due(
                entity_id=r["listing_id"],
                stream_id=LISTING.stream_id(r["listing_id"]),
                command=_command(DeadlineKind(r["kind"]), r["task_id"], r["due"]),
                key=f"{r['listing_id']}/{r['kind']}/{r['task_id']}/{r['due'].isoformat()}",
            )
            for r in rows
        ]

    async def run_due(
        ctx: CommandContext, command: Command, listing_id: str
    ) -> Appended:
        return await run(
            CREDIT_COMMANDS,
            command,
            listing_id,
            ctx=ctx,
            store=store,
            pool=pool,
            context=context,
        )

    return DeadlineWatcher(
        store,
        name="listing-deadlines",
        zone=zone,
        interval=interval,
        find_due=find_due,
        run=run_due,
    )
