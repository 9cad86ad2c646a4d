"""The meetings HTTP API: plan, notify, hold, minute and decide meetings; carry out and
report on action items; inspections' findings; the plenary rule."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query, Request

from services.meetings import handlers, queries
from services.meetings.domain.action_item import ACTION
from services.meetings.domain.approval import ApproveMeeting, DeclineMeeting
from services.meetings.domain.carrying_out import (
    AcceptActionItem,
    ReportProgress,
    SendBackActionItem,
)
from services.meetings.domain.deciding import AdoptWorkPlan, RecordDecision
from services.meetings.domain.holding import HoldMeeting, RecordAttendance
from services.meetings.domain.inspection import RaiseFinding
from services.meetings.domain.meeting import MEETING
from services.meetings.domain.minutes import (
    AmendMinutes,
    ApproveMinutes,
    CirculateMinutes,
    DraftMinutes,
)
from services.meetings.domain.notices import SendNotice, SubmitMaterial
from services.meetings.domain.proposal import MeetingKind, ProposeMeeting
from services.meetings.domain.scheduling import CancelMeeting, ScheduleMeeting
from services.meetings.projections import MEETING_MODELS
from services.meetings.views import (
    ActionItemDetailView,
    ActionItemView,
    ImplementationView,
    MeetingDetailView,
    MeetingSummaryView,
    PlenaryRuleView,
)
from shared.boundary import known_query_only
from shared.commands import add_command_routes
from shared.domain import Command
from shared.envelope import Envelope
from shared.handling import CommandContext
from shared.history import consistent_with, stream_history
from shared.http import (
    CommandContextDep,
    PoolDep,
    RuntimeDep,
    StoreDep,
    current_actor,
    problem_responses,
    runtime,
)
from shared.store import Appended
from shared.values import UNIT_CODE_PATTERN, QueryOffset, UnitCode

MEETING_ID_PATTERN = r"^\d{4}-\d{3}$"
ACTION_ID_PATTERN = r"^[a-z0-9][a-z0-9-]{0,95}$"
MeetingId = Annotated[str, Path(pattern=MEETING_ID_PATTERN, examples=["2024-003"])]
ActionId = Annotated[str, Path(pattern=ACTION_ID_PATTERN, examples=["2024-003-d1-jsj"])]

commands = APIRouter(
    tags=["commands"],
    dependencies=[Depends(known_query_only)],
    responses=problem_responses(400, 401, 403, 404, 409, 412, 413, 422),
)
reads = APIRouter(
    tags=["queries"],
    dependencies=[
        Depends(known_query_only),
        Depends(current_actor),
        Depends(consistent_with(MEETING_MODELS)),
    ],
    responses=problem_responses(401, 404, 422),
)


@commands.post("/meetings", status_code=201)
async def propose_meeting(
    command: ProposeMeeting,
    ctx: CommandContextDep,
    store: StoreDep,
    pool: PoolDep,
) -> Appended:
    """The office proposes a plenary (every active unit invited), a special meeting
    (the convener must approve it) or a joint inspection (with its plan)."""
    return await handlers.propose_new_meeting(store, pool, ctx, command)


async def _run_meeting(
    request: Request, ctx: CommandContext, command: Command, meeting_id: str
) -> Appended:
    rt = runtime(request)
    return await handlers.handle_meeting(rt.store, rt.pool, ctx, command, meeting_id)


async def _run_action(
    request: Request, ctx: CommandContext, command: Command, action_id: str
) -> Appended:
    rt = runtime(request)
    return await handlers.handle_action(rt.store, rt.pool, ctx, command, action_id)


add_command_routes(
    commands,
    prefix="meetings",
    id_pattern=MEETING_ID_PATTERN,
    routes=(
        (
            "approve",
            ApproveMeeting,
            "The convener (on the members roster today) approves a special meeting;"
            " 403 for anyone else, whatever the token claims.",
        ),
        (
            "decline",
            DeclineMeeting,
            "The convener (on the members roster today) declines a special meeting.",
        ),
        (
            "schedule",
            ScheduleMeeting,
            "Set or move date, place and chair; a plenary or special meeting is chaired by the"
            " convener or a deputy convener on that date (from members' roles).",
        ),
        ("cancel", CancelMeeting, "Cancel a meeting not yet held."),
        (
            "send-notice",
            SendNotice,
            "Send a notice naming, per unit, the materials to prepare and when they are due.",
        ),
        (
            "submit-material",
            SubmitMaterial,
            "A unit submits a material asked of it: a document reference and a note.",
        ),
        ("hold", HoldMeeting, "Record that the meeting took place."),
        (
            "record-attendance",
            RecordAttendance,
            "Record per unit and person: present, absent, excused or represented by someone.",
        ),
        ("draft-minutes", DraftMinutes, "Draft the minutes under agenda items."),
        ("circulate-minutes", CirculateMinutes, "Circulate the draft minutes."),
        ("amend-minutes", AmendMinutes, "Amend the minutes, saying why."),
        (
            "approve-minutes",
            ApproveMinutes,
            "The convener or a deputy convener (on the members roster on `approved_on`)"
            " approves the minutes; 403 for anyone else.",
        ),
        (
            "record-decision",
            RecordDecision,
            "Record a decision; each responsible unit gets an action item.",
        ),
        (
            "adopt-work-plan",
            AdoptWorkPlan,
            "A plenary adopts the year's work plan; each task becomes an action item.",
        ),
        (
            "raise-finding",
            RaiseFinding,
            "Record an inspection finding; one about wage arrears becomes a case in cases.",
        ),
    ),
    run=_run_meeting,
)

add_command_routes(
    commands,
    prefix="action-items",
    id_pattern=ACTION_ID_PATTERN,
    routes=(
        (
            "report-progress",
            ReportProgress,
            "The responsible unit reports progress; `is_complete` asks the office to accept it.",
        ),
        ("accept", AcceptActionItem, "The office accepts the item as done."),
        (
            "send-back",
            SendBackActionItem,
            "The office sends the item back with a reason.",
        ),
    ),
    run=_run_action,
)


@reads.get("/meetings")
async def list_meetings(
    pool: PoolDep,
    when: Annotated[Literal["upcoming", "past", "all"], Query()] = "all",
    kind: Annotated[MeetingKind | None, Query()] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[QueryOffset, Query()] = 0,
) -> list[MeetingSummaryView]:
    """Upcoming meetings (soonest first), past meetings (latest first), or all."""
    return await queries.list_meetings(
        pool,
        when=when,
        kind=kind.value if kind else None,
        limit=limit,
        offset=offset,
    )


@reads.get("/plenary-rule")
async def get_plenary_rule(pool: PoolDep, rt: RuntimeDep) -> PlenaryRuleView:
    """When the last plenary was held and whether more than six months have passed (a
    warning: the notice says "in principle")."""
    return await queries.plenary_rule_now(pool, today=datetime.now(rt.zone).date())


@reads.get("/meetings/{meeting_id}")
async def get_meeting(
    meeting_id: MeetingId, store: StoreDep, pool: PoolDep, rt: RuntimeDep
) -> MeetingDetailView:
    """A meeting with agenda, notices and missing materials, attendance, minutes,
    decisions and their action items, findings and the cases they became."""
    return await queries.meeting_detail(
        store, pool, meeting_id, today=datetime.now(rt.zone).date()
    )


@reads.get("/meetings/{meeting_id}/events")
async def meeting_events(
    meeting_id: MeetingId, store: StoreDep, rt: RuntimeDep
) -> list[Envelope]:
    """The meeting's history as CloudEvents."""
    return await stream_history(
        store,
        rt.settings.source,
        rt.settings.service,
        MEETING.stream_id(meeting_id),
        None,
    )


