"""The joint meeting and every role in it (stream `jointmeeting-<district>`).

All roles live in this one stream so that rules across people, such as one convener at
a time, are checked against every appointment (STYLE.md §3).
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import ClassVar, Final, assert_never

from pydantic import BaseModel

from services.members.domain.person import Person, PersonStatus
from services.members.domain.unit import Unit, require_active_unit
from shared.dates import BusinessDate
from shared.domain import Aggregate, Command, Event, Role, replay
from shared.errors import InvalidInput, InvalidTransition, RuleViolated
from shared.values import Name, PersonId, Text, UnitCode


class MeetingRole(StrEnum):
    """召集人 convener, 副召集人 deputy convener, 办公室主任 office director, 成员 member,
    联络员 liaison: the roles a person holds in the joint meeting."""

    CONVENER = "convener"
    DEPUTY_CONVENER = "deputy_convener"
    OFFICE_DIRECTOR = "office_director"
    MEMBER = "member"
    LIAISON = "liaison"


# The notice names one convener and one office director (东区政〔2017〕104号 §1).
SINGLE_HOLDER: Final[dict[MeetingRole, str]] = {
    MeetingRole.CONVENER: "one-convener",
    MeetingRole.OFFICE_DIRECTOR: "one-office-director",
}


class Holding(BaseModel, frozen=True):
    """A role a person holds now, for the unit they sat for when it was granted."""

    person_id: str
    role: MeetingRole
    unit_code: str
    since: date


class JointMeeting(BaseModel, frozen=True):
    """联席会议: the district's joint meeting, its lead unit (牵头单位), the unit hosting
    its office (联席会议办公室) and who holds which role."""

    is_established: bool = False
    name: str = ""
    lead_unit: str = ""
    office_unit: str = ""
    established_on: date | None = None
    holdings: tuple[Holding, ...] = ()

    def holding(self, person_id: str, role: MeetingRole) -> Holding | None:
        """The person's holding of that role, if they hold it."""
        return next(
            (h for h in self.holdings if (h.person_id, h.role) == (person_id, role)),
            None,
        )


class JointMeetingEstablished(Event):
    name: str
    lead_unit: str
    office_unit: str
    effective_on: date


class LeadUnitSet(Event):
    unit_code: str
    effective_on: date


class OfficeHostSet(Event):
    unit_code: str
    effective_on: date


class RoleGranted(Event):
    person_id: str
    role: MeetingRole
    unit_code: str
    effective_on: date


class RoleEnded(Event):
    person_id: str
    role: MeetingRole
    effective_on: date
    reason: str


JointMeetingEvent = (
    JointMeetingEstablished | LeadUnitSet | OfficeHostSet | RoleGranted | RoleEnded
)


class EstablishJointMeeting(Command):
    name: Name
    lead_unit: UnitCode
    office_unit: UnitCode
    effective_on: BusinessDate


class SetLeadUnit(Command):
    unit_code: UnitCode
    effective_on: BusinessDate


class SetOfficeHost(Command):
    unit_code: UnitCode
    effective_on: BusinessDate


class GrantRole(Command):
    person_id: PersonId
    role: MeetingRole
    effective_on: BusinessDate


class EndRole(Command):
    person_id: PersonId
    role: MeetingRole
    effective_on: BusinessDate
    reason: Text


class ChangeRole(Command):
    person_id: PersonId
    from_role: MeetingRole
    to_role: MeetingRole
    effective_on: BusinessDate


class EndRolesOfRelievedPerson(Command):
    # Run by the process manager that follows PersonRelieved, never by a person.
    permitted: ClassVar[frozenset[Role]] = frozenset({Role.SYSTEM})

    person_id: PersonId
    # Taken from PersonRelieved in the log, not typed by anyone.
    effective_on: date


# The commands the joint meeting allows before and after it is established
# (`allowed` in a refusal; the command table names them by their verbs).
ALLOWED_AFTER: Final[dict[str, tuple[type[Command], ...]]] = {
    "new": (EstablishJointMeeting,),
    "established": (SetLeadUnit, SetOfficeHost, GrantRole, EndRole, ChangeRole),
}


