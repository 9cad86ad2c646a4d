"""The members HTTP API: task-based commands and queries of the read models."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import Query

from services.members import queries
from services.members.command_table import MEMBERS_COMMANDS, MembersContext
from services.members.domain.joint_meeting import JOINT_MEETING
from services.members.domain.person import PERSON, PersonStatus
from services.members.domain.unit import UNIT, UnitKind, UnitStatus
from services.members.projections import DIRECTORY
from services.members.views import (
    JointMeetingView,
    PersonView,
    RosterView,
    UnitDetailView,
    UnitStateView,
    UnitView,
)
from shared.command_routes import add_table_routes
from shared.dates import BusinessDate, Moment
from shared.handling import load_as_of
from shared.history import history_route
from shared.http import (
    PoolDep,
    RuntimeDep,
    StoreDep,
)
from shared.routers import command_router, query_router
from shared.values import UNIT_CODE_PATTERN, PersonId, UnitCode

commands = command_router()
reads = query_router(DIRECTORY)


async def _context(rt: RuntimeDep) -> MembersContext:
    return MembersContext(joint_meeting_id=rt.settings.district)


# POST /units, /units/{code}/<verb>, /people, /people/{person_id}/<verb> and
# /joint-meeting/<verb>: one route per routed row of the table.
add_table_routes(commands, MEMBERS_COMMANDS, _context)


@reads.get("/units")
async def list_units(
    pool: PoolDep,
    status: Annotated[UnitStatus | None, Query()] = None,
    kind: Annotated[UnitKind | None, Query()] = None,
) -> list[UnitView]:
    """Member units, optionally by status and kind."""
    return await queries.list_units(pool, status=status, kind=kind)


@reads.get("/units/{code}", response_model=None)
async def get_unit(
    code: UnitCode,
    pool: PoolDep,
    store: StoreDep,
    as_of: Annotated[
        Moment | None, Query(description="state rebuilt from events recorded by then")
    ] = None,
) -> UnitDetailView | UnitStateView:
    """A unit with its duties, former names and people; with `as_of`, its state then."""
    if as_of is None:
        return await queries.get_unit(pool, code)
    unit, version = await load_as_of(store, UNIT, code, as_of)
    return UnitStateView(
        code=code,
        as_of=as_of,
        version=version,
        **unit.model_dump(
            include={"status", "name_zh", "name_en", "kind", "duties", "succeeded_by"}
        ),
    )


history_route(
    reads,
    "/units/{code}/events",
    UNIT,
    id_type=UnitCode,
    name="unit_events",
    description="The unit's history as CloudEvents.",
)


@reads.get("/people")
async def list_people(
    pool: PoolDep,
    unit: Annotated[str | None, Query(pattern=UNIT_CODE_PATTERN)] = None,
    status: Annotated[PersonStatus | None, Query()] = None,
) -> list[PersonView]:
    """People with their current roles, optionally of one unit."""
    return await queries.list_people(pool, unit_code=unit, status=status)


@reads.get("/people/{person_id}")
async def get_person(person_id: PersonId, pool: PoolDep) -> PersonView:
    """A person with their unit, title and current roles."""
    return await queries.get_person(pool, person_id)


history_route(
    reads,
    "/people/{person_id}/events",
    PERSON,
    id_type=PersonId,
    name="person_events",
    description="The person's history as CloudEvents.",
)


@reads.get("/roster")
async def get_roster(
    pool: PoolDep,
    rt: RuntimeDep,
    as_of: Annotated[
        BusinessDate | None, Query(description="the day (default today)")
    ] = None,
) -> RosterView:
    """The roster as it stood on a date: convener, deputy conveners, office director, members."""
    day = as_of or datetime.now(rt.zone).date()
    return await queries.roster(pool, day, joint_meeting_id=rt.settings.district)


@reads.get("/joint-meeting")
async def get_joint_meeting(pool: PoolDep, rt: RuntimeDep) -> JointMeetingView:
    """The joint meeting: lead unit, office host and who is convener now."""
    return await queries.joint_meeting(
        pool, rt.settings.district, today=datetime.now(rt.zone).date()
    )


history_route(
    reads,
    "/joint-meeting/events",
    JOINT_MEETING,
    name="joint_meeting_events",
    description="The joint meeting's history (establishment, lead unit, every role granted and ended).",
)
