"""The date windows of credit repair over any dates: given a listing decided on D,
when the employer declares it paid on P and cases recorded the full payment on R (or
never), then the application is taken exactly when D ≤ R ≤ P, and the decision grants
removal only when 6 whole months ran from R, not from P, to the application; otherwise
it refuses as not paid (R missing, after P or before D) or too soon."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.credit.domain.early_removal import (
    ApplyForEarlyRemoval,
    DecideEarlyRemoval,
    EarlyRemovalEvent,
    PaymentOnRecord,
    RefusalReason,
    apply_for_early_removal,
    decide_early_removal,
)
from shared.errors import RuleViolated
from shared.months import has_full_months_passed
from tests.unit.credit.factories import (
    CALENDAR,
    DECIDED_ON,
    LIMITS,
    active,
    early_removal_applied,
    listing_of,
)

APPLIED_ON = date(2026, 1, 15)
around_the_decision = st.integers(min_value=-90, max_value=500).map(
    lambda n: DECIDED_ON + timedelta(days=n)
)
records = st.one_of(st.none(), around_the_decision)


def _record(day: date | None) -> PaymentOnRecord:
    return PaymentOnRecord(case_ids=("2024-000001",), paid_in_full_on=day)


@given(around_the_decision, records)
def test_an_application_is_taken_exactly_when_the_payment_is_on_record_in_the_listing(
    paid_on: date, recorded: date | None
) -> None:
    command = ApplyForEarlyRemoval(
        applied_on=APPLIED_ON, paid_on=paid_on, commitment_text="承诺按时支付"
    )
    expected = recorded is not None and DECIDED_ON <= recorded <= paid_on

    def apply() -> list[EarlyRemovalEvent]:
        return apply_for_early_removal(
            listing_of(active()),
            command,
            today=APPLIED_ON,
            has_new_arrears=False,
            payment_on_record=_record(recorded),
        )

    if expected:
        assert len(apply()) == 1
        return
    before = paid_on < DECIDED_ON or (
        recorded is not None and recorded <= paid_on and recorded < DECIDED_ON
    )
    with pytest.raises(RuleViolated) as refused:
        apply()
    assert refused.value.code == (
        "payment-before-listing" if before else "payment-not-on-record"
    )


@given(around_the_decision, records, st.integers(min_value=0, max_value=400))
def test_removal_is_granted_exactly_when_six_months_ran_from_the_recorded_payment(
    paid_on: date, recorded: date | None, waited: int
) -> None:
    applied_on = paid_on + timedelta(days=waited)
    history = [
        *active(),
        early_removal_applied(paid_on=paid_on, applied_on=applied_on),
    ]

    events = decide_early_removal(
        listing_of(history),
        DecideEarlyRemoval(decided_on=applied_on),
        today=applied_on,
        calendar=CALENDAR,
        limits=LIMITS,
        has_new_arrears=False,
        payment_on_record=_record(recorded),
    )

    is_granted = (
        recorded is not None
        and DECIDED_ON <= recorded <= paid_on
        and has_full_months_passed(recorded, applied_on, 6)
    )
    reasons = getattr(events[0], "reasons", ())
    assert (reasons == ()) is is_granted
    if recorded is None or not DECIDED_ON <= recorded <= paid_on:
        assert reasons == (RefusalReason.NOT_PAID,)
    elif not is_granted:
        assert reasons == (RefusalReason.TOO_SOON_AFTER_CORRECTION,)
