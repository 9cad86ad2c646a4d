"""The meetings HTTP API: plan, notify, hold, minute and decide meetings; carry out and
report on action items; inspections' findings; the plenary rule."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import Query

from services.meetings import plenary_queries, queries
from services.meetings.command_table import (
    COMMANDS,
    MEETING_ID_PATTERN,
    ActionId,
    MeetingId,
)
from services.meetings.domain.action_item import ACTION
from services.meetings.domain.meeting import MEETING
from services.meetings.domain.proposal import MeetingKind
from services.meetings.inbox import meetings_inbox
from services.meetings.projections import MEETING_MODELS
from services.meetings.views import (
    ActionItemDetailView,
    ActionItemView,
    ImplementationView,
    MeetingDetailView,
    MeetingSummaryView,
    PlenaryRuleView,
)
from shared.command_routes import add_table_routes
from shared.history import history_route
from shared.http import (
    PoolDep,
    RuntimeDep,
    StoreDep,
)
from shared.inbox import inbox_route
from shared.routers import command_router, query_router
from shared.values import UNIT_CODE_PATTERN, QueryOffset, UnitCode

commands = command_router()
reads = query_router(MEETING_MODELS)


async def _no_context() -> None:
    # The meetings table needs no service context: its facts come from the scope.
    return None


add_table_routes(commands, COMMANDS, _no_context)


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
    warning: the notice says "in principle"); every half-year since the joint meeting was
    established with no plenary held in it, and the intervals of more than six months."""
    return await plenary_queries.plenary_rule_now(
        pool, today=datetime.now(rt.zone).date()
    )


@reads.get("/meetings/{meeting_id}")
async def get_meeting(
    meeting_id: MeetingId, store: StoreDep, pool: PoolDep, rt: RuntimeDep
) -> MeetingDetailView:
    """A meeting with agenda, notices and missing materials, attendance, minutes,
    decisions and their action items, findings and the cases they became."""
    return await queries.meeting_detail(
        store, pool, meeting_id, today=datetime.now(rt.zone).date()
    )


history_route(
    reads,
    "/meetings/{meeting_id}/events",
    MEETING,
    id_type=MeetingId,
    name="meeting_events",
    description="The meeting's history as CloudEvents.",
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


history_route(
    reads,
    "/action-items/{action_id}/events",
    ACTION,
    id_type=ActionId,
    name="action_item_events",
    description="The action item's history as CloudEvents.",
)


inbox_route(reads, meetings_inbox, name="meetings_inbox")


@reads.get("/implementation")
async def implementation(
    pool: PoolDep,
    by: Annotated[Literal["unit", "meeting"], Query()] = "unit",
) -> list[ImplementationView]:
    """落实率: the share of action items completed, and completed on time, per unit or
    per meeting."""
    return await queries.implementation(pool, by=by)
