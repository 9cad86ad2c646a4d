"""Closing: given a case that reached an outcome, when it is closed, then the outcome
is recorded; a case still being handled, or waiting on a referral, is not closed."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from services.cases.domain.case import CaseEvent
from services.cases.domain.investigation import CloseCase, close_case
from services.cases.domain.state import CaseOutcome, CaseStatus
from shared.errors import InvalidTransition, RuleViolated
from tests.unit.cases.factories import (
    TODAY,
    arrears_cleared,
    case_cancelled,
    case_closed,
    case_of,
    court_enforcement_applied,
    handling_decided,
    investigating,
    ordered,
    overdue,
    payment_recorded,
    received,
    referral_approved,
    referral_proposed,
)

PAID = [*ordered(), payment_recorded(amount=Decimal("12000.00")), arrears_cleared()]


@pytest.mark.parametrize(
    ("history", "outcome"),
    [
        (PAID, CaseOutcome.PAID),
        ([*overdue(), handling_decided()], CaseOutcome.HANDLING_DECIDED),
        ([*overdue(), court_enforcement_applied()], CaseOutcome.COURT_ENFORCEMENT),
        ([*investigating(), case_cancelled()], CaseOutcome.CANCELLED),
    ],
)
def test_a_case_is_closed_with_the_outcome_it_reached(
    history: list[CaseEvent], outcome: CaseOutcome
) -> None:
    events = close_case(
        case_of(history), CloseCase(closed_on=date(2024, 4, 30)), today=TODAY
    )

    assert events == [case_closed(outcome=outcome)]
    closed = case_of(history, events)
    assert (closed.status, closed.outcome, closed.deadlines) == (
        CaseStatus.CLOSED,
        outcome,
        (),
    )


@pytest.mark.parametrize(
    ("history", "status"),
    [
        (received(), CaseStatus.RECEIVED),
        (investigating(), CaseStatus.INVESTIGATING),
        (ordered(), CaseStatus.ORDERED_TO_PAY),
        (overdue(), CaseStatus.OVERDUE),
        ([*PAID, case_closed()], CaseStatus.CLOSED),
    ],
)
def test_a_case_is_not_closed_before_it_reached_an_outcome(
    history: list[CaseEvent], status: CaseStatus
) -> None:
    with pytest.raises(InvalidTransition) as refused:
        close_case(
            case_of(history), CloseCase(closed_on=date(2024, 4, 30)), today=TODAY
        )

    assert refused.value.current == status


def test_a_case_is_not_closed_while_a_referral_waits_on_the_head_or_the_police() -> (
    None
):
    history = [*PAID, referral_proposed(), referral_approved()]

    with pytest.raises(RuleViolated) as refused:
        close_case(
            case_of(history), CloseCase(closed_on=date(2024, 4, 30)), today=TODAY
        )

    assert refused.value.code == "referral-pending"
