"""Deadlines: which limits run after each step, and the watcher recording a missed one
exactly once."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

import pytest

from services.cases.domain.case import CaseEvent
from services.cases.domain.escalation import (
    RecordDeadlineMissed,
    record_deadline_missed,
)
from services.cases.domain.state import (
    CaseStatus,
    DeadlineKind,
    OpenDeadline,
    open_deadlines,
)
from shared.domain import Role
from shared.errors import RuleViolated
from tests.unit.cases.factories import (
    CASE_ID,
    LIMITS,
    PAY_BY,
    TODAY,
    arrears_cleared,
    case_accepted,
    case_assigned,
    case_of,
    case_rejected,
    deadline,
    deadline_missed,
    investigating,
    investigation_extended,
    ordered,
    payment_recorded,
    received,
    supplement_received,
    supplement_requested,
)


def missed(
    history: list[CaseEvent], kind: DeadlineKind, due: date, *, today: date = TODAY
) -> Sequence[CaseEvent]:
    return record_deadline_missed(
        case_of(history),
        RecordDeadlineMissed(kind=kind, due=due),
        today=today,
        limits=LIMITS,
        case_id=CASE_ID,
    )


def running(kind: DeadlineKind, due: date) -> OpenDeadline:
    return OpenDeadline(kind=kind, due=due)


@pytest.mark.parametrize(
    ("history", "deadlines"),
    [
        ([], ()),
        (received(), (running(DeadlineKind.ACCEPTANCE, date(2024, 3, 11)),)),
        (
            [*received(), supplement_requested()],
            (running(DeadlineKind.SUPPLEMENT, date(2024, 3, 15)),),
        ),
        ([*received(), supplement_requested(due=None)], ()),
        (
            [*received(), supplement_requested(), supplement_received()],
            (running(DeadlineKind.ACCEPTANCE, date(2024, 3, 19)),),
        ),
        (investigating(), (running(DeadlineKind.INVESTIGATION, date(2024, 5, 29)),)),
        (
            [*investigating(), investigation_extended()],
            (running(DeadlineKind.INVESTIGATION, date(2024, 7, 10)),),
        ),
        (ordered(), (running(DeadlineKind.PAYMENT_ORDER, PAY_BY),)),
        (
            [
                *ordered(),
                payment_recorded(amount=Decimal("12000.00")),
                arrears_cleared(),
            ],
            (),
        ),
        ([*received(), case_rejected()], ()),
    ],
    ids=[
        "new",
        "received",
        "awaiting-supplement",
        "awaiting-supplement-without-due-date",
        "supplement-received",
        "investigating",
        "extended",
        "ordered",
        "paid",
        "rejected",
    ],
)
def test_each_step_starts_the_next_limit_and_ends_its_own(
    history: list[CaseEvent], deadlines: tuple[OpenDeadline, ...]
) -> None:
    assert open_deadlines(case_of(history)) == deadlines


def test_an_assignment_runs_its_own_deadline_beside_the_case_steps() -> None:
    case = case_of(investigating(), [case_assigned()])

    assert open_deadlines(case) == (
        running(DeadlineKind.INVESTIGATION, date(2024, 5, 29)),
        running(DeadlineKind.ASSIGNMENT, date(2024, 5, 31)),
    )


def test_only_the_deadline_watcher_records_a_missed_deadline() -> None:
    assert RecordDeadlineMissed.permitted == {Role.SYSTEM}


def test_a_passed_acceptance_deadline_is_recorded_as_missed() -> None:
    events = missed(received(), DeadlineKind.ACCEPTANCE, date(2024, 3, 11))

    assert events == [
        deadline_missed(
            kind=DeadlineKind.ACCEPTANCE, due=date(2024, 3, 11), detected_on=TODAY
        )
    ]
    case = case_of(received(), events)
    assert case.missed == (running(DeadlineKind.ACCEPTANCE, date(2024, 3, 11)),)
    assert open_deadlines(case) == ()
    assert case.deadlines == (running(DeadlineKind.ACCEPTANCE, date(2024, 3, 11)),)


def test_a_missed_deadline_is_recorded_once_however_often_the_watcher_runs() -> None:
    history = [
        *received(),
        deadline_missed(kind=DeadlineKind.ACCEPTANCE, due=date(2024, 3, 11)),
    ]

    events = missed(history, DeadlineKind.ACCEPTANCE, date(2024, 3, 11))

    assert events == []


def test_a_deadline_no_longer_running_is_not_recorded_as_missed() -> None:
    events = missed(investigating(), DeadlineKind.ACCEPTANCE, date(2024, 3, 11))

    assert events == []


def test_a_deadline_that_moved_is_not_missed_at_its_old_date() -> None:
    history = [*investigating(), investigation_extended()]

    events = missed(
        history, DeadlineKind.INVESTIGATION, date(2024, 5, 29), today=date(2024, 6, 3)
    )

    assert events == []


@pytest.mark.parametrize("today", [date(2024, 3, 11), date(2024, 3, 8)])
def test_a_deadline_is_missed_only_after_its_day_has_passed(today: date) -> None:
    with pytest.raises(RuleViolated) as refused:
        missed(received(), DeadlineKind.ACCEPTANCE, date(2024, 3, 11), today=today)

    assert refused.value.code == "deadline-not-passed"


def test_a_late_acceptance_after_a_missed_deadline_is_still_accepted() -> None:
    history = [
        *received(),
        deadline_missed(kind=DeadlineKind.ACCEPTANCE, due=date(2024, 3, 11)),
        case_accepted(accepted_on=date(2024, 3, 13)),
    ]

    case = case_of(history)

    assert case.status is CaseStatus.INVESTIGATING
    assert case.deadline(DeadlineKind.ACCEPTANCE) is None
    assert case.missed == (running(DeadlineKind.ACCEPTANCE, date(2024, 3, 11)),)


def test_a_missed_payment_order_makes_the_case_overdue() -> None:
    history = ordered(amount_owed=Decimal("9000.00"))

    events = missed(history, DeadlineKind.PAYMENT_ORDER, PAY_BY)

    assert events == [deadline_missed(detected_on=TODAY)]
    assert case_of(history, events).status is CaseStatus.OVERDUE


def test_a_missed_deadline_keeps_whether_it_was_provisional() -> None:
    provisional = case_accepted(
        investigation_deadline=deadline(date(2024, 5, 29), is_provisional=True)
    )
    history = [*received(), provisional]

    events = missed(
        history, DeadlineKind.INVESTIGATION, date(2024, 5, 29), today=date(2024, 5, 30)
    )

    assert case_of(history, events).missed == (
        OpenDeadline(
            kind=DeadlineKind.INVESTIGATION, due=date(2024, 5, 29), is_provisional=True
        ),
    )
