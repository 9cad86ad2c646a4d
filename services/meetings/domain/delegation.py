"""Chair delegation: a plenary is chaired by the convener or a deputy convener he
delegates (rules.md §4.3); the delegation is an act the convener records, naming a
person who is a deputy convener on the meeting's date, and may revoke before the
plenary is held."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, ClassVar, Final

from services.meetings.domain.lifecycle import (
    NOT_YET_HELD,
    MeetingStatus,
    require_status,
)
from services.meetings.domain.powers import Powers, require_power
from services.meetings.domain.proposal import MeetingKind
from shared.dates import BusinessDate, require_date
from shared.domain import Command, Event, Role
from shared.errors import InvalidInput, RuleViolated
from shared.values import PersonId, Text

if TYPE_CHECKING:
    from services.meetings.domain.meeting import Meeting, MeetingEvent

DEPUTY_CONVENER: Final = "deputy_convener"


class DelegateChair(Command):
    """The convener (on the roster on `delegated_on`) delegates the plenary's chair to
    a deputy convener."""

    permitted: ClassVar[frozenset[Role]] = frozenset({Role.CONVENER})

    deputy_person_id: PersonId
    delegated_on: BusinessDate


class RevokeChairDelegation(Command):
    """The convener (on the roster on `revoked_on`) takes the delegation back, saying
    why; the convener chairs unless he delegates again."""

    permitted: ClassVar[frozenset[Role]] = frozenset({Role.CONVENER})

    revoked_on: BusinessDate
    reason: Text


ALLOWED_IN: Final[dict[type[Command], frozenset[MeetingStatus]]] = {
    DelegateChair: NOT_YET_HELD,
    RevokeChairDelegation: NOT_YET_HELD,
}
"""The statuses in which each command of this capability is a next step."""


class ChairDelegated(Event):
    """The convener delegated the chair of the plenary on `for_date` to a deputy
    convener; a later delegation replaces it."""

    deputy_person_id: str
    delegated_on: date
    for_date: date


class ChairDelegationRevoked(Event):
    """The convener took back the chair he had delegated to the deputy convener."""

    deputy_person_id: str
    revoked_on: date
    reason: str


DelegationEvent = ChairDelegated | ChairDelegationRevoked


def evolve_delegation(meeting: Meeting, event: DelegationEvent) -> Meeting:
    """The meeting with the deputy its chair is delegated to, or none once revoked."""
    if isinstance(event, ChairDelegated):
        return meeting.model_copy(update={"delegated_chair": event.deputy_person_id})
    return meeting.model_copy(update={"delegated_chair": None})


def meeting_date(meeting: Meeting) -> date | None:
    """The day the meeting is scheduled for, else the day it was proposed for."""
    return meeting.scheduled_on or meeting.proposed_for


def delegate_chair(
    meeting: Meeting,
    command: DelegateChair,
    *,
    today: date,
    powers: Powers,
    deputy_roles: frozenset[str],
) -> list[MeetingEvent]:
    """Only the convener on the roster on the day delegates a plenary's chair, before
    it is held, to a person who is a deputy convener on the meeting's date."""
    require_power(powers, command, what="delegate a plenary's chair")
    require_status(meeting, NOT_YET_HELD, "given a delegated chair")
    if meeting.kind is not MeetingKind.PLENARY:
        raise RuleViolated(
            "chair-delegation-plenary-only",
            f"Only a plenary's chair is delegated; this is a {meeting.kind} meeting.",
        )
    require_date(
        command.delegated_on,
        field="delegated_on",
        today=today,
        not_before=meeting.proposed_on,
        since="proposal",
    )
    for_date = meeting_date(meeting)
    if for_date is None:
        raise RuleViolated(
            "meeting-date-unknown",
            "The plenary has no date yet: propose it for a day or schedule it first.",
        )
    if DEPUTY_CONVENER not in deputy_roles:
        raise InvalidInput(
            field="deputy_person_id",
            rule="delegate_is_deputy_convener",
            detail=f"{command.deputy_person_id} is not a deputy convener on {for_date}.",
        )
    return [
        ChairDelegated(
            deputy_person_id=command.deputy_person_id,
            delegated_on=command.delegated_on,
            for_date=for_date,
        )
    ]


def revoke_chair_delegation(
    meeting: Meeting,
    command: RevokeChairDelegation,
    *,
    today: date,
    powers: Powers,
) -> list[MeetingEvent]:
    """Only the convener on the roster on the day revokes the delegation of a plenary
    not yet held; a deputy it put in the chair no longer holds it (the plenary is not
    held under him until the chair is delegated to him again or the meeting is
    rescheduled)."""
    require_power(powers, command, what="revoke a chair delegation")
    require_status(meeting, NOT_YET_HELD, "relieved of a delegated chair")
    if meeting.delegated_chair is None:
        raise RuleViolated(
            "no-chair-delegation",
            "The plenary's chair is not delegated: there is nothing to revoke.",
        )
    require_date(
        command.revoked_on,
        field="revoked_on",
        today=today,
        not_before=meeting.proposed_on,
        since="proposal",
    )
    return [
        ChairDelegationRevoked(
            deputy_person_id=meeting.delegated_chair,
            revoked_on=command.revoked_on,
            reason=command.reason,
        )
    ]


def require_delegated_chair(
    meeting: Meeting, chair_person_id: str | None, chair_role: str | None
) -> None:
    """A deputy convener chairs a plenary only when the convener delegated it to him
    (rules.md §4.3 "chaired by CONV or a delegated deputy")."""
    if not is_chair_delegated(meeting, chair_person_id, chair_role):
        raise RuleViolated(
            "chair-not-delegated",
            f"{chair_person_id} is a deputy convener: a plenary is chaired by the"
            " convener or a deputy convener he delegated the chair to"
            f" ({meeting.delegated_chair or 'none yet'}).",
        )


def is_chair_delegated(
    meeting: Meeting, chair_person_id: str | None, chair_role: str | None
) -> bool:
    """Whether that chair may hold the meeting: anyone but a plenary's deputy
    convener, and he only under the convener's delegation."""
    if meeting.kind is not MeetingKind.PLENARY or chair_role != DEPUTY_CONVENER:
        return True
    return chair_person_id == meeting.delegated_chair
