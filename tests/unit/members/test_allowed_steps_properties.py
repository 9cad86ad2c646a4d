"""The steps a members refusal names as allowed are exactly the steps the decide
functions take: from every unit, person and joint meeting reached by a walk of valid
steps, a step named is taken by a valid command, and a step not named is refused for
the state — as an invalid transition or under a named rule (409 either way) (issue 14).
A valid command is one that changes something (a new name, another unit), built from
the state; the same admission or grant again changes nothing and is no step."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Generic, TypeVar, cast

from hypothesis import given, settings
from hypothesis import strategies as st

from services.members.command_table import MEMBERS_COMMANDS as COMMANDS
from services.members.domain import joint_meeting, person, unit
from services.members.domain.joint_meeting import (
    JOINT_MEETING,
    SINGLE_HOLDER,
    ChangeRole,
    EndRole,
    EstablishJointMeeting,
    GrantRole,
    JointMeeting,
    MeetingRole,
    SetLeadUnit,
    SetOfficeHost,
)
from services.members.domain.person import (
    PERSON,
    AppointPerson,
    ChangeTitle,
    MovePerson,
    Person,
    RelievePerson,
)
from services.members.domain.unit import (
    UNIT,
    AdmitUnit,
    RenameUnit,
    SetUnitDuties,
    Unit,
    UnitKind,
    WithdrawUnit,
)
from shared.domain import Aggregate, Command
from shared.errors import DomainError, InvalidTransition, RuleViolated
from tests.unit.members import factories as f

S = TypeVar("S")

# Every step is dated after every date of the start histories and names active units
# and an active person: only the state can refuse it.
ON = date(2024, 4, 1)
WHY = "原因"
FACTS: dict[str, object] = {
    "unit": f.active_unit(),
    "lead_unit": f.active_unit(),
    "office_unit": f.active_unit(),
    "person": f.active_person(),
}


def _other(code: str) -> str:
    return "jsj" if code != "jsj" else "rsj"


def _unit_steps(state: Unit) -> list[Command]:
    return [
        AdmitUnit(
            code="yjj",
            name_zh="区应急管理局",
            name_en="Emergency",
            kind=UnitKind.BUREAU,
            effective_on=ON,
        ),
        RenameUnit(
            name_zh=f"{state.name_zh}新",
            name_en=f"{state.name_en}new",
            effective_on=ON,
            reason=WHY,
        ),
        SetUnitDuties(duties=(*state.duties, "新职责"), effective_on=ON),
        WithdrawUnit(reason=WHY, effective_on=ON),
    ]


def _person_steps(state: Person) -> list[Command]:
    return [
        AppointPerson(
            person_id="2024-01",
            name="赵云靖",
            unit_code="rsj",
            title="副局长",
            effective_on=ON,
        ),
        ChangeTitle(title=f"{state.title}新", effective_on=ON),
        MovePerson(unit_code=_other(state.unit_code), title="局长", effective_on=ON),
        RelievePerson(reason=WHY, effective_on=ON),
    ]


def _new_role(state: JointMeeting, person_id: str) -> MeetingRole:
    # A role the person does not hold, and no one holds if only one may.
    held = {h.role for h in state.holdings if h.person_id == person_id}
    taken = {h.role for h in state.holdings if h.role in SINGLE_HOLDER}
    free = [r for r in MeetingRole if r not in held | taken]
    return free[0] if free else MeetingRole.MEMBER


def _newcomer(state: JointMeeting) -> str:
    holders = {h.person_id for h in state.holdings}
    return next(p for p in (f"2024-{n:02d}" for n in range(10, 99)) if p not in holders)


def _joint_steps(state: JointMeeting) -> list[Command]:
    holders = [(h.person_id, h.role) for h in state.holdings] or [
        ("2017-01", MeetingRole.CONVENER)
    ]
    return [
        EstablishJointMeeting(
            name="联席会议", lead_unit="rsj", office_unit="rsj", effective_on=ON
        ),
        SetLeadUnit(unit_code=_other(state.lead_unit), effective_on=ON),
        SetOfficeHost(unit_code=_other(state.office_unit), effective_on=ON),
        GrantRole(person_id=_newcomer(state), role=MeetingRole.MEMBER, effective_on=ON),
        *(
            EndRole(person_id=p, role=r, effective_on=ON, reason=WHY)
            for p, r in holders
        ),
        *(
            ChangeRole(
                person_id=p, from_role=r, to_role=_new_role(state, p), effective_on=ON
            )
            for p, r in holders
        ),
    ]


@dataclass(frozen=True)
class Walks(Generic[S]):
    """An aggregate, its start histories, the valid steps from a state, and the steps
    a refusal names as allowed."""

    aggregate: Aggregate[S, Any]
    starts: tuple[Sequence[Any], ...]
    steps: Callable[[S], list[Command]]
    allowed: Callable[[S], tuple[type[Command], ...]]


UNITS = Walks(
    UNIT,
    ((), [f.unit_admitted()], [f.unit_admitted(), f.unit_withdrawn()]),
    _unit_steps,
    lambda u: unit.ALLOWED_AFTER[u.status],
)
PEOPLE = Walks(
    PERSON,
    ((), [f.person_appointed()], [f.person_appointed(), f.person_relieved()]),
    _person_steps,
    lambda p: person.ALLOWED_AFTER[p.status],
)
JOINT = Walks(
    JOINT_MEETING,
    (
        (),
        [f.joint_meeting_established()],
        [f.joint_meeting_established(), f.role_granted()],
        [f.joint_meeting_established(), f.role_granted(), f.role_ended()],
    ),
    _joint_steps,
    joint_meeting.allowed_steps,
)


def _decide(state: object, command: Command) -> list[Any]:
    row = COMMANDS.row(type(command))
    facts = {fact.name: FACTS[fact.name] for fact in row.facts}
    return list(cast("Any", row.decide)(state, command, **facts))


def _takes(state: object, command: Command) -> bool:
    """Whether the step is taken; False only for a refusal of the state, or for a
    command that changes nothing (the seed loaded again)."""
    try:
        return bool(_decide(state, command))
    except (InvalidTransition, RuleViolated):
        return False
    except DomainError:
        return True  # refused for the command's own values: the state allows it


def _walk(walks: Walks[S], start: int, choices: list[int]) -> list[S]:
    state = walks.aggregate.replay(walks.starts[start % len(walks.starts)])
    met = [state]
    for choice in choices:
        steps = walks.steps(state)
        try:
            events = _decide(state, steps[choice % len(steps)])
        except DomainError:
            continue
        for event in events:
            state = walks.aggregate.evolve(state, event)
        met.append(state)
    return met


def _assert_names_what_it_takes(walks: Walks[S], state: S) -> None:
    named = set(COMMANDS.verbs(walks.allowed(state)))
    verbs = {c: COMMANDS.row(type(c)).verb for c in walks.steps(state)}
    # Establishing the joint meeting is the seed's, no one's step over HTTP.
    taken = {v for c, v in verbs.items() if v is not None and _takes(state, c)}
    assert named == taken, state


_STARTS = st.integers(0, 10)
_CHOICES = st.lists(st.integers(0, 100), max_size=12)


@settings(max_examples=100, deadline=None)
@given(_STARTS, _CHOICES)
def test_a_unit_names_what_the_decide_functions_take(
    start: int, choices: list[int]
) -> None:
    for state in _walk(UNITS, start, choices):
        _assert_names_what_it_takes(UNITS, state)


@settings(max_examples=100, deadline=None)
@given(_STARTS, _CHOICES)
def test_a_person_names_what_the_decide_functions_take(
    start: int, choices: list[int]
) -> None:
    for state in _walk(PEOPLE, start, choices):
        _assert_names_what_it_takes(PEOPLE, state)


@settings(max_examples=200, deadline=None)
@given(_STARTS, _CHOICES)
def test_the_joint_meeting_names_what_the_decide_functions_take(
    start: int, choices: list[int]
) -> None:
    for state in _walk(JOINT, start, choices):
        _assert_names_what_it_takes(JOINT, state)


def test_a_joint_meeting_no_one_holds_a_role_in_names_no_ending_of_one() -> None:
    empty = JOINT_MEETING.replay([f.joint_meeting_established()])

    assert {"end-role", "change-role"}.isdisjoint(
        COMMANDS.verbs(joint_meeting.allowed_steps(empty))
    )
