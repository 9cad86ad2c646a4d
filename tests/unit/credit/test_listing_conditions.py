"""Order 45 art. 5: listing needs an overdue order to pay **and** (arrears at the crime
threshold **or** a mass incident). Given grounds, when a candidate is opened by hand or
decided, then it is refused naming the condition not met; the threshold holds for any
worker owed 3 months or more (not only a case of one worker) or 10 workers or more."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.credit.domain.candidate import (
    CandidateOpened,
    OpenByHand,
    open_by_hand,
)
from services.credit.domain.decision import DecideListing, decide_listing
from services.credit.domain.grounds import (
    Grounds,
    OpenedFrom,
    is_large_amount,
    require_listing_conditions,
)
from services.credit.domain.limits import CreditLimits
from services.credit.domain.listing import Listing
from services.credit.rules import CreditRules
from shared.errors import RuleViolated
from shared.settings import DistrictSettings
from tests.unit.credit.factories import (
    CALENDAR,
    DECIDED_ON,
    DECISION_ID,
    OPENED_ON,
    TODAY,
    employer_subject,
    grounds,
    lapsed,
    listing_of,
)

LIMITS = CreditLimits(
    objection_working_days=5,
    sanction_confirm_working_days=10,
    crime_threshold_one_worker=Decimal(10_000),
    crime_threshold_many_workers=Decimal(50_000),
)
X1 = Decimal("10000.00")
X2 = Decimal("50000.00")


def by_hand(ground: Grounds) -> OpenByHand:
    return OpenByHand(
        subject=employer_subject(),
        grounds=ground,
        opened_from=OpenedFrom.BY_HAND,
        opened_on=OPENED_ON,
    )


def opened(ground: Grounds) -> list[CandidateOpened]:
    return open_by_hand(
        Listing(), by_hand(ground), today=TODAY, person_key=None, limits=LIMITS
    )


@pytest.mark.parametrize(
    ("workers", "months", "amount", "is_met"),
    [
        (1, 3, X1, True),
        (1, 2, X1, False),
        (1, 3, X1 - Decimal("0.01"), False),
        (5, 4, Decimal("100000.00"), True),  # the case of 5 workers
        (9, 3, X1, True),
        (9, 2, X2 - Decimal("0.01"), False),
        (10, 1, X2, True),
        (10, 1, X2 - Decimal("0.01"), False),
        (0, 12, Decimal("99999.00"), False),
    ],
)
def test_the_crime_threshold(
    workers: int, months: int, amount: Decimal, is_met: bool
) -> None:
    ground = grounds(workers_count=workers, months_owed=months, amount_owed=amount)

    assert is_large_amount(ground, LIMITS) is is_met


@given(
    workers=st.integers(min_value=0, max_value=200),
    months=st.integers(min_value=0, max_value=36),
    cents=st.integers(min_value=0, max_value=20_000_000),
    is_incident=st.booleans(),
    is_overdue=st.booleans(),
)
def test_a_listing_opened_by_hand_meets_every_condition_or_is_refused(
    workers: int, months: int, cents: int, is_incident: bool, is_overdue: bool
) -> None:
    amount = Decimal(cents).scaleb(-2)
    ground = grounds(
        workers_count=workers,
        months_owed=months,
        amount_owed=amount,
        is_mass_incident=is_incident,
        is_order_overdue=is_overdue,
    )
    large = (workers >= 1 and months >= 3 and amount >= X1) or (
        workers >= 10 and amount >= X2
    )

    if is_overdue and (large or is_incident):
        assert [e.grounds for e in opened(ground)] == [ground]
        return
    with pytest.raises(RuleViolated) as refused:
        opened(ground)
    expected = (
        "payment-order-not-overdue" if not is_overdue else "listing-ground-missing"
    )
    assert refused.value.code == expected


def test_three_workers_owed_a_thousand_yuan_are_not_listed_by_hand() -> None:
    small = grounds(workers_count=3, months_owed=1, amount_owed=Decimal("1000.00"))

    with pytest.raises(RuleViolated) as refused:
        opened(small)

    assert refused.value.code == "listing-ground-missing"
    assert "Order 45 art. 5" in str(refused.value)


def test_a_mass_incident_lists_whatever_the_amount() -> None:
    small = grounds(
        workers_count=3,
        months_owed=1,
        amount_owed=Decimal("1000.00"),
        is_mass_incident=True,
    )

    require_listing_conditions(small, LIMITS)
    assert len(opened(small)) == 1


def test_the_decision_applies_the_same_test() -> None:
    small = grounds(workers_count=3, months_owed=1, amount_owed=Decimal("1000.00"))
    decide = DecideListing(
        decided_on=DECIDED_ON, decision_id=DECISION_ID, decided_by="局长"
    )

    with pytest.raises(RuleViolated) as refused:
        decide_listing(
            listing_of(lapsed(grounds=small)),
            decide,
            today=TODAY,
            calendar=CALENDAR,
            limits=LIMITS,
            listing_id="x",
        )

    assert refused.value.code == "listing-ground-missing"


def test_credit_takes_the_crime_threshold_of_cases() -> None:
    district = DistrictSettings(
        limits={
            "cases": {
                "crime_threshold_one_worker": "12000",
                "crime_threshold_many_workers": "60000",
            },
            "credit": {
                "objection_working_days": 5,
                "sanction_confirm_working_days": 10,
            },
        }
    )

    limits = CreditRules.from_district(district).limits

    assert limits.crime_threshold_one_worker == Decimal(12_000)
    assert limits.crime_threshold_many_workers == Decimal(60_000)
