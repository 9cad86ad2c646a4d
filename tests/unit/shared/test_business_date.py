"""Business date vs recording time (issue #14): which field dates an event, and when a
step recorded after its date is back-dated (`shared.business_date`)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shared.business_date import Backdating, business_date, is_backdated
from shared.settings import ServiceSettings

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_a_named_business_date_field_comes_before_any_other_on_field() -> None:
    data = {"accepted_on": "2024-01-05", "received_on": "2024-01-02"}

    assert business_date(data) == date(2024, 1, 2)


def test_without_a_named_field_the_first_on_field_alphabetically_dates_the_event() -> (
    None
):
    data = {"served_on": "2024-03-09", "ordered_on": "2024-03-01", "note": "x"}

    assert business_date(data) == date(2024, 3, 1)


def test_a_hearing_notice_is_dated_when_given_not_on_the_hearing_day() -> None:
    # HearingScheduled: notified on 18 July of a hearing on 29 July.
    data = {"hearing_on": "2024-07-29", "notified_on": "2024-07-18", "place": "听证室"}

    assert business_date(data) == date(2024, 7, 18)


def test_a_field_that_is_not_a_date_is_passed_over() -> None:
    data = {"decided_on": "soon", "paid_on": "2024-05-06", "held_on": None}

    assert business_date(data) == date(2024, 5, 6)


def test_an_event_without_a_date_has_no_business_date_and_is_never_backdated() -> None:
    data = {"note": "x", "amount_on_hold": 3}

    assert business_date(data) is None
    assert Backdating().mark(data, datetime(2026, 12, 6, tzinfo=UTC)) == (None, False)


@given(
    business=st.dates(min_value=date(1990, 1, 1), max_value=date(2099, 1, 1)),
    days_later=st.integers(min_value=-3, max_value=400),
    after_days=st.integers(min_value=0, max_value=366),
    clock=st.times(),
)
def test_a_step_is_backdated_exactly_when_recorded_more_than_n_days_after_its_date(
    business: date, days_later: int, after_days: int, clock: time
) -> None:
    local = datetime.combine(business + timedelta(days_later), clock, SHANGHAI)

    marked = is_backdated(
        business, local.astimezone(UTC), zone=SHANGHAI, after_days=after_days
    )

    assert marked is (days_later > after_days)


def test_the_day_it_was_recorded_turns_at_midnight_in_the_districts_zone() -> None:
    rule = Backdating(zone=SHANGHAI, after_days=7)
    data = {"received_on": "2026-11-29"}
    # 2026-12-06 23:59:59 and 2026-12-07 00:00:00 in Shanghai (UTC+8).
    last_second = datetime(2026, 12, 6, 15, 59, 59, tzinfo=UTC)
    midnight = datetime(2026, 12, 6, 16, 0, tzinfo=UTC)

    assert rule.mark(data, last_second) == (date(2026, 11, 29), False)
    assert rule.mark(data, midnight) == (date(2026, 11, 29), True)


def test_the_same_moment_counts_in_the_zone_the_setting_names() -> None:
    data = {"received_on": "2026-11-29"}
    moment = datetime(2026, 12, 6, 20, 0, tzinfo=UTC)

    in_shanghai = Backdating.of(timezone="Asia/Shanghai", after_days=7)
    in_utc = Backdating.of(timezone="UTC", after_days=7)

    assert in_shanghai.mark(data, moment)[1] is True
    assert in_utc.mark(data, moment)[1] is False


def test_the_setting_defaults_to_a_week_and_is_read_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert ServiceSettings().backdated_after_days == 7
    assert Backdating().after_days == 7

    monkeypatch.setenv("BACKDATED_AFTER_DAYS", "30")

    assert ServiceSettings().backdated_after_days == 30
