"""Working days on the Chinese statutory calendar plus the district's announced years."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

import chinese_calendar

from shared.domain import Deadline
from shared.settings import CalendarYear, DistrictSettings

_SATURDAY = 5


@dataclass(frozen=True)
class _Day:
    is_working: bool
    is_announced: bool


@dataclass(frozen=True)
class WorkingCalendar:
    """Statutory holidays and make-up working days from `chinese-calendar` (the years
    the State Council has announced); the district's dates take precedence on their
    day; a year chinese-calendar does not know follows the district's dates on top of
    weekends, or weekends alone (and provisional) when the district lists none."""

    holidays: frozenset[date] = frozenset()
    workdays: frozenset[date] = frozenset()
    announced_years: frozenset[int] = frozenset()

    @classmethod
    def from_district(cls, settings: DistrictSettings) -> WorkingCalendar:
        """The calendar with the district file's years; a listed year with no dates
        counts as not announced. Raises ValueError naming a misplaced date."""
        return cls.from_years(settings.calendar)

    @classmethod
    def from_years(cls, years: Mapping[str, CalendarYear]) -> WorkingCalendar:
        """The calendar with these years' holidays and make-up working days."""
        holidays: set[date] = set()
        workdays: set[date] = set()
        announced: set[int] = set()
        for key, entry in years.items():
            year = _year(key)
            _check_year(key, year, entry)
            if entry.holidays or entry.workdays:
                announced.add(year)
                holidays.update(entry.holidays)
                workdays.update(entry.workdays)
        return cls(frozenset(holidays), frozenset(workdays), frozenset(announced))

    def is_working_day(self, day: date) -> bool:
        """Whether people work that day (make-up working days included)."""
        return self._classify(day).is_working

    def is_announced(self, day: date) -> bool:
        """Whether that day's year is announced (else it counts on weekends alone)."""
        return self._classify(day).is_announced

    def add_working_days(self, start: date, days: int) -> Deadline:
        """The day `days` working days after `start` (start itself not counted);
        provisional when any day counted lies in a year not yet announced."""
        if days < 0:
            raise ValueError("a deadline counts a non-negative number of working days")
        day = start
        is_provisional = days == 0 and not self._classify(start).is_announced
        remaining = days
        while remaining:
            day += timedelta(days=1)
            facts = self._classify(day)
            is_provisional = is_provisional or not facts.is_announced
            if facts.is_working:
                remaining -= 1
        return Deadline(due=day, is_provisional=is_provisional)

    def working_days_between(self, start: date, end: date) -> int:
        """Working days in (start, end]; negative when end is before start, so that
        `working_days_between(s, add_working_days(s, n).due) == n`."""
        if end < start:
            return -self.working_days_between(end, start)
        count = 0
        day = start
        while day < end:
            day += timedelta(days=1)
            if self._classify(day).is_working:
                count += 1
        return count

    def _classify(self, day: date) -> _Day:
        if day in self.holidays:
            return _Day(is_working=False, is_announced=True)
        if day in self.workdays:
            return _Day(is_working=True, is_announced=True)
        statutory = _statutory_working_day(day)
        if statutory is not None:
            return _Day(is_working=statutory, is_announced=True)
        # A year chinese-calendar has no data for: the district's entries on top of
        # weekends, or weekends alone and provisional (DESIGN §4).
        return _Day(
            is_working=day.weekday() < _SATURDAY,
            is_announced=day.year in self.announced_years,
        )


# chinese-calendar validates its argument on every call, which made it the largest
# cost of receiving a case (deadlines count day by day); its answers never change.
@functools.lru_cache(maxsize=16_384)
def _statutory_working_day(day: date) -> bool | None:
    """chinese-calendar's answer for the day; None for a year it has no data for."""
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        return None


def _year(key: str) -> int:
    if not (key.isdigit() and len(key) == 4):
        raise ValueError(f'calendar.{key}: the key must be a year such as "2027"')
    return int(key)


def _check_year(key: str, year: int, entry: CalendarYear) -> None:
    for day in (*entry.holidays, *entry.workdays):
        if day.year != year:
            raise ValueError(f"calendar.{key}: {day.isoformat()} is not in {key}")
    both = set(entry.holidays) & set(entry.workdays)
    if both:
        first = min(both).isoformat()
        raise ValueError(f"calendar.{key}: {first} is both a holiday and a workday")
