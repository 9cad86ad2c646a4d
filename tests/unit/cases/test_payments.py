"""Money: given a case, when payments are recorded, a handling decision made or court
enforcement applied, then events or a refusal."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

import pytest

from services.cases.domain.case import CaseEvent
from services.cases.domain.payments import (
    ApplyCourtEnforcement,
    DecideHandling,
    RecordPayment,
    apply_court_enforcement,
    decide_handling,
    record_payment,
)
from services.cases.domain.state import CaseStatus
from shared.errors import InvalidInput, InvalidTransition, RuleViolated
from tests.unit.cases.factories import (
    LIMITS,
    TODAY,
    arrears_cleared,
    case_closed,
    case_of,
    court_enforcement_applied,
    handling_decided,
    investigating,
    ordered,
    overdue,
    payment_recorded,
    received,
)


def pay(amount: str, *, is_overpayment: bool = False) -> RecordPayment:
    return RecordPayment(
        paid_on=date(2024, 4, 10), amount=Decimal(amount), is_overpayment=is_overpayment
    )


def paid(history: list[CaseEvent], command: RecordPayment) -> Sequence[CaseEvent]:
    return record_payment(case_of(history), command, today=TODAY)


def decided(history: list[CaseEvent], rate: str) -> Sequence[CaseEvent]:
    command = DecideHandling(
        decided_on=date(2024, 4, 22), compensation_rate=Decimal(rate)
    )
    return decide_handling(case_of(history), command, today=TODAY, limits=LIMITS)


def test_a_partial_payment_is_recorded_and_the_rest_is_still_owed() -> None:
    events = paid(ordered(), pay("5000.00"))

    assert events == [payment_recorded()]
    case = case_of(ordered(), events)
    assert (case.status, case.amount_still_owed) == (
        CaseStatus.ORDERED_TO_PAY,
        Decimal("7000.00"),
    )


def test_partial_payments_add_up_and_paying_the_rest_clears_the_arrears() -> None:
    history = [*ordered(), payment_recorded()]

    events = paid(history, pay("7000.00"))

    assert events == [payment_recorded(amount=Decimal("7000.00")), arrears_cleared()]
    case = case_of(history, events)
    assert (case.status, case.amount_still_owed, case.amount_recovered) == (
        CaseStatus.PAID,
        Decimal(0),
        Decimal("12000.00"),
    )


def test_paying_an_overdue_order_in_full_makes_the_case_paid() -> None:
    events = paid(overdue(), pay("12000.00"))

    assert events == [payment_recorded(amount=Decimal("12000.00")), arrears_cleared()]
    assert case_of(overdue(), events).status is CaseStatus.PAID


def test_a_payment_during_the_investigation_keeps_the_case_under_investigation() -> (
    None
):
    events = paid(investigating(), pay("12000.00"))

    assert events == [payment_recorded(amount=Decimal("12000.00")), arrears_cleared()]
    assert case_of(investigating(), events).status is CaseStatus.INVESTIGATING


def test_a_payment_above_what_is_still_owed_is_refused() -> None:
    with pytest.raises(RuleViolated) as refused:
        paid([*ordered(), payment_recorded()], pay("7000.01"))

    assert refused.value.code == "payment-exceeds-owed"


def test_a_payment_recorded_as_an_overpayment_may_exceed_what_is_owed() -> None:
    history = [*ordered(), payment_recorded()]

    events = paid(history, pay("8000.00", is_overpayment=True))

    assert events == [
        payment_recorded(amount=Decimal("8000.00"), is_overpayment=True),
        arrears_cleared(amount_recovered=Decimal("13000.00")),
    ]
    case = case_of(history, events)
    assert (case.amount_still_owed, case.amount_recovered) == (
        Decimal(0),
        Decimal("13000.00"),
    )


def test_a_payment_within_what_is_owed_is_no_overpayment_whatever_the_command_says() -> (
    None
):
    events = paid(ordered(), pay("5000.00", is_overpayment=True))

    assert events == [payment_recorded()]


def test_a_paid_case_takes_only_overpayments_and_clears_nothing_again() -> None:
    history = [
        *ordered(),
        payment_recorded(amount=Decimal("12000.00")),
        arrears_cleared(),
    ]

    events = paid(history, pay("300.00", is_overpayment=True))

    assert events == [payment_recorded(amount=Decimal("300.00"), is_overpayment=True)]
    with pytest.raises(RuleViolated):
        paid(history, pay("300.00"))


def test_a_payment_is_not_recorded_before_the_case_is_opened_or_after_it_closed() -> (
    None
):
    closed = [
        *ordered(),
        payment_recorded(amount=Decimal("12000.00")),
        arrears_cleared(),
    ]

    with pytest.raises(InvalidTransition) as not_opened:
        paid(received(), pay("100.00"))
    with pytest.raises(InvalidTransition) as after_closing:
        paid([*closed, case_closed()], pay("100.00"))

    assert not_opened.value.current == CaseStatus.RECEIVED
    assert after_closing.value.current == CaseStatus.CLOSED


def test_a_payment_is_not_recorded_on_a_future_date() -> None:
    command = RecordPayment(paid_on=date(2024, 5, 7), amount=Decimal("1.00"))

    with pytest.raises(InvalidInput) as refused:
        record_payment(case_of(ordered()), command, today=TODAY)

    assert (refused.value.field, refused.value.rule) == ("paid_on", "not_in_future")


def test_an_overdue_order_brings_extra_compensation_of_a_rate_of_what_is_still_owed() -> (
    None
):
    history = [*overdue(), payment_recorded(amount=Decimal("1654.33"))]

    events = decided(history, "0.75")

    # 0.75 × 10345.67 = 7759.2525, rounded to the cent
    assert events == [
        handling_decided(
            amount_still_owed=Decimal("10345.67"),
            compensation_rate=Decimal("0.75"),
            compensation_amount=Decimal("7759.25"),
        )
    ]
    assert case_of(history, events).status is CaseStatus.HANDLING_DECIDED


def test_compensation_is_rounded_half_up_to_the_cent() -> None:
    history = [*overdue(), payment_recorded(amount=Decimal("11999.99"))]

    events = decided(history, "0.5")

    assert events == [
        handling_decided(
            amount_still_owed=Decimal("0.01"),
            compensation_rate=Decimal("0.5"),
            compensation_amount=Decimal("0.01"),
        )
    ]


@pytest.mark.parametrize(("rate", "amount"), [("0.5", "6000.00"), ("1", "12000.00")])
def test_the_compensation_rate_may_be_either_end_of_the_limits(
    rate: str, amount: str
) -> None:
    events = decided(overdue(), rate)

    assert events == [
        handling_decided(
            compensation_rate=Decimal(rate), compensation_amount=Decimal(amount)
        )
    ]


@pytest.mark.parametrize("rate", ["0.49", "0.1"])
def test_a_compensation_rate_outside_the_limits_is_refused(rate: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        decided(overdue(), rate)

    assert (refused.value.field, refused.value.rule) == (
        "compensation_rate",
        "compensation_rate_within_limits",
    )


@pytest.mark.parametrize(
    ("history", "status"),
    [
        (investigating(), CaseStatus.INVESTIGATING),
        (ordered(), CaseStatus.ORDERED_TO_PAY),
        ([*overdue(), handling_decided()], CaseStatus.HANDLING_DECIDED),
    ],
)
def test_a_handling_decision_follows_only_an_overdue_order(
    history: list[CaseEvent], status: CaseStatus
) -> None:
    with pytest.raises(InvalidTransition) as refused:
        decided(history, "0.5")

    assert refused.value.current == status


@pytest.mark.parametrize(
    "history", [overdue(), [*overdue(), handling_decided()]], ids=["overdue", "decided"]
)
def test_an_overdue_order_or_an_unpaid_decision_goes_to_the_court(
    history: list[CaseEvent],
) -> None:
    events = apply_court_enforcement(
        case_of(history),
        ApplyCourtEnforcement(applied_on=date(2024, 4, 29)),
        today=TODAY,
    )

    assert events == [court_enforcement_applied()]
    assert case_of(history, events).status is CaseStatus.COURT_ENFORCEMENT


def test_an_order_not_yet_due_does_not_go_to_the_court() -> None:
    with pytest.raises(InvalidTransition) as refused:
        apply_court_enforcement(
            case_of(ordered()),
            ApplyCourtEnforcement(applied_on=date(2024, 4, 29)),
            today=TODAY,
        )

    assert refused.value.current == CaseStatus.ORDERED_TO_PAY
