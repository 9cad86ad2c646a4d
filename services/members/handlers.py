"""Each members command, the stream it addresses and the outside facts it needs.

Routes, the seed loader and the process manager all run commands through `handle`, so a
command is handled the same way whoever sends it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from services.members import domain
from services.members.domain import JOINT_MEETING, PERSON, UNIT
from shared.domain import Aggregate, Command, Event
from shared.handling import CommandContext, execute, load
from shared.store import Appended, EventStore

Facts = Callable[[EventStore, Any], Awaitable[dict[str, object]]]


async def _no_facts(_store: EventStore, _command: Command) -> dict[str, object]:
    return {}


async def _unit(store: EventStore, command: Any) -> dict[str, object]:
    unit, _ = await load(store, UNIT, command.unit_code)
    return {"unit": unit}


async def _person(store: EventStore, command: Any) -> dict[str, object]:
    person, _ = await load(store, PERSON, command.person_id)
    return {"person": person}


async def _lead_and_office(store: EventStore, command: Any) -> dict[str, object]:
    lead, _ = await load(store, UNIT, command.lead_unit)
    office, _ = await load(store, UNIT, command.office_unit)
    return {"lead_unit": lead, "office_unit": office}


@dataclass(frozen=True)
class Handling:
    """Which aggregate a command addresses, its decide function, the facts it needs."""

    aggregate: Aggregate[Any, Any]
    decide: Callable[..., Sequence[Event]]
    facts: Facts = _no_facts


HANDLING: dict[type[Command], Handling] = {
    domain.AdmitUnit: Handling(UNIT, domain.admit_unit),
    domain.RenameUnit: Handling(UNIT, domain.rename_unit),
    domain.SetUnitDuties: Handling(UNIT, domain.set_unit_duties),
    domain.WithdrawUnit: Handling(UNIT, domain.withdraw_unit),
    domain.AppointPerson: Handling(PERSON, domain.appoint_person, _unit),
    domain.ChangeTitle: Handling(PERSON, domain.change_title),
    domain.MovePerson: Handling(PERSON, domain.move_person, _unit),
    domain.RelievePerson: Handling(PERSON, domain.relieve_person),
    domain.EstablishJointMeeting: Handling(
        JOINT_MEETING, domain.establish_joint_meeting, _lead_and_office
    ),
    domain.SetLeadUnit: Handling(JOINT_MEETING, domain.set_lead_unit, _unit),
    domain.SetOfficeHost: Handling(JOINT_MEETING, domain.set_office_host, _unit),
    domain.GrantRole: Handling(JOINT_MEETING, domain.grant_role, _person),
    domain.EndRole: Handling(JOINT_MEETING, domain.end_role),
    domain.ChangeRole: Handling(JOINT_MEETING, domain.change_role, _person),
    domain.EndRolesOfRelievedPerson: Handling(
        JOINT_MEETING, domain.end_roles_of_relieved_person
    ),
}


async def handle(
    store: EventStore, ctx: CommandContext, command: Command, entity_id: str
) -> Appended:
    """Load the facts the command needs and run it against the entity it addresses."""
    handling = HANDLING[type(command)]
    facts = await handling.facts(store, command)
    decide = partial(handling.decide, **facts) if facts else handling.decide
    return await execute(store, handling.aggregate, entity_id, command, decide, ctx)
