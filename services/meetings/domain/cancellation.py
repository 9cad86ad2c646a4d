"""Cancellation: a meeting not yet held is called off, with the reason, by the office
or the convener on the roster today (rules.md §4.3)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, ClassVar, Final

from services.meetings.domain.lifecycle import MeetingStatus, require_status
from services.meetings.domain.powers import Powers, require_power
from shared.dates import BusinessDate, require_date
from shared.domain import Command, Event, Role
from shared.values import Text

if TYPE_CHECKING:
    from services.meetings.domain.meeting import Meeting, MeetingEvent

_NOT_YET_HELD = frozenset(
    {MeetingStatus.PROPOSED, MeetingStatus.APPROVED, MeetingStatus.SCHEDULED}
)


class CancelMeeting(Command):
    permitted: ClassVar[frozenset[Role]] = frozenset({Role.OFFICE, Role.CONVENER})

    cancelled_on: BusinessDate
    reason: Text


ALLOWED_IN: Final[dict[type[Command], frozenset[MeetingStatus]]] = {
    CancelMeeting: _NOT_YET_HELD,
}
"""The statuses in which each command of this capability is a next step."""


class MeetingCancelled(Event):
    """The meeting will not take place."""

    cancelled_on: date
    reason: str


CancellationEvent = MeetingCancelled


def evolve_cancellation(meeting: Meeting, event: CancellationEvent) -> Meeting:
    """The meeting cancelled, with the reason."""
    update = {
        "status": MeetingStatus.CANCELLED,
        "cancelled_on": event.cancelled_on,
        "cancelled_reason": event.reason,
    }
    return meeting.model_copy(update=update)


def cancel_meeting(
    meeting: Meeting, command: CancelMeeting, *, today: date, powers: Powers
) -> list[MeetingEvent]:
    """A meeting not yet held can be called off, with the reason, by the office or the
    convener on the roster today."""
    require_power(powers, command, what="cancel a meeting")
    require_status(meeting, _NOT_YET_HELD, "cancelled")
    require_date(
        command.cancelled_on,
        field="cancelled_on",
        today=today,
        not_before=meeting.proposed_on,
        since="proposal",
    )
    return [MeetingCancelled(cancelled_on=command.cancelled_on, reason=command.reason)]
