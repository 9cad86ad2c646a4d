"""People: given events, when a command, then events or a refusal."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest
from pydantic import ValidationError

from services.members.domain.person import (
    PERSON,
    AppointPerson,
    ChangeTitle,
    MovePerson,
    Person,
    PersonMoved,
    PersonRelieved,
    PersonStatus,
    RelievePerson,
    appoint_person,
    change_title,
    move_person,
    relieve_person,
)
from services.members.domain.unit import UNIT, Unit
from shared.domain import Command, Role
from shared.errors import InvalidInput, InvalidTransition, RuleViolated
from tests.unit.members.factories import (
    FOUNDED,
    LATER,
    active_unit,
    person_appointed,
    person_moved,
    person_relieved,
    person_title_changed,
    unit_admitted,
    unit_withdrawn,
)

NOT_ACTIVE_UNITS = [
    pytest.param(UNIT.replay([]), id="new"),
    pytest.param(UNIT.replay([unit_admitted(), unit_withdrawn()]), id="withdrawn"),
]


def appoint(**overrides: object) -> AppointPerson:
    fields: dict[str, object] = {
        "person_id": "2017-13",
        "name": "赵云靖",
        "unit_code": "rsj",
        "title": "区人力资源和社会保障局副局长",
        "effective_on": FOUNDED,
    }
    return AppointPerson.model_validate(fields | overrides)


def move() -> MovePerson:
    return MovePerson(unit_code="jsj", title="区建设局副局长", effective_on=LATER)


def test_a_person_stream_is_named_after_their_id() -> None:
    assert PERSON.stream_id("2017-13") == "person-2017-13"


def test_a_new_person_is_appointed_to_an_active_unit() -> None:
    person = PERSON.replay([])

    events = appoint_person(person, appoint(), unit=active_unit())

    assert events == [person_appointed()]


@pytest.mark.parametrize("unit", NOT_ACTIVE_UNITS)
def test_a_person_is_appointed_only_to_an_active_unit(unit: Unit) -> None:
    person = PERSON.replay([])

    with pytest.raises(InvalidInput) as refused:
        appoint_person(person, appoint(), unit=unit)

    assert (refused.value.field, refused.value.rule) == ("unit_code", "unit_active")


def test_appointing_an_active_person_again_with_the_same_data_changes_nothing() -> None:
    person = PERSON.replay([person_appointed()])

    events = appoint_person(person, appoint(), unit=active_unit())

    assert events == []


def test_an_active_person_cannot_be_appointed_again_with_different_data() -> None:
    person = PERSON.replay([person_appointed()])

    with pytest.raises(InvalidTransition) as refused:
        appoint_person(
            person, appoint(title="区人力资源和社会保障局局长"), unit=active_unit()
        )

    assert refused.value.current == PersonStatus.ACTIVE
    assert refused.value.allowed == (ChangeTitle, MovePerson, RelievePerson)


def test_a_relieved_person_cannot_be_appointed_again() -> None:
    person = PERSON.replay([person_appointed(), person_relieved()])

    with pytest.raises(InvalidTransition) as refused:
        appoint_person(person, appoint(), unit=active_unit())

    assert refused.value.current == PersonStatus.RELIEVED


@pytest.mark.parametrize("person_id", ["", "a", "-2017", "2017_01", "A-01", "马吉祥"])
def test_a_person_id_is_a_lowercase_ascii_slug(person_id: str) -> None:
    with pytest.raises(ValidationError) as refused:
        appoint(person_id=person_id)

    assert refused.value.errors()[0]["loc"] == ("person_id",)


def test_an_active_person_gets_a_new_title() -> None:
    person = PERSON.replay([person_appointed()])

    events = change_title(
        person, ChangeTitle(title="区人力资源和社会保障局局长", effective_on=LATER)
    )

    assert events == [person_title_changed()]


def test_changing_a_person_to_the_title_they_have_is_refused() -> None:
    person = PERSON.replay([person_appointed()])

    with pytest.raises(RuleViolated) as refused:
        change_title(
            person,
            ChangeTitle(title="区人力资源和社会保障局副局长", effective_on=LATER),
        )

    assert refused.value.code == "title-unchanged"


def test_only_an_active_person_gets_a_new_title() -> None:
    person = PERSON.replay([person_appointed(), person_relieved()])

    with pytest.raises(InvalidTransition) as refused:
        change_title(person, ChangeTitle(title="局长", effective_on=LATER))

    assert refused.value.current == PersonStatus.RELIEVED


def test_an_active_person_moves_to_another_active_unit() -> None:
    person = PERSON.replay([person_appointed()])

    events = move_person(person, move(), unit=active_unit())

    assert events == [
        PersonMoved(unit_code="jsj", title="区建设局副局长", effective_on=LATER)
    ]
    assert PERSON.replay([person_appointed(), person_moved()]).unit_code == "jsj"


@pytest.mark.parametrize("unit", NOT_ACTIVE_UNITS)
def test_a_person_moves_only_to_an_active_unit(unit: Unit) -> None:
    person = PERSON.replay([person_appointed()])

    with pytest.raises(InvalidInput) as refused:
        move_person(person, move(), unit=unit)

    assert (refused.value.field, refused.value.rule) == ("unit_code", "unit_active")


def test_moving_a_person_to_the_unit_they_sit_for_is_refused() -> None:
    person = PERSON.replay([person_appointed()])

    with pytest.raises(RuleViolated) as refused:
        move_person(
            person,
            MovePerson(unit_code="rsj", title="区人社局局长", effective_on=LATER),
            unit=active_unit(),
        )

    assert refused.value.code == "unit-unchanged"


def test_only_an_active_person_moves() -> None:
    person = PERSON.replay([])

    with pytest.raises(InvalidTransition) as refused:
        move_person(person, move(), unit=active_unit())

    assert refused.value.current == PersonStatus.NEW


def test_an_active_person_is_relieved() -> None:
    person = PERSON.replay([person_appointed()])

    events = relieve_person(person, RelievePerson(reason="retired", effective_on=LATER))

    assert events == [PersonRelieved(reason="retired", effective_on=LATER)]


def test_a_relieved_person_cannot_be_relieved_again() -> None:
    person = PERSON.replay([person_appointed(), person_relieved()])

    with pytest.raises(InvalidTransition) as refused:
        relieve_person(person, RelievePerson(reason="retired", effective_on=LATER))

    assert (refused.value.current, refused.value.allowed) == ("relieved", ())


def test_a_new_person_cannot_be_relieved() -> None:
    person = PERSON.replay([])

    with pytest.raises(InvalidTransition) as refused:
        relieve_person(person, RelievePerson(reason="retired", effective_on=LATER))

    assert (refused.value.current, refused.value.allowed) == ("new", (AppointPerson,))


def test_a_relief_needs_a_reason() -> None:
    with pytest.raises(ValidationError) as refused:
        RelievePerson(reason=" ", effective_on=LATER)

    assert refused.value.errors()[0]["loc"] == ("reason",)


@pytest.mark.parametrize(
    "command", [AppointPerson, ChangeTitle, MovePerson, RelievePerson]
)
def test_person_commands_are_run_by_the_office(command: type[Command]) -> None:
    assert command.permitted == frozenset({Role.OFFICE})


def test_the_person_keeps_their_appointment_then_their_new_title_and_unit() -> None:
    titled = PERSON.replay([person_appointed(), person_title_changed()])
    moved = PERSON.replay([person_appointed(), person_moved()])

    assert titled == Person(
        status=PersonStatus.ACTIVE,
        name="赵云靖",
        unit_code="rsj",
        title="区人力资源和社会保障局局长",
        appointed_on=FOUNDED,
    )
    assert (moved.unit_code, moved.title) == ("jsj", "区建设局副局长")


SERVICE_STEPS: dict[str, Callable[[Person, date], object]] = {
    "change_title": lambda p, on: change_title(
        p, ChangeTitle(title="局长", effective_on=on)
    ),
    "move": lambda p, on: move_person(
        p,
        MovePerson(unit_code="jsj", title="副局长", effective_on=on),
        unit=active_unit(),
    ),
    "relieve": lambda p, on: relieve_person(
        p, RelievePerson(reason="调任", effective_on=on)
    ),
}


@pytest.mark.parametrize("step", SERVICE_STEPS.values(), ids=SERVICE_STEPS.keys())
def test_a_person_s_service_changes_no_earlier_than_their_appointment(
    step: Callable[[Person, date], object],
) -> None:
    person = PERSON.replay([person_appointed()])

    with pytest.raises(InvalidInput) as refused:
        step(person, FOUNDED - timedelta(days=1))

    assert (refused.value.field, refused.value.rule) == (
        "effective_on",
        "not_before_appointment",
    )
    assert step(person, FOUNDED) != []
