"""Action items carried out: assigned from a decision or the work plan, reported on by
their unit, accepted or sent back by the office, and flagged by the watcher when past
due or when a required report was missed (rules.md §4.3; the due date and how often to
report are per item, the seed sets neither)."""

from __future__ import annotations

from datetime import date, timedelta

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
from services.meetings.domain.action_item import RUNNING, ActionItem, ActionStatus
from services.meetings.domain.commands import (
    AcceptActionItem,
    AssignActionItem,
    MarkActionItemOverdue,
    ReportProgress,
    SendBackActionItem,
)
from services.meetings.domain.transitions import require_date, require_status
from shared.errors import InvalidInput, NotPermitted


class OpenDeadline(BaseModel):
    """A date the unit must meet: the item's due date, or the last day of the first
    reporting period with no report that is not yet flagged. The watcher acts the
    day after (`today > due`)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: OverdueKind
    due: date


def assign_action_item(
    item: ActionItem, command: AssignActionItem
) -> list[ActionEvent]:
    """督办: a task from a recorded decision or work plan is opened, once."""
    require_status(item, {ActionStatus.NEW}, "assigned")
    return [ActionItemAssigned(**dict(command))]


def report_progress(
    item: ActionItem, command: ReportProgress, *, today: date, unit: str
) -> list[ActionEvent]:
    """The responsible unit, and only it, reports progress; a report it calls complete
    asks the office to accept the task."""
    require_status(item, RUNNING, "reported on")
    if unit != item.unit_code:
        raise NotPermitted(
            f"The action item is {item.unit_code}'s task; {unit} cannot report on it."
        )
    require_date(
        command.reported_on,
        field="reported_on",
        today=today,
        not_before=item.assigned_on,
        since="assignment",
    )
    return [
        ProgressReported(
            reported_on=command.reported_on,
            text=command.text,
            document_ref=command.document_ref,
            is_complete=command.is_complete,
        )
    ]


def accept_action_item(
    item: ActionItem, command: AcceptActionItem, *, today: date
) -> list[ActionEvent]:
    """The office accepts a task the unit reported complete."""
    require_status(item, {ActionStatus.AWAITING_ACCEPTANCE}, "accepted")
    require_date(
        command.accepted_on,
        field="accepted_on",
        today=today,
        not_before=item.last_reported_on,
        since="report",
    )
    return [ActionItemAccepted(accepted_on=command.accepted_on, note=command.note)]


def send_back_action_item(
    item: ActionItem, command: SendBackActionItem, *, today: date
) -> list[ActionEvent]:
    """The office sends a task reported complete back to its unit, with the reason."""
    require_status(item, {ActionStatus.AWAITING_ACCEPTANCE}, "sent back")
    require_date(
        command.sent_back_on,
        field="sent_back_on",
        today=today,
        not_before=item.last_reported_on,
        since="report",
    )
    return [
        ActionItemSentBack(sent_back_on=command.sent_back_on, reason=command.reason)
    ]


def mark_action_item_overdue(
    item: ActionItem, command: MarkActionItemOverdue, *, today: date
) -> list[ActionEvent]:
    """The watcher flags a miss once, from the day after it: the due date passed, or
    a reporting period ended with no report. Run late it still flags the miss; run
    early, twice, or once the item is no longer the unit's to do, it changes
    nothing."""
    if item.status not in RUNNING:
        return []
    if command.kind is OverdueKind.PAST_DUE:
        _require_due_date(item, command.missed)
        has_nothing_to_flag = item.flagged_past_due
    else:
        every = _require_period_end(item, command.missed)
        # A period is flagged once, and only when the unit sent no report in it; the
        # reports are owed until the due date, after which the item is overdue as such.
        has_nothing_to_flag = (
            command.missed in item.missed_reports
            or _has_report_in_period(item, command.missed, every)
            or (item.due is not None and command.missed > item.due)
        )
    if today <= command.missed or has_nothing_to_flag:
        return []
    return [
        ActionItemOverdue(kind=command.kind, missed=command.missed, flagged_on=today)
    ]


def open_deadlines(item: ActionItem) -> tuple[OpenDeadline, ...]:
    """The misses the watcher looks for while the unit owes work: the due date unless
    flagged, and the end of the first reporting period (up to the due date) that has
    neither a report nor a flag."""
    if item.status not in RUNNING:
        return ()
    deadlines: list[OpenDeadline] = []
    if item.due is not None and not item.flagged_past_due:
        deadlines.append(OpenDeadline(kind=OverdueKind.PAST_DUE, due=item.due))
    period_end = _first_open_period_end(item)
    if period_end is not None:
        deadlines.append(OpenDeadline(kind=OverdueKind.MISSED_REPORT, due=period_end))
    return tuple(deadlines)


def _first_open_period_end(item: ActionItem) -> date | None:
    every = item.report_every_days
    if every is None or every < 1 or item.assigned_on is None:
        return None
    # Each period before the open one holds a report or a flag of its own (periods do
    # not overlap), so the open one is among the first len(reports) + len(flags) + 1.
    for k in range(1, len(item.reports) + len(item.missed_reports) + 2):
        end = item.assigned_on + timedelta(days=k * every)
        if item.due is not None and end > item.due:
            return None
        if end not in item.missed_reports and not _has_report_in_period(
            item, end, every
        ):
            return end
    return None


def _has_report_in_period(item: ActionItem, end: date, every: int) -> bool:
    start = end - timedelta(days=every)
    return any(start < r.reported_on <= end for r in item.reports)


def _require_due_date(item: ActionItem, missed: date) -> None:
    if missed != item.due:
        raise InvalidInput(
            field="missed",
            rule="due_date",
            detail=f"The action item is due on {item.due}, not {missed}.",
        )


def _require_period_end(item: ActionItem, missed: date) -> int:
    every = item.report_every_days
    if every is None or every < 1 or item.assigned_on is None:
        raise InvalidInput(
            field="kind",
            rule="reporting_required",
            detail="The action item has no regular progress reports to miss.",
        )
    days = (missed - item.assigned_on).days
    if days <= 0 or days % every:
        raise InvalidInput(
            field="missed",
            rule="reporting_period_end",
            detail=f"{missed} is not the last day of a {every}-day reporting period "
            f"counted from {item.assigned_on}.",
        )
    return every
