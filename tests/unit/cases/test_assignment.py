"""Assignment: given a case, when the office assigns it, a unit reports progress or the
lead unit returns it, then events or a refusal."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import pytest
from pydantic import ValidationError

from services.cases.domain.assignment import (
    AssignCase,
    ReportProgress,
    ReturnAssignment,
    assign_case,
    report_progress,
    return_assignment,
)
from services.cases.domain.case import CaseEvent
from services.cases.domain.state import (
    Assignment,
    AssignmentStatus,
    CaseStatus,
    DeadlineKind,
    OpenDeadline,
)
from shared.domain import Role
from shared.errors import InvalidInput, InvalidTransition, NotPermitted, RuleViolated
from tests.unit.cases.factories import (
    LIMITS,
    TODAY,
    UNITS,
    assignment_returned,
    case_assigned,
    case_closed,
    case_of,
    investigating,
    progress_reported,
    received,
)

ASSIGNED = [*investigating(), case_assigned()]
RETURNED = [*ASSIGNED, assignment_returned()]
REPORT = ReportProgress(text="已约谈总包单位", reported_on=date(2024, 5, 6))


def assign(**overrides: object) -> AssignCase:
    fields: dict[str, object] = {
        "lead_unit": "jsj",
        "helping_units": ("yjkz",),
        "due_on": date(2024, 5, 31),
        "note": "督促总包单位代发",
    }
    return AssignCase.model_validate(fields | overrides)


def assigned(history: list[CaseEvent], command: AssignCase) -> Sequence[CaseEvent]:
    return assign_case(
        case_of(history), command, today=TODAY, units=UNITS, limits=LIMITS
    )


def test_the_office_assigns_a_case_to_a_lead_unit_and_helping_units() -> None:
    events = assigned(investigating(), assign())

    assert events == [case_assigned()]
    case = case_of(investigating(), events)
    assert case.assignment == Assignment(
        lead_unit="jsj", helping_units=("yjkz",), due_on=date(2024, 5, 31)
    )
    assert case.deadline(DeadlineKind.ASSIGNMENT) == OpenDeadline(
        kind=DeadlineKind.ASSIGNMENT, due=date(2024, 5, 31)
    )


def test_only_the_office_assigns_and_assigned_units_report_and_return() -> None:
    assert AssignCase.permitted == {Role.OFFICE}
    assert ReportProgress.permitted == {Role.UNIT_STAFF, Role.OFFICE}
    assert ReturnAssignment.permitted == {Role.UNIT_STAFF, Role.OFFICE}


def test_a_received_case_can_be_assigned_before_it_is_accepted() -> None:
    events = assigned(received(), assign(helping_units=()))

    assert events == [case_assigned(helping_units=())]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"lead_unit": "zzz"}, "lead_unit"),
        ({"helping_units": ("yjkz", "withdrawn-unit")}, "helping_units.1"),
    ],
)
def test_a_case_is_assigned_only_to_known_active_units(
    overrides: dict[str, object], field: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        assigned(investigating(), assign(**overrides))

    assert (refused.value.field, refused.value.rule) == (field, "unit_active")


def test_the_lead_unit_is_not_also_a_helping_unit() -> None:
    with pytest.raises(ValidationError):
        assign(helping_units=("jsj",))


def test_a_helping_unit_is_named_once() -> None:
    with pytest.raises(ValidationError):
        assign(helping_units=("yjkz", "yjkz"))


def test_an_assignment_is_not_due_in_the_past() -> None:
    with pytest.raises(InvalidInput) as refused:
        assigned(investigating(), assign(due_on=date(2024, 5, 5)))

    assert (refused.value.field, refused.value.rule) == ("due_on", "not_in_past")


def test_an_assignment_may_be_due_today() -> None:
    events = assigned(investigating(), assign(due_on=TODAY))

    assert events == [case_assigned(due_on=TODAY)]


def test_a_closed_case_is_not_assigned() -> None:
    with pytest.raises(InvalidTransition) as refused:
        assigned([*investigating(), case_closed()], assign())

    assert refused.value.current == CaseStatus.CLOSED


@pytest.mark.parametrize("unit", ["jsj", "yjkz"])
def test_the_lead_unit_or_a_helping_unit_reports_progress(unit: str) -> None:
    events = report_progress(case_of(ASSIGNED), REPORT, today=TODAY, unit=unit)

    assert events == [progress_reported(unit=unit)]
    assert case_of(ASSIGNED, events).progress_reports == 1


def test_a_unit_not_assigned_does_not_report_progress() -> None:
    with pytest.raises(NotPermitted):
        report_progress(case_of(ASSIGNED), REPORT, today=TODAY, unit="rsj")


@pytest.mark.parametrize(
    "history", [investigating(), RETURNED], ids=["never-assigned", "returned"]
)
def test_progress_is_reported_only_on_an_active_assignment(
    history: list[CaseEvent],
) -> None:
    with pytest.raises(RuleViolated) as refused:
        report_progress(case_of(history), REPORT, today=TODAY, unit="jsj")

    assert refused.value.code == "no-active-assignment"


def test_the_lead_unit_returns_a_misrouted_assignment_with_a_reason() -> None:
    events = return_assignment(
        case_of(ASSIGNED), ReturnAssignment(reason="非工程建设领域"), unit="jsj"
    )

    assert events == [assignment_returned()]
    case = case_of(ASSIGNED, events)
    assert case.assignment is not None
    assert case.assignment.status is AssignmentStatus.RETURNED
    assert case.deadline(DeadlineKind.ASSIGNMENT) is None


def test_a_return_needs_a_reason() -> None:
    with pytest.raises(ValidationError):
        ReturnAssignment(reason="")


def test_a_helping_unit_does_not_return_the_assignment() -> None:
    with pytest.raises(NotPermitted):
        return_assignment(
            case_of(ASSIGNED), ReturnAssignment(reason="不归我管"), unit="yjkz"
        )


def test_a_returned_assignment_is_not_returned_again() -> None:
    with pytest.raises(RuleViolated) as refused:
        return_assignment(case_of(RETURNED), ReturnAssignment(reason="x"), unit="jsj")

    assert refused.value.code == "no-active-assignment"


def test_the_office_reassigns_a_returned_case_to_another_unit() -> None:
    events = assigned(RETURNED, assign(lead_unit="scjgj", helping_units=()))

    assert events == [case_assigned(lead_unit="scjgj", helping_units=())]
    case = case_of(RETURNED, events)
    assert case.assignment == Assignment(
        lead_unit="scjgj", helping_units=(), due_on=date(2024, 5, 31)
    )


def test_an_assignment_is_due_no_further_ahead_than_the_district_allows() -> None:
    limit = date(TODAY.year + LIMITS.max_years_ahead, TODAY.month, TODAY.day)

    assert assigned(investigating(), assign(due_on=limit))
    with pytest.raises(InvalidInput) as refused:
        assigned(investigating(), assign(due_on=limit.replace(day=limit.day + 1)))

    assert (refused.value.field, refused.value.rule) == (
        "due_on",
        "date_within_years_ahead",
    )
