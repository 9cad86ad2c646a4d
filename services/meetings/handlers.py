"""Each meetings command with the outside facts its decide function asks for, and the
action items a decision or work plan opens.

Routes, the watcher and the process manager run commands through `handle_meeting` and
`handle_action`."""

from __future__ import annotations

import uuid
from dataclasses import replace
from functools import partial
from typing import Any

import asyncpg

from services.meetings.domain.action_item import ACTION
from services.meetings.domain.approval import (
    ApproveMeeting,
    DeclineMeeting,
    approve_meeting,
    decline_meeting,
)
from services.meetings.domain.carrying_out import (
    AcceptActionItem,
    ActionOrigin,
    AssignActionItem,
    ReportProgress,
    SendBackActionItem,
    accept_action_item,
    assign_action_item,
    report_progress,
    send_back_action_item,
)
from services.meetings.domain.deciding import (
    AdoptWorkPlan,
    DecisionRecorded,
    RecordDecision,
    WorkPlanAdopted,
    adopt_work_plan,
    record_decision,
    work_plan_source,
)
from services.meetings.domain.holding import (
    HoldMeeting,
    RecordAttendance,
    hold_meeting,
    record_attendance,
)
from services.meetings.domain.inspection import RaiseFinding, raise_finding
from services.meetings.domain.meeting import MEETING
from services.meetings.domain.minutes import (
    AmendMinutes,
    ApproveMinutes,
    CirculateMinutes,
    DraftMinutes,
    amend_minutes,
    approve_minutes,
    circulate_minutes,
    draft_minutes,
)
from services.meetings.domain.notices import (
    SendNotice,
    SubmitMaterial,
    send_notice,
    submit_material,
)
from services.meetings.domain.overdue import (
    MarkActionItemOverdue,
    mark_action_item_overdue,
)
from services.meetings.domain.powers import Powers
from services.meetings.domain.proposal import ProposeMeeting, propose_meeting
from services.meetings.domain.scheduling import (
    CancelMeeting,
    ScheduleMeeting,
    cancel_meeting,
    schedule_meeting,
)
from services.meetings.roles import roles_on
from shared.auth import SYSTEM_ACTOR
from shared.commands import Decide, facts_for, value_fact, wanted_facts
from shared.domain import Command
from shared.handling import CommandContext, execute
from shared.numbering import YearlyNumbers, execute_numbered
from shared.store import Appended, EventStore
from shared.unit_directory import active_units

DECIDE: dict[type[Command], Decide] = {
    ProposeMeeting: propose_meeting,
    ApproveMeeting: approve_meeting,
    DeclineMeeting: decline_meeting,
    ScheduleMeeting: schedule_meeting,
    CancelMeeting: cancel_meeting,
    SendNotice: send_notice,
    SubmitMaterial: submit_material,
    HoldMeeting: hold_meeting,
    RecordAttendance: record_attendance,
    DraftMinutes: draft_minutes,
    CirculateMinutes: circulate_minutes,
    AmendMinutes: amend_minutes,
    ApproveMinutes: approve_minutes,
    RecordDecision: record_decision,
    AdoptWorkPlan: adopt_work_plan,
    RaiseFinding: raise_finding,
    AssignActionItem: assign_action_item,
    ReportProgress: report_progress,
    AcceptActionItem: accept_action_item,
    SendBackActionItem: send_back_action_item,
    MarkActionItemOverdue: mark_action_item_overdue,
}
"""Each command's decide function (meetings' first 16, then the action items')."""
WANTS: dict[type[Command], frozenset[str]] = {
    c: wanted_facts(d) for c, d in DECIDE.items()
}

# Action items' command ids derive from their ids: opened once, from the request that
# recorded the decision or from the process manager that follows it, whichever is first.
_ACTION_NAMESPACE = uuid.UUID("5e2d9a41-7c3b-4f8e-a1d6-0b9c8e7f6a52")


