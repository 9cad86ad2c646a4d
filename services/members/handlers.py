"""Each members command with the outside facts its decide function needs.

Routes, the seed loader and the process manager all run commands through here, so a
command is handled the same way whoever sends it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any

from services.members import domain
from services.members.domain import JOINT_MEETING, PERSON, UNIT
from shared.domain import Command
from shared.handling import CommandContext, execute, load
from shared.store import Appended, EventStore


async def admit_unit(
    store: EventStore,
    ctx: CommandContext,
    command: domain.AdmitUnit,
    entity_id: str = "",
) -> Appended:
    """Admit a new member unit."""
    return await execute(store, UNIT, command.code, command, domain.admit_unit, ctx)


async def rename_unit(
    store: EventStore, ctx: CommandContext, command: domain.RenameUnit, entity_id: str
) -> Appended:
    """Rename a unit; its former names stay in the history."""
    return await execute(store, UNIT, entity_id, command, domain.rename_unit, ctx)


async def set_unit_duties(
    store: EventStore,
    ctx: CommandContext,
    command: domain.SetUnitDuties,
    entity_id: str,
) -> Appended:
    """Replace a unit's duty items."""
    return await execute(store, UNIT, entity_id, command, domain.set_unit_duties, ctx)


async def withdraw_unit(
    store: EventStore, ctx: CommandContext, command: domain.WithdrawUnit, entity_id: str
) -> Appended:
    """Withdraw a unit from the joint meeting."""
    return await execute(store, UNIT, entity_id, command, domain.withdraw_unit, ctx)


async def appoint_person(
    store: EventStore,
    ctx: CommandContext,
    command: domain.AppointPerson,
    entity_id: str = "",
) -> Appended:
    """Appoint a person to an active unit."""
    unit, _ = await load(store, UNIT, command.unit_code)
    decide = partial(domain.appoint_person, unit=unit)
    return await execute(store, PERSON, command.person_id, command, decide, ctx)


async def change_title(
    store: EventStore, ctx: CommandContext, command: domain.ChangeTitle, entity_id: str
) -> Appended:
    """Change an active person's title."""
    return await execute(store, PERSON, entity_id, command, domain.change_title, ctx)


async def move_person(
    store: EventStore, ctx: CommandContext, command: domain.MovePerson, entity_id: str
) -> Appended:
    """Move a person to another active unit."""
    unit, _ = await load(store, UNIT, command.unit_code)
    decide = partial(domain.move_person, unit=unit)
    return await execute(store, PERSON, entity_id, command, decide, ctx)


async def relieve_person(
    store: EventStore,
    ctx: CommandContext,
    command: domain.RelievePerson,
    entity_id: str,
) -> Appended:
    """Relieve a person; a process manager then ends their roles."""
    return await execute(store, PERSON, entity_id, command, domain.relieve_person, ctx)


async def establish_joint_meeting(
    store: EventStore,
    ctx: CommandContext,
    command: domain.EstablishJointMeeting,
    entity_id: str,
) -> Appended:
    """Establish the district's joint meeting with its lead unit and office host."""
    lead, _ = await load(store, UNIT, command.lead_unit)
    office, _ = await load(store, UNIT, command.office_unit)
    decide = partial(domain.establish_joint_meeting, lead_unit=lead, office_unit=office)
    return await execute(store, JOINT_MEETING, entity_id, command, decide, ctx)


async def set_lead_unit(
    store: EventStore, ctx: CommandContext, command: domain.SetLeadUnit, entity_id: str
) -> Appended:
    """Make another active unit the lead unit."""
    unit, _ = await load(store, UNIT, command.unit_code)
    decide = partial(domain.set_lead_unit, unit=unit)
    return await execute(store, JOINT_MEETING, entity_id, command, decide, ctx)


async def set_office_host(
    store: EventStore,
    ctx: CommandContext,
    command: domain.SetOfficeHost,
    entity_id: str,
) -> Appended:
    """Move the joint meeting's office to another active unit."""
    unit, _ = await load(store, UNIT, command.unit_code)
    decide = partial(domain.set_office_host, unit=unit)
    return await execute(store, JOINT_MEETING, entity_id, command, decide, ctx)


async def grant_role(
    store: EventStore, ctx: CommandContext, command: domain.GrantRole, entity_id: str
) -> Appended:
    """Grant an active person a role in the joint meeting."""
    person, _ = await load(store, PERSON, command.person_id)
    decide = partial(domain.grant_role, person=person)
    return await execute(store, JOINT_MEETING, entity_id, command, decide, ctx)


async def end_role(
    store: EventStore, ctx: CommandContext, command: domain.EndRole, entity_id: str
) -> Appended:
    """End a role a person holds."""
    return await execute(store, JOINT_MEETING, entity_id, command, domain.end_role, ctx)


async def change_role(
    store: EventStore, ctx: CommandContext, command: domain.ChangeRole, entity_id: str
) -> Appended:
    """End one role and grant another on the same day."""
    person, _ = await load(store, PERSON, command.person_id)
    decide = partial(domain.change_role, person=person)
    return await execute(store, JOINT_MEETING, entity_id, command, decide, ctx)


async def end_roles_of_relieved_person(
    store: EventStore,
    ctx: CommandContext,
    command: domain.EndRolesOfRelievedPerson,
    entity_id: str,
) -> Appended:
    """End every role of a person who was relieved (run by the process manager)."""
    return await execute(
        store,
        JOINT_MEETING,
        entity_id,
        command,
        domain.end_roles_of_relieved_person,
        ctx,
    )


Handler = Callable[[EventStore, CommandContext, Any, str], Awaitable[Appended]]

HANDLERS: dict[type[Command], Handler] = {
    domain.AdmitUnit: admit_unit,
    domain.RenameUnit: rename_unit,
    domain.SetUnitDuties: set_unit_duties,
    domain.WithdrawUnit: withdraw_unit,
    domain.AppointPerson: appoint_person,
    domain.ChangeTitle: change_title,
    domain.MovePerson: move_person,
    domain.RelievePerson: relieve_person,
    domain.EstablishJointMeeting: establish_joint_meeting,
    domain.SetLeadUnit: set_lead_unit,
    domain.SetOfficeHost: set_office_host,
    domain.GrantRole: grant_role,
    domain.EndRole: end_role,
    domain.ChangeRole: change_role,
    domain.EndRolesOfRelievedPerson: end_roles_of_relieved_person,
}


async def handle(
    store: EventStore, ctx: CommandContext, command: Command, entity_id: str
) -> Appended:
    """Run any members command against the entity it addresses."""
    return await HANDLERS[type(command)](store, ctx, command, entity_id)