@reads.get("/action-items")
async def list_action_items(
    pool: PoolDep,
    unit: Annotated[str | None, Query(pattern=UNIT_CODE_PATTERN)] = None,
    meeting: Annotated[str | None, Query(pattern=MEETING_ID_PATTERN)] = None,
    open: Annotated[bool | None, Query()] = None,
    overdue: Annotated[bool | None, Query()] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
    offset: Annotated[QueryOffset, Query()] = 0,
) -> list[ActionItemView]:
    """Action items by unit, meeting, open or not, overdue or not; soonest due first."""
    return await queries.action_items(
        pool,
        unit=unit,
        meeting_id=meeting,
        is_open=open,
        is_overdue=overdue,
        limit=limit,
        offset=offset,
    )


@reads.get("/units/{unit}/action-items")
async def unit_action_items(unit: UnitCode, pool: PoolDep) -> list[ActionItemView]:
    """A unit's open action items: what it must carry out and report on."""
    return await queries.action_items(
        pool,
        unit=unit,
        meeting_id=None,
        is_open=True,
        is_overdue=None,
        limit=1000,
        offset=0,
    )


@reads.get("/action-items/{action_id}")
async def get_action_item(action_id: ActionId, store: StoreDep) -> ActionItemDetailView:
    """An action item with its reports and the steps it allows."""
    return await queries.action_item_detail(store, action_id)


@reads.get("/action-items/{action_id}/events")
async def action_item_events(
    action_id: ActionId, store: StoreDep, rt: RuntimeDep
) -> list[Envelope]:
    """The action item's history as CloudEvents."""
    return await stream_history(
        store,
        rt.settings.source,
        rt.settings.service,
        ACTION.stream_id(action_id),
        None,
    )


@reads.get("/implementation")
async def implementation(
    pool: PoolDep,
    by: Annotated[Literal["unit", "meeting"], Query()] = "unit",
) -> list[ImplementationView]:
    """落实率: the share of action items completed, and completed on time, per unit or
    per meeting."""
    return await queries.implementation(pool, by=by)