async def _facts(
    pool: asyncpg.Pool, ctx: CommandContext, command: Command, meeting_id: str
) -> dict[str, Any]:
    async def units() -> object:
        return await active_units(pool)

    async def chair_roles() -> object:
        chair = getattr(command, "chair_person_id", None)
        day = getattr(command, "scheduled_on", ctx.today)
        return frozenset() if chair is None else await roles_on(pool, chair, day)

    async def powers() -> object:
        # Minutes are approved as of their approval date; every other power is
        # exercised today, in the district's time zone.
        on = command.approved_on if isinstance(command, ApproveMinutes) else ctx.today
        return Powers(
            person=ctx.actor.person,
            token_roles=frozenset(ctx.actor.roles),
            roster_roles=await roles_on(pool, ctx.actor.person, on),
            on=on,
        )

    async def work_plan_years() -> object:
        rows = await pool.fetch(
            "SELECT work_plan_year FROM meetings WHERE work_plan_year IS NOT NULL"
            " AND meeting_id <> $1",
            meeting_id,
        )
        return frozenset(r["work_plan_year"] for r in rows)

    return await facts_for(
        WANTS[type(command)],
        {
            "today": value_fact(ctx.today),
            "units": units,
            "meeting_id": value_fact(meeting_id),
            "chair_roles": chair_roles,
            "unit": value_fact(ctx.actor.unit),
            "work_plan_years": work_plan_years,
            "powers": powers,
        },
    )


async def handle_meeting(
    store: EventStore,
    pool: asyncpg.Pool,
    ctx: CommandContext,
    command: Command,
    meeting_id: str,
) -> Appended:
    """Run a command on a meeting; a decision or work plan opens its action items."""
    facts = await _facts(pool, ctx, command, meeting_id)
    decide = partial(DECIDE[type(command)], **facts)
    is_new = isinstance(command, ProposeMeeting)
    missing = None if is_new else f"meeting {meeting_id} does not exist"
    appended = await execute(
        store, MEETING, meeting_id, command, decide, ctx, not_found=missing
    )
    if isinstance(command, RecordDecision | AdoptWorkPlan):
        recorded = await _recorded_by(store, appended)
        if recorded is not None:
            await open_action_items(store, ctx, meeting_id, recorded)
    return appended


TasksRecorded = DecisionRecorded | WorkPlanAdopted


async def _recorded_by(store: EventStore, appended: Appended) -> TasksRecorded | None:
    """The decision or work plan this command recorded (the first run's, when the
    command is a repeat)."""
    for record in await store.load(appended.stream, after_version=appended.version - 1):
        if record.version == appended.version:
            event = MEETING.decode(
                record.event_type, record.schema_version, record.data
            )
            return event if isinstance(event, TasksRecorded) else None
    return None


async def open_action_items(
    store: EventStore, ctx: CommandContext, meeting_id: str, recorded: TasksRecorded
) -> None:
    """Open one action item per task of a decision or work plan, each under a command
    id fixed by its id."""
    if isinstance(recorded, DecisionRecorded):
        origin, source_id = ActionOrigin.DECISION, recorded.decision_id
        assigned_on = recorded.decided_on
    else:
        origin = ActionOrigin.WORK_PLAN
        source_id = work_plan_source(recorded.year)
        assigned_on = recorded.adopted_on
    for task in recorded.tasks:
        command = AssignActionItem(
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
        )
        system = replace(
            ctx,
            actor=SYSTEM_ACTOR,
            command_id=uuid.uuid5(_ACTION_NAMESPACE, task.action_id),
            expected_version=None,
        )
        await execute(
            store,
            ACTION,
            task.action_id,
            command,
            DECIDE[AssignActionItem],
            system,
        )


async def handle_action(
    store: EventStore,
    pool: asyncpg.Pool,
    ctx: CommandContext,
    command: Command,
    action_id: str,
) -> Appended:
    """Run a command on an action item."""
    facts = await _facts(pool, ctx, command, "")
    decide = partial(DECIDE[type(command)], **facts)
    return await execute(
        store,
        ACTION,
        action_id,
        command,
        decide,
        ctx,
        not_found=f"action item {action_id} does not exist",
    )


# Meeting numbers per year, handed out without gaps: `2024-003`.
MEETING_NUMBERS = YearlyNumbers(
    table="meeting_numbers", entity_id=lambda year, number: f"{year}-{number:03d}"
)


async def propose_new_meeting(
    store: EventStore,
    pool: asyncpg.Pool,
    ctx: CommandContext,
    command: ProposeMeeting,
) -> Appended:
    """Propose a meeting under the next number of its year; a repeated
    Idempotency-Key returns the meeting it proposed the first time."""
    facts = await _facts(pool, ctx, command, "")

    def decide_for(meeting_id: str) -> Decide:
        named = {"meeting_id": meeting_id} if "meeting_id" in facts else {}
        return partial(DECIDE[ProposeMeeting], **(facts | named))

    return await execute_numbered(
        store,
        MEETING,
        command,
        decide_for,
        ctx,
        numbers=MEETING_NUMBERS,
        year=command.proposed_on.year,
    )
