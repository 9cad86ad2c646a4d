"""Misses on an action item: the watcher flags, once each, a due date that passed and a
reporting period that ended with no report (rules.md §4.3), and asks which dates the
unit must still meet."""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, ClassVar

from pydantic import BaseModel

from services.meetings.domain.lifecycle import RUNNING
from shared.domain import Command, Event, Role
from shared.errors import InvalidInput

if TYPE_CHECKING:
    from services.meetings.domain.action_item import ActionEvent, ActionItem


class OverdueKind(StrEnum):
    """Past its due date, or a required progress report missed for one period."""

    PAST_DUE = "past_due"
    MISSED_REPORT = "missed_report"


class MarkActionItemOverdue(Command):
    """Run by the watcher for a due date or a reporting period that passed."""

    permitted: ClassVar[frozenset[Role]] = frozenset({Role.SYSTEM})

    kind: OverdueKind
    # Taken from the log by the watcher, not typed by anyone.
    missed: date


class ActionItemOverdue(Event):
    """The task went past its due date, or the unit missed the report due by the end of
    a reporting period (`missed` is the due date or the period's last day)."""

    kind: OverdueKind
    missed: date
    flagged_on: date


class OpenDeadline(BaseModel, frozen=True, extra="forbid"):
    """A date the unit must meet: the item's due date, or the last day of the first
    reporting period with no report that is not yet flagged. The watcher acts the
    day after (`today > due`)."""

    kind: OverdueKind
    due: date


OverdueEvent = ActionItemOverdue


def evolve_overdue(item: ActionItem, event: OverdueEvent) -> ActionItem:
    """The item flagged past due, or with one more missed report."""
    if event.kind is OverdueKind.PAST_DUE:
        return item.model_copy(update={"flagged_past_due": True})
    missed_reports = (*item.missed_reports, event.missed)
    return item.model_copy(update={"missed_reports": missed_reports})


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
