"""The convener's approval: a special meeting waits for the convener (on the members
roster on the day) to approve or decline it (rules.md §4.3)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, ClassVar, Final

from services.meetings.domain.lifecycle import MeetingStatus, require_status
from services.meetings.domain.powers import Powers, require_power
from services.meetings.domain.proposal import MeetingKind
from shared.dates import BusinessDate, require_date
from shared.domain import Command, Event, Role
from shared.errors import RuleViolated
from shared.values import Note, Text

if TYPE_CHECKING:
    from services.meetings.domain.meeting import Meeting, MeetingEvent


_AWAITING_CONVENER = frozenset({MeetingStatus.PROPOSED})


class ApproveMeeting(Command):
    permitted: ClassVar[frozenset[Role]] = frozenset({Role.CONVENER})

    approved_on: BusinessDate
    note: Note = ""


class DeclineMeeting(Command):
    permitted: ClassVar[frozenset[Role]] = frozenset({Role.CONVENER})

    declined_on: BusinessDate
    reason: Text


ALLOWED_IN: Final[dict[type[Command], frozenset[MeetingStatus]]] = {
    # Only a special meeting waits for the convener's approval (rules.md §4.3).
    ApproveMeeting: _AWAITING_CONVENER,
    DeclineMeeting: _AWAITING_CONVENER,
}
"""The statuses in which each command of this capability is a next step."""


class MeetingApproved(Event):
    """The convener approved a special meeting; only then can it be scheduled."""

    approved_on: date
    note: str


class MeetingDeclined(Event):
    """The convener declined a special meeting."""

    declined_on: date
    reason: str


ApprovalEvent = MeetingApproved | MeetingDeclined


def evolve_approval(meeting: Meeting, event: ApprovalEvent) -> Meeting:
    """The meeting approved, or declined with the reason."""
    if isinstance(event, MeetingApproved):
        update: dict[str, object] = {
            "status": MeetingStatus.APPROVED,
            "approved_on": event.approved_on,
        }
    else:
        update = {
            "status": MeetingStatus.DECLINED,
            "declined_on": event.declined_on,
            "declined_reason": event.reason,
        }
    return meeting.model_copy(update=update)


def approve_meeting(
    meeting: Meeting, command: ApproveMeeting, *, today: date, powers: Powers
) -> list[MeetingEvent]:
    """The convener (on the roster today) approves a proposed special meeting
    (rules.md §4.3)."""
    require_power(powers, command, what="approve a special meeting")
    _require_convener_decides(meeting, "approved")
    require_date(
        command.approved_on,
        field="approved_on",
        today=today,
        not_before=meeting.proposed_on,
        since="proposal",
    )
    return [MeetingApproved(approved_on=command.approved_on, note=command.note)]


def decline_meeting(
    meeting: Meeting, command: DeclineMeeting, *, today: date, powers: Powers
) -> list[MeetingEvent]:
    """The convener (on the roster today) declines a proposed special meeting, with
    the reason."""
    require_power(powers, command, what="decline a special meeting")
    _require_convener_decides(meeting, "declined")
    require_date(
        command.declined_on,
        field="declined_on",
        today=today,
        not_before=meeting.proposed_on,
        since="proposal",
    )
    return [MeetingDeclined(declined_on=command.declined_on, reason=command.reason)]


def _require_convener_decides(meeting: Meeting, what: str) -> None:
    require_status(meeting, _AWAITING_CONVENER, what)
    if meeting.kind is not MeetingKind.SPECIAL:
        raise RuleViolated(
            "approval-only-for-special-meetings",
            f"A {meeting.kind} meeting is not {what} by the convener; "
            "only a special meeting is.",
        )
