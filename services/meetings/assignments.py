"""The action items a recorded decision or work plan opens: one AssignActionItem per
task, each under a command id fixed by the item's id, so the request that recorded
the decision and the process manager that follows it open each item once."""

from __future__ import annotations

import uuid
from dataclasses import replace

import asyncpg

from services.meetings.domain.carrying_out import ActionOrigin, AssignActionItem
from services.meetings.domain.deciding import (
    DecisionRecorded,
    WorkPlanAdopted,
    work_plan_source,
)
from services.meetings.domain.meeting import MEETING
from shared.auth import SYSTEM_ACTOR
from shared.command_pipeline import run
from shared.command_table import CommandTable
from shared.handling import CommandContext
from shared.store import Appended, EventStore

TasksRecorded = DecisionRecorded | WorkPlanAdopted

# Action items' command ids derive from their ids: opened once, from the request that
# recorded the decision or from the process manager that follows it, whichever is first.
_ACTION_NAMESPACE = uuid.UUID("5e2d9a41-7c3b-4f8e-a1d6-0b9c8e7f6a52")


async def recorded_by(store: EventStore, appended: Appended) -> TasksRecorded | None:
    """The decision or work plan this command recorded (the first run's, when the
    command is a repeat)."""
    for record in await store.load(appended.stream, after_version=appended.version - 1):
        if record.version == appended.version:
            event = MEETING.decode(
                record.event_type, record.schema_version, record.data
            )
            return event if isinstance(event, TasksRecorded) else None
    return None


def assignments(
    meeting_id: str, recorded: TasksRecorded
) -> list[tuple[str, AssignActionItem]]:
    """Each task's action item id and the command that opens it."""
    if isinstance(recorded, DecisionRecorded):
        origin, source_id = ActionOrigin.DECISION, recorded.decision_id
        assigned_on = recorded.decided_on
    else:
        origin = ActionOrigin.WORK_PLAN
        source_id = work_plan_source(recorded.year)
        assigned_on = recorded.adopted_on
    return [
        (
            task.action_id,
            AssignActionItem(
                meeting_id=meeting_id,
                origin=origin,
                source_id=source_id,
                unit_code=task.unit_code,
                task=task.task,
                due=task.due,
                report_every_days=task.report_every_days,
                case_ids=task.case_ids,
                listing_ids=task.listing_ids,
                assigned_on=assigned_on,
            ),
        )
        for task in recorded.tasks
    ]


async def open_action_items(
    table: CommandTable[None],
    store: EventStore,
    pool: asyncpg.Pool,
    ctx: CommandContext,
    opening: list[tuple[str, AssignActionItem]],
) -> None:
    """Open each action item as the service itself, under a command id fixed by the
    item's id (a repeat returns the first append)."""
    for action_id, command in opening:
        system = replace(
            ctx,
            actor=SYSTEM_ACTOR,
            command_id=uuid.uuid5(_ACTION_NAMESPACE, action_id),
            expected_version=None,
        )
        await run(
            table, command, action_id, ctx=system, store=store, pool=pool, context=None
        )
