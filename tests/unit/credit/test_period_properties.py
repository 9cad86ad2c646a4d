"""Periods over any dates: the wait before early removal counts whole calendar months
across month ends and leap years, and a listing is in force from its decision up to
the same day 3 years on, when it expires."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.credit.domain.early_removal import (
    DecideEarlyRemoval,
    EarlyRemovalEvent,
    PaymentOnRecord,
    RefusalReason,
    decide_early_removal,
)
from services.credit.domain.ending import ExpireListing, expire_listing
from services.credit.domain.listing import is_in_force
from shared.errors import RuleViolated
from shared.months import add_months
from tests.unit.credit.factories import (
    CALENDAR,
    DECIDED_ON,
    LIMITS,
    active,
    candidate,
    early_removal_applied,
    early_removal_granted,
    early_removal_refused,
    lapsed,
    listing_decided,
    listing_of,
)

days = st.dates(min_value=date(2020, 1, 1), max_value=date(2032, 12, 31))
month_ends = days.map(lambda d: d.replace(day=calendar.monthrange(d.year, d.month)[1]))
# A payment counts from the listing decision on (rules.md §4.2).
listed_days = st.dates(min_value=DECIDED_ON, max_value=date(2032, 12, 31))
listed_month_ends = listed_days.map(
    lambda d: d.replace(day=calendar.monthrange(d.year, d.month)[1])
).filter(lambda d: d >= DECIDED_ON)


def six_whole_months(paid_on: date, applied_on: date) -> bool:
    """Counted by hand: six months on the calendar, and in the sixth month the same
    day of the month, or the month's last day when it has no such day."""
    months = (applied_on.year - paid_on.year) * 12 + applied_on.month - paid_on.month
    is_month_end = (
        applied_on.day == calendar.monthrange(applied_on.year, applied_on.month)[1]
    )
    return months > 6 or (
        months == 6 and (applied_on.day >= paid_on.day or is_month_end)
    )


def decided_on_removal(paid_on: date, applied_on: date) -> list[EarlyRemovalEvent]:
    """The decision, the day of the application, on removal for that payment."""
    history = [
        *active(),
        early_removal_applied(paid_on=paid_on, applied_on=applied_on),
    ]
    return decide_early_removal(
        listing_of(history),
        DecideEarlyRemoval(decided_on=applied_on),
        today=applied_on,
        calendar=CALENDAR,
        limits=LIMITS,
        has_new_arrears=False,
        payment_on_record=PaymentOnRecord(
            case_ids=("2024-000001",), paid_in_full_on=paid_on
        ),
    )


@given(
    st.one_of(listed_days, listed_month_ends), st.integers(min_value=150, max_value=220)
)
def test_early_removal_is_granted_exactly_when_six_whole_months_have_passed(
    paid_on: date, waited: int
) -> None:
    applied_on = paid_on + timedelta(days=waited)

    events = decided_on_removal(paid_on, applied_on)

    if six_whole_months(paid_on, applied_on):
        lift_due = CALENDAR.add_working_days(applied_on, 10).due
        assert events == [
            early_removal_granted(decided_on=applied_on, lift_due=lift_due)
        ]
    else:
        assert events == [
            early_removal_refused(
                decided_on=applied_on,
                reasons=(RefusalReason.TOO_SOON_AFTER_CORRECTION,),
            )
        ]


@given(st.one_of(days, month_ends), st.integers(min_value=0, max_value=120))
def test_months_added_land_on_the_same_day_or_the_last_day_of_the_month(
    start: date, months: int
) -> None:
    end = add_months(start, months)

    last_day = calendar.monthrange(end.year, end.month)[1]
    assert (end.year - start.year) * 12 + end.month - start.month == months
    assert end.day == min(start.day, last_day)


@given(days)
def test_a_listing_is_in_force_from_its_decision_until_the_same_day_three_years_on(
    decided_on: date,
) -> None:
    ends_on = add_months(decided_on, 36)
    listing = listing_of(
        lapsed(), [listing_decided(decided_on=decided_on, ends_on=ends_on)]
    )

    assert not is_in_force(listing, decided_on - timedelta(days=1))
    assert is_in_force(listing, decided_on)
    assert is_in_force(listing, ends_on - timedelta(days=1))
    assert not is_in_force(listing, ends_on)
    assert ends_on.month == decided_on.month
    assert ends_on.year == decided_on.year + 3


@given(days)
def test_the_watcher_expires_a_listing_on_its_end_day_and_not_before(
    decided_on: date,
) -> None:
    ends_on = add_months(decided_on, 36)
    listing = listing_of(
        lapsed(), [listing_decided(decided_on=decided_on, ends_on=ends_on)]
    )

    with pytest.raises(RuleViolated):
        expire_listing(
            listing,
            ExpireListing(),
            today=ends_on - timedelta(days=1),
            calendar=CALENDAR,
            limits=LIMITS,
        )
    expired = expire_listing(
        listing, ExpireListing(), today=ends_on, calendar=CALENDAR, limits=LIMITS
    )

    assert [type(e).__name__ for e in expired] == ["ListingExpired"]


def test_a_candidate_is_never_in_force() -> None:
    assert not is_in_force(listing_of(candidate()), date(2024, 6, 3))
