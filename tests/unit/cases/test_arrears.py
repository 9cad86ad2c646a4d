"""Which cases count in what employers owe (the totals' amount owed): not a complaint
rejected or transferred out, nor a case cancelled, closed since or not."""

from __future__ import annotations

import pytest

from services.cases.domain.case import CaseEvent
from services.cases.domain.state import CaseOutcome
from tests.unit.cases.factories import (
    case_cancelled,
    case_closed,
    case_of,
    case_rejected,
    case_transferred_out,
    investigating,
    ordered,
    overdue,
    received,
)


@pytest.mark.parametrize(
    "history",
    [
        received(),
        investigating(),
        ordered(),
        overdue(),
        [*ordered(), case_closed(outcome=CaseOutcome.PAID)],
    ],
    ids=["received", "investigating", "ordered", "overdue", "closed-paid"],
)
def test_a_case_open_or_closed_on_its_merits_counts_as_arrears(
    history: list[CaseEvent],
) -> None:
    assert case_of(history).is_arrears is True


@pytest.mark.parametrize(
    "history",
    [
        [*received(), case_rejected()],
        [*received(), case_transferred_out()],
        [*investigating(), case_cancelled()],
        [
            *investigating(),
            case_cancelled(),
            case_closed(outcome=CaseOutcome.CANCELLED),
        ],
    ],
    ids=["rejected", "transferred-out", "cancelled", "cancelled-then-closed"],
)
def test_a_case_rejected_transferred_out_or_cancelled_owes_nothing_in_the_totals(
    history: list[CaseEvent],
) -> None:
    assert case_of(history).is_arrears is False
