"""People of the member units: appointed, retitled, moved, relieved (stream `person-<id>`)."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Final, assert_never

from pydantic import BaseModel

from services.members.domain.unit import Unit, require_active_unit
from shared.dates import BusinessDate
from shared.domain import Aggregate, Command, Event
from shared.errors import InvalidInput, InvalidTransition, RuleViolated
from shared.values import Name, PersonId, Text, UnitCode


class PersonStatus(StrEnum):
    """Where a person is in their service; a stream with no events is a NEW person."""

    NEW = "new"
    ACTIVE = "active"
    RELIEVED = "relieved"


class Person(BaseModel, frozen=True):
    """人员: a person who sits for a member unit, as they stand now."""

    status: PersonStatus = PersonStatus.NEW
    name: str = ""
    unit_code: str = ""
    title: str = ""
    appointed_on: date | None = None


class PersonAppointed(Event):
    name: str
    unit_code: str
    title: str
    effective_on: date


class PersonTitleChanged(Event):
    title: str
    effective_on: date


class PersonMoved(Event):
    unit_code: str
    title: str
    effective_on: date


class PersonRelieved(Event):
    reason: str
    effective_on: date


PersonEvent = PersonAppointed | PersonTitleChanged | PersonMoved | PersonRelieved


class AppointPerson(Command):
    person_id: PersonId
    name: Name
    unit_code: UnitCode
    title: Name
    effective_on: BusinessDate


class ChangeTitle(Command):
    title: Name
    effective_on: BusinessDate


class MovePerson(Command):
    unit_code: UnitCode
    title: Name
    effective_on: BusinessDate


class RelievePerson(Command):
    reason: Text
    effective_on: BusinessDate


# The commands each status allows (`allowed` in a refusal; the command table names
# them by their verbs).
ALLOWED_AFTER: Final[dict[PersonStatus, tuple[type[Command], ...]]] = {
    PersonStatus.NEW: (AppointPerson,),
    PersonStatus.ACTIVE: (ChangeTitle, MovePerson, RelievePerson),
    PersonStatus.RELIEVED: (),
}


def evolve(person: Person, event: PersonEvent) -> Person:
    match event:
        case PersonAppointed():
            return Person(
                status=PersonStatus.ACTIVE,
                name=event.name,
                unit_code=event.unit_code,
                title=event.title,
                appointed_on=event.effective_on,
            )
        case PersonTitleChanged(title=title):
            return person.model_copy(update={"title": title})
        case PersonMoved(unit_code=unit_code, title=title):
            return person.model_copy(update={"unit_code": unit_code, "title": title})
        case PersonRelieved():
            return person.model_copy(update={"status": PersonStatus.RELIEVED})
        case _:
            assert_never(event)


def appoint_person(
    person: Person, command: AppointPerson, *, unit: Unit
) -> list[PersonEvent]:
    """Only a new person is appointed, to an active unit; the same appointment again
    changes nothing."""
    appointed = PersonAppointed(
        name=command.name,
        unit_code=command.unit_code,
        title=command.title,
        effective_on=command.effective_on,
    )
    # Loading the seed roster again must be a no-op, not an error.
    if person.status is PersonStatus.ACTIVE and person == evolve(Person(), appointed):
        return []
    if person.status is not PersonStatus.NEW:
        raise _refused(person, "appointed again with different data")
    require_active_unit(unit, field="unit_code", code=command.unit_code)
    return [appointed]


def change_title(person: Person, command: ChangeTitle) -> list[PersonEvent]:
    """Only an active person's title changes, and only to a different one."""
    if person.status is not PersonStatus.ACTIVE:
        raise _refused(person, "given a new title")
    _require_not_before_appointment(person, command.effective_on)
    if command.title == person.title:
        raise RuleViolated("title-unchanged", "The person already has this title.")
    return [PersonTitleChanged(title=command.title, effective_on=command.effective_on)]


def move_person(
    person: Person, command: MovePerson, *, unit: Unit
) -> list[PersonEvent]:
    """Only an active person moves, to another unit that is active."""
    if person.status is not PersonStatus.ACTIVE:
        raise _refused(person, "moved")
    _require_not_before_appointment(person, command.effective_on)
    if command.unit_code == person.unit_code:
        raise RuleViolated("unit-unchanged", "The person already sits for this unit.")
    require_active_unit(unit, field="unit_code", code=command.unit_code)
    return [
        PersonMoved(
            unit_code=command.unit_code,
            title=command.title,
            effective_on=command.effective_on,
        )
    ]


def relieve_person(person: Person, command: RelievePerson) -> list[PersonEvent]:
    """Only an active person is relieved, once; their history stays in the log."""
    if person.status is not PersonStatus.ACTIVE:
        raise _refused(person, "relieved")
    _require_not_before_appointment(person, command.effective_on)
    return [PersonRelieved(reason=command.reason, effective_on=command.effective_on)]


def _require_not_before_appointment(person: Person, effective_on: date) -> None:
    """A person's service changes no earlier than the day they were appointed."""
    if person.appointed_on is not None and effective_on < person.appointed_on:
        raise InvalidInput(
            field="effective_on",
            rule="not_before_appointment",
            detail=f"{effective_on} is before the appointment on {person.appointed_on}.",
        )


def _refused(person: Person, what: str) -> InvalidTransition:
    return InvalidTransition(
        current=person.status,
        allowed=ALLOWED_AFTER[person.status],
        detail=f"The person is {person.status} and cannot be {what}.",
    )


PERSON: Aggregate[Person, PersonEvent] = Aggregate(
    category="person", initial=Person(), evolve=evolve, events=PersonEvent
)
