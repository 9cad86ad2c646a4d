"""The plenary rule looking back: every half-year over since the joint meeting was
established with no plenary held in it is reported (never the current one, never one
with a plenary), and every interval of more than six months between two plenaries."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.meetings.domain.plenary_rule import (
    HalfYear,
    PlenaryRule,
    add_months,
    ended_half_years,
    half_of,
    intervals,
    longest_interval,
    missed_half_years,
    plenary_rule,
)

ESTABLISHED_ON = date(2017, 8, 2)


def test_a_plenary_every_half_year_leaves_no_half_year_missed() -> None:
    # Given the demo's first two plenaries, eight months apart but in two half-years
    held = [date(2017, 8, 24), date(2018, 4, 23)]

    # When the rule looks back on 2018-08-01
    missed = missed_half_years(ESTABLISHED_ON, held, date(2018, 8, 1))

    # Then no half-year is missed, but the interval is late and the longest
    assert missed == []
    late = [i for i in intervals(held) if i.is_late]
    assert [(i.first_held_on, i.next_held_on, i.days) for i in late] == [
        (date(2017, 8, 24), date(2018, 4, 23), 242)
    ]
    assert longest_interval(held) == late[0]


def test_a_half_year_with_no_plenary_is_reported_from_its_first_to_its_last_day() -> (
    None
):
    # Given plenaries in 2017's second half and 2018's second half only
    held = [date(2017, 9, 1), date(2018, 9, 3)]

    # When the rule looks back in 2019's first half
    missed = missed_half_years(ESTABLISHED_ON, held, date(2019, 3, 1))

    # Then 2018's first half is missed; the current half-year is not judged yet
    assert missed == [
        HalfYear(
            year=2018, half=1, first_day=date(2018, 1, 1), last_day=date(2018, 6, 30)
        )
    ]


def test_with_no_plenary_every_half_year_since_the_establishment_is_missed() -> None:
    # Given no plenary at all, when the rule looks back on 2019-01-01
    missed = missed_half_years(ESTABLISHED_ON, [], date(2019, 1, 1))

    # Then the first half-year starts on the establishment, and 2018's second is over
    assert [(h.year, h.half, h.first_day, h.last_day) for h in missed] == [
        (2017, 2, ESTABLISHED_ON, date(2017, 12, 31)),
        (2018, 1, date(2018, 1, 1), date(2018, 6, 30)),
        (2018, 2, date(2018, 7, 1), date(2018, 12, 31)),
    ]


def test_a_half_year_ends_on_its_last_day_not_before() -> None:
    # Given no plenary, on 2017-12-31 the second half of 2017 is not over yet
    assert missed_half_years(ESTABLISHED_ON, [], date(2017, 12, 31)) == []
    assert len(missed_half_years(ESTABLISHED_ON, [], date(2018, 1, 1))) == 1


def test_without_an_establishment_the_first_plenary_starts_the_count() -> None:
    held = [date(2019, 3, 1)]
    missed = missed_half_years(None, held, date(2020, 1, 1))
    assert [(h.year, h.half) for h in missed] == [(2019, 2)]
    assert missed_half_years(None, [], date(2020, 1, 1)) == []


def test_six_months_to_the_day_is_not_late_one_more_day_is() -> None:
    on_time = intervals([date(2020, 1, 15), date(2020, 7, 15)])
    late = intervals([date(2020, 1, 15), date(2020, 7, 16)])
    assert [i.is_late for i in on_time + late] == [False, True]
    assert longest_interval([date(2020, 1, 1)]) is None


days = st.dates(min_value=date(2017, 8, 2), max_value=date(2026, 12, 31))


@given(
    established_on=st.dates(min_value=date(2015, 1, 1), max_value=date(2020, 12, 31)),
    held=st.lists(days, max_size=25),
    today=days,
)
def test_a_half_year_is_reported_exactly_when_no_plenary_was_held_in_it(
    established_on: date, held: list[date], today: date
) -> None:
    held = [d for d in held if d >= established_on]
    missed = missed_half_years(established_on, held, today)
    reported = {(h.year, h.half) for h in missed}
    halves_held = {half_of(d) for d in held}
    every_ended = ended_half_years(established_on, today)

    # Every reported half-year has no plenary; every unreported one that is over has one
    assert all(h not in halves_held for h in reported)
    assert {(h.year, h.half) for h in every_ended} - reported <= halves_held
    assert all(h.last_day < today and h.first_day >= established_on for h in missed)
    assert missed == sorted(missed, key=lambda h: (h.year, h.half))


@given(held=st.lists(days, max_size=25))
def test_the_longest_interval_is_one_of_the_intervals_and_none_is_longer(
    held: list[date],
) -> None:
    between = intervals(held)
    longest = longest_interval(held)
    assert len(between) == max(0, len(set(held)) - 1)
    assert sum(i.days for i in between) == ((max(held) - min(held)).days if held else 0)
    if longest is not None:
        assert longest in between
        assert all(i.days <= longest.days for i in between)


def test_before_the_first_plenary_the_office_is_warned() -> None:
    rule = plenary_rule(None, date(2017, 9, 1))

    assert rule == PlenaryRule(
        last_held_on=None,
        due_by=None,
        days_overdue=0,
        is_warning=True,
        message="No plenary meeting has been held yet.",
    )


def test_the_next_plenary_is_due_six_months_after_the_last_and_not_late_that_day() -> (
    None
):
    rule = plenary_rule(date(2024, 3, 20), date(2024, 9, 20))

    assert rule == PlenaryRule(
        last_held_on=date(2024, 3, 20),
        due_by=date(2024, 9, 20),
        days_overdue=0,
        is_warning=False,
        message="The last plenary was held on 2024-03-20; the next is due by 2024-09-20.",
    )


def test_a_late_plenary_counts_the_days_since_it_was_due() -> None:
    rule = plenary_rule(date(2024, 3, 20), date(2024, 9, 23))

    assert rule == PlenaryRule(
        last_held_on=date(2024, 3, 20),
        due_by=date(2024, 9, 20),
        days_overdue=3,
        is_warning=True,
        message="The last plenary was held on 2024-03-20; one was due by 2024-09-20,"
        " 3 days ago.",
    )


@pytest.mark.parametrize(
    ("day", "months", "later"),
    [
        (date(2023, 8, 31), 6, date(2024, 2, 29)),
        (date(2024, 8, 31), 6, date(2025, 2, 28)),
        (date(2024, 7, 15), 6, date(2025, 1, 15)),
        (date(2024, 6, 30), 6, date(2024, 12, 30)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
    ],
)
def test_months_are_added_to_the_same_day_or_the_month_s_last(
    day: date, months: int, later: date
) -> None:
    assert add_months(day, months) == later


@pytest.mark.parametrize(
    ("day", "half"),
    [(date(2024, 1, 1), 1), (date(2024, 6, 30), 1), (date(2024, 7, 1), 2)],
)
def test_january_to_june_is_the_first_half_year(day: date, half: int) -> None:
    assert half_of(day) == (2024, half)
