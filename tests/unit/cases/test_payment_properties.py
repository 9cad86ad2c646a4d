"""Properties of payments over any sequence of amounts: what is owed never goes
negative, and payments exceed it only when recorded as overpayments."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.cases.domain.case import CASE, CaseEvent
from services.cases.domain.payments import (
    PaymentRecorded,
    RecordPayment,
    record_payment,
)
from shared.errors import RuleViolated
from tests.unit.cases.factories import TODAY, ordered

amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("50000"), places=2)
payments = st.lists(st.tuples(amounts, st.booleans()), max_size=12)
owed = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("100000"), places=2)


def paid_over(
    amount_owed: Decimal, attempts: list[tuple[Decimal, bool]]
) -> list[CaseEvent]:
    """Every payment attempted on a case ordered to pay `amount_owed`, refusals
    skipped, with the case checked after each one."""
    history = ordered(amount_owed=amount_owed)
    for amount, is_overpayment in attempts:
        case = CASE.replay(history)
        command = RecordPayment(
            paid_on=date(2024, 4, 10), amount=amount, is_overpayment=is_overpayment
        )
        if amount > case.amount_still_owed and not is_overpayment:
            with pytest.raises(RuleViolated) as refused:
                record_payment(case, command, today=TODAY)
            assert refused.value.code == "payment-exceeds-owed"
        else:
            history += record_payment(case, command, today=TODAY)
        assert CASE.replay(history).amount_still_owed >= 0
    return history


@given(owed, payments)
def test_no_sequence_of_payments_makes_the_amount_still_owed_negative(
    amount_owed: Decimal, attempts: list[tuple[Decimal, bool]]
) -> None:
    history = paid_over(amount_owed, attempts)

    case = CASE.replay(history)

    assert case.amount_still_owed == max(
        Decimal(0), amount_owed - case.amount_recovered
    )


@given(owed, payments)
def test_payments_exceed_the_amount_owed_only_when_recorded_as_overpayment(
    amount_owed: Decimal, attempts: list[tuple[Decimal, bool]]
) -> None:
    history = paid_over(amount_owed, attempts)

    recorded = [e for e in history if isinstance(e, PaymentRecorded)]

    total = sum((e.amount for e in recorded), Decimal(0))
    if not any(e.is_overpayment for e in recorded):
        assert total <= amount_owed
    assert CASE.replay(history).amount_recovered == total


@given(owed, st.lists(amounts, max_size=12))
def test_payments_never_marked_as_overpayment_never_exceed_the_amount_owed(
    amount_owed: Decimal, amounts_paid: list[Decimal]
) -> None:
    history = paid_over(amount_owed, [(a, False) for a in amounts_paid])

    total = sum(
        (e.amount for e in history if isinstance(e, PaymentRecorded)), Decimal(0)
    )

    assert total <= amount_owed
