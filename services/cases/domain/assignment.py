"""Assignment: the office assigns a case to member units, which report progress; the
lead unit may return a mis-routed case (rules.md §4.1, DESIGN.md §4 "cases")."""

from __future__ import annotations

from datetime import date

from services.cases.domain.aggregate import CaseEvent
from services.cases.domain.assignment_events import (
    AssignmentReturned,
    CaseAssigned,
    ProgressReported,
)
from services.cases.domain.case import Assignment, AssignmentStatus, Case
from services.cases.domain.commands import AssignCase, ReportProgress, ReturnAssignment
from services.cases.domain.limits import CaseLimits
from services.cases.domain.transitions import (
    OPEN,
    require_date,
    require_status,
    require_unit,
)
from shared.dates import require_within_years_ahead
from shared.errors import InvalidInput, NotPermitted, RuleViolated


def assign_case(
    case: Case,
    command: AssignCase,
    *,
    today: date,
    units: frozenset[str],
    limits: CaseLimits,
) -> list[CaseEvent]:
    """An open case is assigned to active member units, due today or later; a new
    assignment replaces the one before, as when the office re-assigns a returned case."""
    require_status(case, OPEN, "assigned")
    require_unit(command.lead_unit, units, field="lead_unit")
    for index, helper in enumerate(command.helping_units):
        require_unit(helper, units, field=f"helping_units.{index}")
    if command.due_on < today:
        raise InvalidInput(
            field="due_on",
            rule="not_in_past",
            detail=f"{command.due_on} has already passed.",
        )
    require_within_years_ahead(
        command.due_on, field="due_on", today=today, years=limits.max_years_ahead
    )
    return [
        CaseAssigned(
            lead_unit=command.lead_unit,
            helping_units=command.helping_units,
            due_on=command.due_on,
            note=command.note,
        )
    ]


def report_progress(
    case: Case, command: ReportProgress, *, today: date, unit: str
) -> list[CaseEvent]:
    """The lead unit or a helping unit of the active assignment reports progress."""
    require_status(case, OPEN, "reported on")
    assignment = _active_assignment(case)
    if not assignment.includes(unit):
        raise NotPermitted(f"Unit {unit} is not assigned to this case.")
    require_date(command.reported_on, field="reported_on", case=case, today=today)
    return [
        ProgressReported(unit=unit, text=command.text, reported_on=command.reported_on)
    ]


def return_assignment(
    case: Case, command: ReturnAssignment, *, unit: str
) -> list[CaseEvent]:
    """Only the lead unit returns its active assignment, with a reason; the office
    then assigns the case again."""
    require_status(case, OPEN, "returned")
    assignment = _active_assignment(case)
    if unit != assignment.lead_unit:
        raise NotPermitted(f"Only the lead unit {assignment.lead_unit} may return it.")
    return [AssignmentReturned(unit=unit, reason=command.reason)]


def _active_assignment(case: Case) -> Assignment:
    assignment = case.assignment
    if assignment is None or assignment.status is not AssignmentStatus.ACTIVE:
        raise RuleViolated(
            "no-active-assignment", "The case is not assigned to any unit now."
        )
    return assignment
