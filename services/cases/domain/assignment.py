"""Assignment: the office assigns a case to member units, which report progress; the
lead unit may return a mis-routed case (东区政〔2017〕104号 §4(三), rules.md §4.1,
DESIGN.md §4 "cases")."""

from __future__ import annotations

from datetime import date
from typing import ClassVar, Final, Self, assert_never

from pydantic import model_validator

from services.cases.domain.lifecycle import OPEN, require_status, require_step_date
from services.cases.domain.limits import CaseLimits
from services.cases.domain.state import (
    Assignment,
    AssignmentStatus,
    Case,
    CaseStatus,
    DeadlineKind,
    with_deadline,
    without_deadlines,
)
from shared.dates import BusinessDate, require_within_years_ahead
from shared.domain import Command, Deadline, Event, Role
from shared.errors import InvalidInput, NotPermitted, RuleViolated
from shared.unit_guard import require_active_unit
from shared.values import Note, Text, UnitCode

# Assigned units report on and return their assignments; the office may too.
_ASSIGNED_UNITS: frozenset[Role] = frozenset({Role.UNIT_STAFF, Role.OFFICE})


class AssignCase(Command):
    permitted: ClassVar[frozenset[Role]] = frozenset({Role.OFFICE})

    lead_unit: UnitCode
    helping_units: tuple[UnitCode, ...] = ()
    due_on: BusinessDate
    note: Note = ""

    @model_validator(mode="after")
    def _each_unit_once(self) -> Self:
        if self.lead_unit in self.helping_units:
            raise ValueError("the lead unit is also among the helping units")
        if len(set(self.helping_units)) != len(self.helping_units):
            raise ValueError("a helping unit is named twice")
        return self


class ReportProgress(Command):
    permitted: ClassVar[frozenset[Role]] = _ASSIGNED_UNITS

    text: Text
    reported_on: BusinessDate


class ReturnAssignment(Command):
    permitted: ClassVar[frozenset[Role]] = _ASSIGNED_UNITS

    reason: Text


ALLOWED_IN: Final[dict[type[Command], frozenset[CaseStatus]]] = {
    AssignCase: OPEN,
    ReportProgress: OPEN,
    ReturnAssignment: OPEN,
}
"""The statuses in which each command of this capability is a next step."""


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


def assign_case(
    case: Case,
    command: AssignCase,
    *,
    today: date,
    units: frozenset[str],
    limits: CaseLimits,
) -> list[AssignmentEvent]:
    """An open case is assigned to active member units, due today or later; a new
    assignment replaces the one before, as when the office re-assigns a returned case."""
    require_status(case, ALLOWED_IN[AssignCase], "assigned")
    require_active_unit(command.lead_unit, units=units, field="lead_unit")
    for index, helper in enumerate(command.helping_units):
        require_active_unit(helper, units=units, field=f"helping_units.{index}")
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
) -> list[AssignmentEvent]:
    """The lead unit or a helping unit of the active assignment reports progress."""
    require_status(case, ALLOWED_IN[ReportProgress], "reported on")
    assignment = _active_assignment(case)
    if not assignment.includes(unit):
        raise NotPermitted(f"Unit {unit} is not assigned to this case.")
    require_step_date(case, command.reported_on, field="reported_on", today=today)
    return [
        ProgressReported(unit=unit, text=command.text, reported_on=command.reported_on)
    ]


def return_assignment(
    case: Case, command: ReturnAssignment, *, unit: str
) -> list[AssignmentEvent]:
    """Only the lead unit returns its active assignment, with a reason; the office
    then assigns the case again."""
    require_status(case, ALLOWED_IN[ReturnAssignment], "returned")
    assignment = _active_assignment(case)
    if unit != assignment.lead_unit:
        raise NotPermitted(f"Only the lead unit {assignment.lead_unit} may return it.")
    return [AssignmentReturned(unit=unit, reason=command.reason)]


def has_active_assignment(case: Case) -> bool:
    """Whether the case is assigned to units now (not returned)."""
    assignment = case.assignment
    return assignment is not None and assignment.status is AssignmentStatus.ACTIVE


def _active_assignment(case: Case) -> Assignment:
    assignment = case.assignment
    if assignment is None or not has_active_assignment(case):
        raise RuleViolated(
            "no-active-assignment", "The case is not assigned to any unit now."
        )
    return assignment
