"""Loading the notice's roster through the commands, on start; twice changes nothing."""

from __future__ import annotations

from datetime import UTC, datetime

import structlog

from services.members.command_table import MEMBERS_COMMANDS, MembersContext
from services.members.seed import load_roster, seed_plan
from shared.auth import Actor
from shared.command_pipeline import run
from shared.domain import Role
from shared.handling import CommandContext
from shared.http import ServiceRuntime

log = structlog.get_logger()

SEED_ACTOR = Actor(
    person="seed", unit="rsj", roles=frozenset({Role.OFFICE, Role.SYSTEM})
)


async def load_seed_roster(rt: ServiceRuntime) -> None:
    """Run every seed step under its fixed command id (repeats are no-ops)."""
    roster = load_roster()
    if roster.joint_meeting.id != rt.settings.district:
        # The 2017 notice is Chengdong's roster: another district starts empty.
        log.warning(
            "seed_roster_skipped",
            district=rt.settings.district,
            roster=roster.joint_meeting.id,
        )
        return
    steps = seed_plan()
    context = MembersContext(joint_meeting_id=rt.settings.district)
    now = datetime.now(UTC)
    written = 0
    for step in steps:
        ctx = CommandContext(
            actor=SEED_ACTOR,
            correlation_id="seed-roster-2017",
            now=now,
            today=now.astimezone(rt.zone).date(),
            command_id=step.command_id,
        )
        before = await rt.store.version(step.aggregate.stream_id(step.entity_id))
        appended = await run(
            MEMBERS_COMMANDS,
            step.command,
            step.entity_id,
            ctx=ctx,
            store=rt.store,
            pool=rt.pool,
            context=context,
        )
        written += max(0, appended.version - before)
    log.info("seed_roster_loaded", steps=len(steps), events_written=written)