_ON_A_HOLDING: Final[tuple[type[Command], ...]] = (EndRole, ChangeRole)
"""The steps that end a role: none is taken while no one holds one (role-not-held)."""


def allowed_steps(meeting: JointMeeting) -> tuple[type[Command], ...]:
    """The commands the joint meeting takes next (`allowed` in a refusal): before it
    is established, establishing it; after, its steps, ending or changing a role only
    while someone holds one."""
    if not meeting.is_established:
        return ALLOWED_AFTER["new"]
    return tuple(
        c
        for c in ALLOWED_AFTER["established"]
        if c not in _ON_A_HOLDING or meeting.holdings
    )


def evolve(meeting: JointMeeting, event: JointMeetingEvent) -> JointMeeting:
    match event:
        case JointMeetingEstablished():
            return meeting.model_copy(
                update={
                    "is_established": True,
                    "name": event.name,
                    "lead_unit": event.lead_unit,
                    "office_unit": event.office_unit,
                    "established_on": event.effective_on,
                }
            )
        case LeadUnitSet(unit_code=unit_code):
            return meeting.model_copy(update={"lead_unit": unit_code})
        case OfficeHostSet(unit_code=unit_code):
            return meeting.model_copy(update={"office_unit": unit_code})
        case RoleGranted():
            holdings = (*meeting.holdings, _holding_of(event))
            return meeting.model_copy(update={"holdings": holdings})
        case RoleEnded(person_id=person_id, role=role):
            kept = tuple(
                h
                for h in meeting.holdings
                if (h.person_id, h.role) != (person_id, role)
            )
            return meeting.model_copy(update={"holdings": kept})
        case _:
            assert_never(event)


def establish_joint_meeting(
    meeting: JointMeeting,
    command: EstablishJointMeeting,
    *,
    lead_unit: Unit,
    office_unit: Unit,
) -> list[JointMeetingEvent]:
    """The meeting is established once, led and hosted by active units; the same
    establishment again changes nothing."""
    established = JointMeetingEstablished(
        name=command.name,
        lead_unit=command.lead_unit,
        office_unit=command.office_unit,
        effective_on=command.effective_on,
    )
    if meeting.is_established:
        # Loading the seed roster again must be a no-op, not an error.
        if meeting.model_copy(update={"holdings": ()}) == evolve(
            JointMeeting(), established
        ):
            return []
        raise InvalidTransition(
            current="established",
            allowed=allowed_steps(meeting),
            detail="The joint meeting is already established.",
        )
    require_active_unit(lead_unit, field="lead_unit", code=command.lead_unit)
    require_active_unit(office_unit, field="office_unit", code=command.office_unit)
    return [established]


def set_lead_unit(
    meeting: JointMeeting, command: SetLeadUnit, *, unit: Unit
) -> list[JointMeetingEvent]:
    """The lead unit changes to another active unit."""
    _require_established(meeting)
    if command.unit_code == meeting.lead_unit:
        raise RuleViolated(
            "lead-unit-unchanged", "This unit already leads the meeting."
        )
    require_active_unit(unit, field="unit_code", code=command.unit_code)
    return [LeadUnitSet(unit_code=command.unit_code, effective_on=command.effective_on)]


def set_office_host(
    meeting: JointMeeting, command: SetOfficeHost, *, unit: Unit
) -> list[JointMeetingEvent]:
    """The joint meeting's office moves to another active unit."""
    _require_established(meeting)
    if command.unit_code == meeting.office_unit:
        raise RuleViolated(
            "office-host-unchanged", "This unit already hosts the meeting's office."
        )
    require_active_unit(unit, field="unit_code", code=command.unit_code)
    return [
        OfficeHostSet(unit_code=command.unit_code, effective_on=command.effective_on)
    ]


