"""Where a meeting, its minutes and an action item stand, which steps each status
allows (rules.md §4.3), and the refusals that name them.

Steps drop the noun the path already names: `meetings/{id}/approve` runs
ApproveMeeting, `actions/{id}/accept` runs AcceptActionItem."""

from __future__ import annotations

from collections.abc import Collection
from enum import StrEnum
from typing import TYPE_CHECKING, Final

from shared.errors import InvalidTransition

if TYPE_CHECKING:
    from services.meetings.domain.action_item import ActionItem
    from services.meetings.domain.meeting import Meeting


class MeetingStatus(StrEnum):
    """Where a meeting stands: proposed by the office, approved or declined by the
    convener (special meetings only), scheduled, held, or cancelled."""

    NEW = "new"
    PROPOSED = "proposed"
    APPROVED = "approved"
    DECLINED = "declined"
    SCHEDULED = "scheduled"
    HELD = "held"
    CANCELLED = "cancelled"


class MinutesStatus(StrEnum):
    """Minutes are drafted, circulated to the units, amended, and approved."""

    NONE = "none"
    DRAFTED = "drafted"
    CIRCULATED = "circulated"
    AMENDED = "amended"
    APPROVED = "approved"


class ActionStatus(StrEnum):
    """Where an action item stands: open until the unit first reports, in progress,
    awaiting the office's acceptance once the unit reports it done, completed."""

    NEW = "new"
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    AWAITING_ACCEPTANCE = "awaiting_acceptance"
    COMPLETED = "completed"


RUNNING = frozenset({ActionStatus.OPEN, ActionStatus.IN_PROGRESS})
"""Statuses in which the unit still owes work and reports, so misses count."""

MEETING_STEPS: Final[dict[MeetingStatus, tuple[str, ...]]] = {
    MeetingStatus.NEW: ("propose",),
    # Only a special meeting waits for the convener's approval (rules.md §4.3).
    MeetingStatus.PROPOSED: ("approve", "decline", "schedule", "cancel"),
    MeetingStatus.APPROVED: ("schedule", "cancel"),
    MeetingStatus.DECLINED: (),
    # Scheduling again moves the meeting; an inspection finds while it runs.
    MeetingStatus.SCHEDULED: (
        "schedule",
        "send-notice",
        "submit-material",
        "hold",
        "raise-finding",
        "cancel",
    ),
    MeetingStatus.HELD: (
        "submit-material",
        "record-attendance",
        "draft-minutes",
        "circulate-minutes",
        "amend-minutes",
        "approve-minutes",
        "record-decision",
        "adopt-work-plan",
        "raise-finding",
    ),
    MeetingStatus.CANCELLED: (),
}

MINUTES_STEPS: Final[dict[MinutesStatus, tuple[str, ...]]] = {
    MinutesStatus.NONE: ("draft-minutes",),
    MinutesStatus.DRAFTED: ("circulate-minutes", "amend-minutes"),
    MinutesStatus.CIRCULATED: ("amend-minutes", "approve-minutes"),
    MinutesStatus.AMENDED: ("circulate-minutes", "amend-minutes", "approve-minutes"),
    MinutesStatus.APPROVED: (),
}
"""Which minutes steps each status of a held meeting's minutes allows."""

ACTION_STEPS: Final[dict[ActionStatus, tuple[str, ...]]] = {
    ActionStatus.NEW: ("assign",),
    ActionStatus.OPEN: ("report-progress",),
    ActionStatus.IN_PROGRESS: ("report-progress",),
    ActionStatus.AWAITING_ACCEPTANCE: ("accept", "send-back"),
    ActionStatus.COMPLETED: (),
}


def refused(status: MeetingStatus | ActionStatus, what: str) -> InvalidTransition:
    """The refusal of a step the status does not allow, naming what it allows."""
    if isinstance(status, ActionStatus):
        return InvalidTransition(
            current=status,
            allowed=ACTION_STEPS[status],
            detail=f"The action item is {status} and cannot be {what}.",
        )
    return InvalidTransition(
        current=status,
        allowed=MEETING_STEPS[status],
        detail=f"The meeting is {status} and cannot be {what}.",
    )


def refused_minutes(status: MinutesStatus, what: str) -> InvalidTransition:
    """The refusal of a minutes step their status does not allow."""
    return InvalidTransition(
        current=f"minutes {status}",
        allowed=MINUTES_STEPS[status],
        detail=f"The minutes are {status} and cannot be {what}.",
    )


def require_status(
    state: Meeting | ActionItem,
    allowed: Collection[MeetingStatus | ActionStatus],
    what: str,
) -> None:
    """Refuses the step unless the meeting or item is in one of the allowed statuses."""
    if state.status not in allowed:
        raise refused(state.status, what)


def require_minutes(
    meeting: Meeting, allowed: Collection[MinutesStatus], what: str
) -> None:
    """Refuses a minutes step unless the meeting was held and its minutes are in one
    of the allowed statuses."""
    require_status(meeting, {MeetingStatus.HELD}, what)
    if meeting.minutes.status not in allowed:
        raise refused_minutes(meeting.minutes.status, what)
