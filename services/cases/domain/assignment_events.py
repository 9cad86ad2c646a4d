"""Who works on a case: the office assigns it, units report, the lead unit may return it
(东区政〔2017〕104号 §4(三), rules.md §4.1)."""

from __future__ import annotations

from datetime import date
from typing import assert_never

from services.cases.domain.case import (
    Assignment,
    AssignmentStatus,
    Case,
    DeadlineKind,
    with_deadline,
    without_deadlines,
)
from shared.domain import Deadline, Event


class CaseAssigned(Event):
    """The office assigned the case to a lead unit and helping units, to be done by
    `due_on`; it replaces any earlier assignment."""

    lead_unit: str
    helping_units: tuple[str, ...]
    due_on: date
    note: str


class ProgressReported(Event):
    """An assigned unit reported what it did."""

    unit: str
    text: str
    reported_on: date


class AssignmentReturned(Event):
    """The lead unit sent a mis-routed case back to the office, with the reason."""

    unit: str
    reason: str


AssignmentEvent = CaseAssigned | ProgressReported | AssignmentReturned


def evolve_assignment(case: Case, event: AssignmentEvent) -> Case:
    """The case after it was assigned, reported on or returned."""
    match event:
        case CaseAssigned():
            assignment = Assignment(
                lead_unit=event.lead_unit,
                helping_units=event.helping_units,
                due_on=event.due_on,
            )
            due = Deadline(due=event.due_on, is_provisional=False)
            deadlines = with_deadline(case.deadlines, DeadlineKind.ASSIGNMENT, due)
            return case.model_copy(
                update={"assignment": assignment, "deadlines": deadlines}
            )
        case ProgressReported():
            return case.model_copy(
                update={"progress_reports": case.progress_reports + 1}
            )
        case AssignmentReturned():
            if case.assignment is None:
                return case
            returned = case.assignment.model_copy(
                update={"status": AssignmentStatus.RETURNED}
            )
            deadlines = without_deadlines(case.deadlines, DeadlineKind.ASSIGNMENT)
            return case.model_copy(
                update={"assignment": returned, "deadlines": deadlines}
            )
        case _:
            assert_never(event)
