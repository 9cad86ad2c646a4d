"""The rules beyond a step's statuses that decide whether `allowed_next` offers it on
a meeting: a step the decide function would refuse for the meeting's state (409) is
not offered (issue 14). Each rule is the decide function's own check, so the two
cannot drift."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Final

from services.meetings.domain.approval import ApproveMeeting, DeclineMeeting
from services.meetings.domain.deciding import AdoptWorkPlan
from services.meetings.domain.delegation import (
    DelegateChair,
    RevokeChairDelegation,
    is_chair_delegated,
    meeting_date,
)
from services.meetings.domain.holding import HoldMeeting
from services.meetings.domain.inspection import RaiseFinding
from services.meetings.domain.lifecycle import MeetingStatus
from services.meetings.domain.minutes import MINUTES_ALLOWED_IN
from services.meetings.domain.proposal import MeetingKind
from services.meetings.domain.scheduling import ScheduleMeeting
from shared.domain import Command

if TYPE_CHECKING:
    from services.meetings.domain.meeting import Meeting

_Rule = Callable[["Meeting"], bool]


def _is_plenary(meeting: Meeting) -> bool:
    return meeting.kind is MeetingKind.PLENARY


OFFERED_WHEN: Final[Mapping[type[Command], _Rule]] = {
    # Only a special meeting waits for the convener, and is scheduled only after him.
    ApproveMeeting: lambda m: m.kind is MeetingKind.SPECIAL,
    DeclineMeeting: lambda m: m.kind is MeetingKind.SPECIAL,
    ScheduleMeeting: lambda m: (
        not (m.status is MeetingStatus.PROPOSED and m.kind is MeetingKind.SPECIAL)
    ),
    # Only a plenary's chair is delegated, once it has a date, and revoked once it is.
    DelegateChair: lambda m: _is_plenary(m) and meeting_date(m) is not None,
    RevokeChairDelegation: lambda m: _is_plenary(m) and m.delegated_chair is not None,
    # A plenary under a deputy is held only while the chair is delegated to him.
    HoldMeeting: lambda m: is_chair_delegated(m, m.chair_person_id, m.chair_role),
    AdoptWorkPlan: lambda m: _is_plenary(m) and m.work_plan is None,
    RaiseFinding: lambda m: m.kind is MeetingKind.INSPECTION,
}
"""For each step a rule refuses in some states its status allows, whether it is taken."""


def is_offered(meeting: Meeting, command: type[Command]) -> bool:
    """Whether no rule beyond the meeting's status refuses the step: its minutes'
    status for a minutes step, its kind, chair or work plan for the others."""
    minutes_allow = MINUTES_ALLOWED_IN.get(command)
    if minutes_allow is not None and meeting.minutes.status not in minutes_allow:
        return False
    rule = OFFERED_WHEN.get(command)
    return rule is None or rule(meeting)
