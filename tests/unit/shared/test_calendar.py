"""Working days: statutory holidays, make-up working days, district years, provisional."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shared.calendar import WorkingCalendar
from shared.domain import Deadline, WorkingDays
from shared.settings import CalendarYear, DistrictSettings

STATUTORY = WorkingCalendar()
UNANNOUNCED_2027 = WorkingCalendar.from_district(
    DistrictSettings(calendar={"2027": CalendarYear()})
)
# A made-up 2027 Spring Festival arrangement, as a district would add it to its file.
ANNOUNCED_2027 = WorkingCalendar.from_district(
    DistrictSettings(
        calendar={
            "2027": CalendarYear(
                holidays=tuple(date(2027, 2, d) for d in range(5, 12)),
                workdays=(date(2027, 2, 13),),
            )
        }
    )
)


def test_the_calendar_is_a_working_days_calendar() -> None:
    calendar: WorkingDays = STATUTORY

    assert calendar.is_working_day(date(2024, 10, 8))


def test_five_working_days_skip_national_day_and_count_the_make_up_saturday() -> None:
    deadline = STATUTORY.add_working_days(date(2024, 9, 30), 5)

    # 10-01..10-07 off; 10-08..10-11 are days 1-4; Saturday 10-12 is a make-up day.
    assert deadline == Deadline(due=date(2024, 10, 12), is_provisional=False)


def test_the_make_up_sunday_before_national_day_counts() -> None:
    deadline = STATUTORY.add_working_days(date(2024, 9, 27), 5)

    # Sunday 09-29 and Monday 09-30, then 10-08, 10-09, 10-10.
    assert deadline == Deadline(due=date(2024, 10, 10), is_provisional=False)


def test_national_day_2024_is_off_and_its_make_up_days_are_working() -> None:
    off = [date(2024, 10, d) for d in range(1, 8)]

    assert not any(STATUTORY.is_working_day(d) for d in off)
    assert STATUTORY.is_working_day(date(2024, 9, 29))
    assert STATUTORY.is_working_day(date(2024, 10, 12))


def test_five_working_days_over_spring_festival_2025() -> None:
    deadline = STATUTORY.add_working_days(date(2025, 1, 24), 5)

    # Sunday 01-26 is a make-up day, 01-28..02-04 are off.
    assert deadline == Deadline(due=date(2025, 2, 7), is_provisional=False)


def test_working_days_between_counts_the_end_but_not_the_start() -> None:
    between = STATUTORY.working_days_between(date(2025, 1, 27), date(2025, 2, 10))

    # 02-05, 02-06, 02-07, Saturday 02-08 (make-up), 02-10.
    assert between == 5
    assert STATUTORY.working_days_between(date(2025, 2, 10), date(2025, 1, 27)) == -5
    assert STATUTORY.working_days_between(date(2025, 2, 10), date(2025, 2, 10)) == 0


def test_zero_working_days_is_the_start_itself() -> None:
    deadline = STATUTORY.add_working_days(date(2024, 10, 3), 0)

    assert deadline == Deadline(due=date(2024, 10, 3), is_provisional=False)


def test_a_negative_number_of_working_days_is_refused() -> None:
    with pytest.raises(ValueError, match="non-negative"):
        STATUTORY.add_working_days(date(2024, 10, 3), -1)


def test_a_deadline_in_an_unannounced_year_is_provisional_on_weekends_alone() -> None:
    deadline = UNANNOUNCED_2027.add_working_days(date(2027, 2, 1), 5)

    assert deadline == Deadline(due=date(2027, 2, 8), is_provisional=True)


def test_a_deadline_crossing_into_an_unannounced_year_is_provisional() -> None:
    deadline = STATUTORY.add_working_days(date(2026, 12, 28), 5)

    assert deadline == Deadline(due=date(2027, 1, 4), is_provisional=True)


def test_a_deadline_inside_an_announced_year_is_not_provisional() -> None:
    deadline = UNANNOUNCED_2027.add_working_days(date(2026, 12, 21), 5)

    assert deadline == Deadline(due=date(2026, 12, 28), is_provisional=False)


def test_a_year_the_district_announced_follows_its_holidays_and_workdays() -> None:
    deadline = ANNOUNCED_2027.add_working_days(date(2027, 2, 3), 3)

    # 02-04 is day 1, 02-05..02-11 are off, Saturday 02-13 is a make-up day.
    assert deadline == Deadline(due=date(2027, 2, 13), is_provisional=False)


def test_the_district_file_overrides_chinese_calendar_on_its_days() -> None:
    calendar = WorkingCalendar.from_district(
        DistrictSettings(calendar={"2025": CalendarYear(holidays=(date(2025, 3, 3),))})
    )

    assert not calendar.is_working_day(date(2025, 3, 3))
    assert calendar.is_working_day(date(2025, 1, 26))
    assert not calendar.is_working_day(date(2025, 1, 28))


@pytest.mark.parametrize(
    ("years", "message"),
    [
        ({"2027": CalendarYear(holidays=(date(2028, 1, 1),))}, "not in 2027"),
        (
            {
                "2027": CalendarYear(
                    holidays=(date(2027, 2, 6),), workdays=(date(2027, 2, 6),)
                )
            },
            "both a holiday and a workday",
        ),
        ({"next": CalendarYear()}, "must be a year"),
    ],
)
def test_a_district_calendar_with_a_misplaced_date_is_refused(
    years: dict[str, CalendarYear], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        WorkingCalendar.from_district(DistrictSettings(calendar=years))


@given(
    start=st.dates(min_value=date(2003, 6, 1), max_value=date(2029, 12, 31)),
    days=st.integers(min_value=1, max_value=130),
)
def test_adding_working_days_lands_on_a_working_day_that_many_working_days_later(
    start: date, days: int
) -> None:
    deadline = ANNOUNCED_2027.add_working_days(start, days)

    touched = [start + timedelta(n) for n in range(1, (deadline.due - start).days + 1)]
    assert ANNOUNCED_2027.is_working_day(deadline.due)
    assert ANNOUNCED_2027.working_days_between(start, deadline.due) == days
    assert deadline.is_provisional == any(
        not ANNOUNCED_2027.is_announced(d) for d in touched
    )
