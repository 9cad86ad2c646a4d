"""Scheduling: a meeting's date, place and chair are set, and moved by scheduling it
again (rules.md §4.3)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, ClassVar, Final

from services.meetings.domain.delegation import require_delegated_chair
from services.meetings.domain.lifecycle import MeetingStatus, require_status
from services.meetings.domain.powers import Powers, require_power
from services.meetings.domain.proposal import MeetingKind
from shared.dates import BusinessDate, require_not_before
from shared.domain import Command, Event, Role
from shared.errors import InvalidInput, RuleViolated
from shared.values import PersonId, Text

if TYPE_CHECKING:
    from services.meetings.domain.meeting import Meeting, MeetingEvent

_CONVENER = "convener"
_DEPUTY_CONVENER = "deputy_convener"
_SCHEDULABLE = frozenset(
    {MeetingStatus.PROPOSED, MeetingStatus.APPROVED, MeetingStatus.SCHEDULED}
)


class ScheduleMeeting(Command):
    """Set (or move) the date, place and chair."""

    permitted: ClassVar[frozenset[Role]] = frozenset(
        {Role.OFFICE, Role.CONVENER, Role.DEPUTY_CONVENER}
    )

    scheduled_on: BusinessDate
    place: Text
    chair_person_id: PersonId | None = None


ALLOWED_IN: Final[dict[type[Command], frozenset[MeetingStatus]]] = {
    ScheduleMeeting: _SCHEDULABLE,
}
"""The statuses in which each command of this capability is a next step (scheduling
again moves the meeting)."""


class MeetingScheduled(Event):
    """The meeting's date, place and chair (the convener or a delegated deputy convener,
    on that date, for a plenary or special meeting); a later one reschedules it."""

    scheduled_on: date
    place: str
    chair_person_id: str | None
    chair_role: str | None


SchedulingEvent = MeetingScheduled


def evolve_scheduling(meeting: Meeting, event: SchedulingEvent) -> Meeting:
    """The meeting (re)scheduled with its chair."""
    return meeting.model_copy(update={"status": MeetingStatus.SCHEDULED, **dict(event)})


def schedule_meeting(
    meeting: Meeting,
    command: ScheduleMeeting,
    *,
    today: date,
    chair_roles: frozenset[str],
    powers: Powers,
) -> list[MeetingEvent]:
    """Set or move the date, place and chair (the office, or the convener or a deputy
    on the roster today). A plenary or special meeting is chaired by the convener or a
    deputy convener holding that role on the day, a plenary's deputy only once the
    convener delegated him the chair; a special meeting is scheduled only once
    approved (rules.md §4.3)."""
    require_power(powers, command, what="schedule a meeting")
    require_status(meeting, _SCHEDULABLE, "scheduled")
    if meeting.status is MeetingStatus.PROPOSED and meeting.kind is MeetingKind.SPECIAL:
        raise RuleViolated(
            "convener-approval-required",
            "A special meeting is scheduled only after the convener approves it.",
        )
    require_not_before(
        command.scheduled_on,
        field="scheduled_on",
        not_before=meeting.proposed_on,
        since="proposal",
    )
    chair_role = _chair_role(meeting, command, chair_roles=chair_roles)
    require_delegated_chair(meeting, command.chair_person_id, chair_role)
    return [
        MeetingScheduled(
            scheduled_on=command.scheduled_on,
            place=command.place,
            chair_person_id=command.chair_person_id,
            chair_role=chair_role,
        )
    ]


def _chair_role(
    meeting: Meeting, command: ScheduleMeeting, *, chair_roles: frozenset[str]
) -> str | None:
    # The convener chairs as convener even if also named a deputy.
    held = next((r for r in (_CONVENER, _DEPUTY_CONVENER) if r in chair_roles), None)
    if meeting.kind is MeetingKind.INSPECTION:
        return held
    if command.chair_person_id is None:
        raise InvalidInput(
            field="chair_person_id",
            rule="chair_required",
            detail=f"A {meeting.kind} meeting is scheduled with its chair.",
        )
    if held is None:
        raise InvalidInput(
            field="chair_person_id",
            rule="chair_is_convener_or_deputy",
            detail=f"{command.chair_person_id} is neither the convener nor a deputy "
            f"convener on {command.scheduled_on}.",
        )
    return held
