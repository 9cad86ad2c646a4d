"""The members HTTP API: task-based commands and queries of the read models."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from services.members import domain, handlers, queries
from services.members.domain import JOINT_MEETING, PERSON, UNIT
from services.members.projections import DIRECTORY
from services.members.views import (
    JointMeetingView,
    PersonView,
    RosterView,
    UnitDetailView,
    UnitStateView,
    UnitView,
)
from shared.boundary import known_query_only
from shared.dates import BusinessDate, Moment
from shared.handling import load_as_of
from shared.history import consistent_with, history_route
from shared.http import (
    CommandContextDep,
    PoolDep,
    RuntimeDep,
    StoreDep,
    current_actor,
    problem_responses,
)
from shared.store import Appended
from shared.values import UNIT_CODE_PATTERN, PersonId, UnitCode

Consistent = Depends(consistent_with(DIRECTORY))

COMMAND_ERRORS = problem_responses(400, 401, 403, 404, 409, 412, 413, 422)

commands = APIRouter(
    tags=["commands"],
    dependencies=[Depends(known_query_only)],
    responses=COMMAND_ERRORS,
)
reads = APIRouter(
    tags=["queries"],
    dependencies=[Depends(known_query_only), Depends(current_actor), Consistent],
    responses=problem_responses(401, 404, 422),
)


@commands.post("/units", status_code=201)
async def admit_unit(
    command: domain.AdmitUnit, ctx: CommandContextDep, store: StoreDep
) -> Appended:
    """Admit a member unit (office only). 409 if the code is taken by another unit."""
    return await handlers.handle(store, ctx, command, command.code)


@commands.post("/units/{code}/rename")
async def rename_unit(
    code: UnitCode, command: domain.RenameUnit, ctx: CommandContextDep, store: StoreDep
) -> Appended:
    """Rename a unit (e.g. 安监局 → 应急管理局); former names stay in its history."""
    return await handlers.handle(store, ctx, command, code)


@commands.post("/units/{code}/set-duties")
async def set_unit_duties(
    code: UnitCode,
    command: domain.SetUnitDuties,
    ctx: CommandContextDep,
    store: StoreDep,
) -> Appended:
    """Replace a unit's duty items (notice §3)."""
    return await handlers.handle(store, ctx, command, code)


@commands.post("/units/{code}/withdraw")
async def withdraw_unit(
    code: UnitCode,
    command: domain.WithdrawUnit,
    ctx: CommandContextDep,
    store: StoreDep,
) -> Appended:
    """Withdraw a unit, optionally naming its successor. 409 if it is not active."""
    return await handlers.handle(store, ctx, command, code)


@commands.post("/people", status_code=201)
async def appoint_person(
    command: domain.AppointPerson, ctx: CommandContextDep, store: StoreDep
) -> Appended:
    """Appoint a person to an active unit. 422 if the unit is unknown or withdrawn."""
    return await handlers.handle(store, ctx, command, command.person_id)


@commands.post("/people/{person_id}/change-title")
async def change_title(
    person_id: PersonId,
    command: domain.ChangeTitle,
    ctx: CommandContextDep,
    store: StoreDep,
) -> Appended:
    """Change a person's title."""
    return await handlers.handle(store, ctx, command, person_id)


@commands.post("/people/{person_id}/move")
async def move_person(
    person_id: PersonId,
    command: domain.MovePerson,
    ctx: CommandContextDep,
    store: StoreDep,
) -> Appended:
    """Move a person to another active unit with a new title."""
    return await handlers.handle(store, ctx, command, person_id)


@commands.post("/people/{person_id}/relieve")
async def relieve_person(
    person_id: PersonId,
    command: domain.RelievePerson,
    ctx: CommandContextDep,
    store: StoreDep,
) -> Appended:
    """Relieve a person; their roles end the same day. 409 if already relieved."""
    return await handlers.handle(store, ctx, command, person_id)


@commands.post("/joint-meeting/set-lead-unit")
async def set_lead_unit(
    command: domain.SetLeadUnit, ctx: CommandContextDep, store: StoreDep, rt: RuntimeDep
) -> Appended:
    """Make another active unit the lead unit (牵头单位)."""
    return await handlers.handle(store, ctx, command, rt.settings.district)


@commands.post("/joint-meeting/set-office-host")
async def set_office_host(
    command: domain.SetOfficeHost,
    ctx: CommandContextDep,
    store: StoreDep,
    rt: RuntimeDep,
) -> Appended:
    """Move the joint meeting's office to another active unit."""
    return await handlers.handle(store, ctx, command, rt.settings.district)


@commands.post("/joint-meeting/grant-role")
async def grant_role(
    command: domain.GrantRole, ctx: CommandContextDep, store: StoreDep, rt: RuntimeDep
) -> Appended:
    """Grant a role (convener, deputy_convener, office_director, member, liaison).
    409 `one-convener` if someone else is convener."""
    return await handlers.handle(store, ctx, command, rt.settings.district)


@commands.post("/joint-meeting/end-role")
async def end_role(
    command: domain.EndRole, ctx: CommandContextDep, store: StoreDep, rt: RuntimeDep
) -> Appended:
    """End a role a person holds. 409 `role-not-held` otherwise."""
    return await handlers.handle(store, ctx, command, rt.settings.district)


@commands.post("/joint-meeting/change-role")
async def change_role(
    command: domain.ChangeRole, ctx: CommandContextDep, store: StoreDep, rt: RuntimeDep
) -> Appended:
    """End one role and grant another on the same day."""
    return await handlers.handle(store, ctx, command, rt.settings.district)


@reads.get("/units")
async def list_units(
    pool: PoolDep,
    status: Annotated[domain.UnitStatus | None, Query()] = None,
    kind: Annotated[domain.UnitKind | None, Query()] = None,
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
    status: Annotated[domain.PersonStatus | None, Query()] = None,
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
