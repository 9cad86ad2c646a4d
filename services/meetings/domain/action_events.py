"""What happens to an action item (stream `action-<id>`): assigned from a decision or
the work plan, progress reported by its unit, accepted or sent back by the office,
flagged overdue once per miss."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from services.meetings.domain.facts import ActionOrigin
from shared.domain import Event


class OverdueKind(StrEnum):
    """Past its due date, or a required progress report missed for one period."""

    PAST_DUE = "past_due"
    MISSED_REPORT = "missed_report"


class ActionItemAssigned(Event):
    """督办事项: one unit's task from a decision (`source_id` = decision id) or from the
    annual work plan (`source_id` = `wp-<year>`)."""

    meeting_id: str
    origin: ActionOrigin
    source_id: str
    unit_code: str
    task: str
    due: date
    report_every_days: int | None
    case_ids: tuple[str, ...]
    listing_ids: tuple[str, ...]
    assigned_on: date


class ProgressReported(Event):
    """The unit reported progress; `is_complete` says it considers the task done."""

    reported_on: date
    text: str
    document_ref: str | None
    is_complete: bool


class ActionItemAccepted(Event):
    """The office accepted the task as done."""

    accepted_on: date
    note: str


class ActionItemSentBack(Event):
    """The office sent the task back: not done yet, and why."""

    sent_back_on: date
    reason: str


class ActionItemOverdue(Event):
    """The task went past its due date, or the unit missed the report due by the end of
    a reporting period (`missed` is the due date or the period's last day)."""

    kind: OverdueKind
    missed: date
    flagged_on: date


ActionEvent = (
    ActionItemAssigned
    | ProgressReported
    | ActionItemAccepted
    | ActionItemSentBack
    | ActionItemOverdue
)
