"""Properties of the crime threshold over any number of workers, months and amounts
(法释〔2013〕3号 art. 3, rules.md §3.5): the first branch holds for any worker, not
only in a case of one; more of anything never takes a case below it; and below
3 months and fewer than 10 workers, or below X1, nothing meets it. X1 = 10,000 and
X2 = 50,000 here."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from services.cases.domain.escalation import meets_crime_threshold
from services.cases.domain.state import Case
from tests.unit.cases.factories import LIMITS

counts = st.integers(min_value=1, max_value=500)
months = st.integers(min_value=0, max_value=60)
amounts = st.decimals(min_value=Decimal("0.00"), max_value=Decimal("1000000"), places=2)


def case(count: int, months_owed: int, amount: Decimal) -> Case:
    return Case(workers_count=count, months_owed=months_owed, amount_owed=amount)


@given(st.integers(min_value=2, max_value=9), months, amounts)
def test_a_case_of_two_to_nine_workers_meets_it_as_a_case_of_one_does(
    count: int, months_owed: int, amount: Decimal
) -> None:
    assert meets_crime_threshold(case(count, months_owed, amount), LIMITS) is (
        meets_crime_threshold(case(1, months_owed, amount), LIMITS)
    )


@given(counts, months, amounts)
def test_three_months_or_more_at_x1_always_meet_it(
    count: int, months_owed: int, amount: Decimal
) -> None:
    is_met = meets_crime_threshold(case(count, months_owed, amount), LIMITS)

    if months_owed >= 3 and amount >= LIMITS.crime_threshold_one_worker:
        assert is_met


@given(counts, months, amounts)
def test_ten_workers_or_more_at_x2_always_meet_it(
    count: int, months_owed: int, amount: Decimal
) -> None:
    is_met = meets_crime_threshold(case(count, months_owed, amount), LIMITS)

    if count >= 10 and amount >= LIMITS.crime_threshold_many_workers:
        assert is_met


@given(counts, months, amounts)
def test_nothing_meets_it_outside_both_branches(
    count: int, months_owed: int, amount: Decimal
) -> None:
    is_met = meets_crime_threshold(case(count, months_owed, amount), LIMITS)

    if amount < LIMITS.crime_threshold_one_worker:
        assert not is_met
    if count < 10 and months_owed < 3:
        assert not is_met
    if months_owed < 3 and amount < LIMITS.crime_threshold_many_workers:
        assert not is_met


@given(counts, months, amounts, counts, months, amounts)
def test_more_workers_months_or_money_never_take_a_case_below_it(
    count: int,
    months_owed: int,
    amount: Decimal,
    more_workers: int,
    more_months: int,
    more_money: Decimal,
) -> None:
    before = meets_crime_threshold(case(count, months_owed, amount), LIMITS)
    after = meets_crime_threshold(
        case(count + more_workers, months_owed + more_months, amount + more_money),
        LIMITS,
    )

    assert after or not before


@given(counts, months, amounts, amounts)
def test_it_is_measured_on_what_is_still_owed(
    count: int, months_owed: int, amount: Decimal, recovered: Decimal
) -> None:
    paid = Case(
        workers_count=count,
        months_owed=months_owed,
        amount_owed=amount,
        amount_recovered=recovered,
    )
    still_owed = max(Decimal(0), amount - recovered)

    assert meets_crime_threshold(paid, LIMITS) is meets_crime_threshold(
        case(count, months_owed, still_owed), LIMITS
    )
