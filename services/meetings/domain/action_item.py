"""The state of one action item (stream `action-<id>`): one unit's task from a decision
or the work plan, its progress reports, acceptance, and the misses flagged on it."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import assert_never

from pydantic import BaseModel, ConfigDict

from services.meetings.domain.action_events import (
    ActionEvent,
    ActionItemAccepted,
    ActionItemAssigned,
    ActionItemOverdue,
    ActionItemSentBack,
    OverdueKind,
    ProgressReported,
)
from services.meetings.domain.facts import ActionOrigin


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


class Report(BaseModel):
    """A progress report of the unit; `is_complete` says it considers the task done."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    reported_on: date
    text: str
    document_ref: str | None = None
    is_complete: bool = False


class ActionItem(BaseModel):
    """督办事项 action item: a task handed to one unit, tracked until the office
    accepts it as done; a stream with no events is NEW."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    status: ActionStatus = ActionStatus.NEW
    meeting_id: str = ""
    origin: ActionOrigin | None = None
    source_id: str = ""
    unit_code: str = ""
    task: str = ""
    due: date | None = None
    report_every_days: int | None = None
    case_ids: tuple[str, ...] = ()
    listing_ids: tuple[str, ...] = ()
    assigned_on: date | None = None
    reports: tuple[Report, ...] = ()
    accepted_on: date | None = None
    sent_back_reasons: tuple[str, ...] = ()
    flagged_past_due: bool = False
    missed_reports: tuple[date, ...] = ()

    @property
    def last_reported_on(self) -> date | None:
        """The latest date a report was made for, if any."""
        return max((r.reported_on for r in self.reports), default=None)

    @property
    def is_overdue(self) -> bool:
        """Whether the unit is behind: past the due date, or it missed a report and
        has not reported since."""
        if self.status not in RUNNING:
            return False
        last_missed = max(self.missed_reports, default=None)
        last_report = self.last_reported_on
        has_unanswered_miss = last_missed is not None and (
            last_report is None or last_missed > last_report
        )
        return self.flagged_past_due or has_unanswered_miss


def evolve_action(item: ActionItem, event: ActionEvent) -> ActionItem:
    """The action item after one more event."""
    match event:
        case ActionItemAssigned():
            return ActionItem(status=ActionStatus.OPEN, **dict(event))
        case ProgressReported(is_complete=is_complete):
            status = (
                ActionStatus.AWAITING_ACCEPTANCE
                if is_complete
                else ActionStatus.IN_PROGRESS
            )
            report = Report(**dict(event))
            return _moved(item, status, reports=(*item.reports, report))
        case ActionItemAccepted(accepted_on=accepted_on):
            return _moved(item, ActionStatus.COMPLETED, accepted_on=accepted_on)
        case ActionItemSentBack(reason=reason):
            reasons = (*item.sent_back_reasons, reason)
            return _moved(item, ActionStatus.IN_PROGRESS, sent_back_reasons=reasons)
        case ActionItemOverdue(kind=OverdueKind.PAST_DUE):
            return item.model_copy(update={"flagged_past_due": True})
        case ActionItemOverdue(missed=missed):
            missed_reports = (*item.missed_reports, missed)
            return item.model_copy(update={"missed_reports": missed_reports})
        case _:
            assert_never(event)


def _moved(item: ActionItem, status: ActionStatus, **changes: object) -> ActionItem:
    return item.model_copy(update={"status": status, **changes})