def grant_role(
    meeting: JointMeeting, command: GrantRole, *, person: Person
) -> list[JointMeetingEvent]:
    """An active person gets a role they do not hold, for the unit they sit for; the
    convener and the office director are one person at a time. The same grant again
    changes nothing."""
    _require_established(meeting)
    granted = RoleGranted(
        person_id=command.person_id,
        role=command.role,
        unit_code=person.unit_code,
        effective_on=command.effective_on,
    )
    held = meeting.holding(command.person_id, command.role)
    # Loading the seed roster again must be a no-op, not an error.
    if held is not None and held == _holding_of(granted):
        return []
    if person.status is not PersonStatus.ACTIVE:
        raise InvalidInput(
            field="person_id",
            rule="person_active",
            detail=f"Person {command.person_id} is {person.status}, not active.",
        )
    if held is not None:
        raise RuleViolated(
            "role-already-held", f"{command.person_id} is already {command.role}."
        )
    _require_vacant(meeting, command.role)
    return [granted]


def end_role(meeting: JointMeeting, command: EndRole) -> list[JointMeetingEvent]:
    """A role the person holds ends, not before it began."""
    _require_established(meeting)
    held = meeting.holding(command.person_id, command.role)
    if held is None:
        raise RuleViolated(
            "role-not-held", f"{command.person_id} is not {command.role}."
        )
    return [_ended(held, effective_on=command.effective_on, reason=command.reason)]


def change_role(
    meeting: JointMeeting, command: ChangeRole, *, person: Person
) -> list[JointMeetingEvent]:
    """Ends one role and grants another on the same day, under the rules of both."""
    if command.from_role is command.to_role:
        raise RuleViolated("role-unchanged", "The two roles are the same.")
    if meeting.holding(command.person_id, command.to_role) is not None:
        raise RuleViolated(
            "role-already-held", f"{command.person_id} is already {command.to_role}."
        )
    ended = end_role(
        meeting,
        EndRole(
            person_id=command.person_id,
            role=command.from_role,
            effective_on=command.effective_on,
            reason=f"changed to {command.to_role}",
        ),
    )
    granted = grant_role(
        replay(evolve, meeting, ended),
        GrantRole(
            person_id=command.person_id,
            role=command.to_role,
            effective_on=command.effective_on,
        ),
        person=person,
    )
    return [*ended, *granted]


def end_roles_of_relieved_person(
    meeting: JointMeeting, command: EndRolesOfRelievedPerson
) -> list[JointMeetingEvent]:
    """A relieved person holds no role any more; one who held none changes nothing."""
    return [
        _ended(h, effective_on=command.effective_on, reason="person relieved")
        for h in meeting.holdings
        if h.person_id == command.person_id
    ]


def _ended(held: Holding, *, effective_on: date, reason: str) -> RoleEnded:
    if effective_on < held.since:
        raise RuleViolated(
            "end-before-start",
            f"{held.person_id} has been {held.role} only since {held.since}.",
        )
    return RoleEnded(
        person_id=held.person_id,
        role=held.role,
        effective_on=effective_on,
        reason=reason,
    )


def _holding_of(granted: RoleGranted) -> Holding:
    return Holding(
        person_id=granted.person_id,
        role=granted.role,
        unit_code=granted.unit_code,
        since=granted.effective_on,
    )


def _require_vacant(meeting: JointMeeting, role: MeetingRole) -> None:
    code = SINGLE_HOLDER.get(role)
    holder = next((h for h in meeting.holdings if h.role is role), None)
    if code is not None and holder is not None:
        raise RuleViolated(code, f"{holder.person_id} is {role}; end that role first.")


def _require_established(meeting: JointMeeting) -> None:
    if not meeting.is_established:
        raise InvalidTransition(
            current="new",
            allowed=ALLOWED_AFTER["new"],
            detail="The joint meeting has not been established yet (the seed roster"
            " establishes it).",
        )


JOINT_MEETING: Aggregate[JointMeeting, JointMeetingEvent] = Aggregate(
    category="jointmeeting",
    initial=JointMeeting(),
    evolve=evolve,
    events=JointMeetingEvent,
)
