"""A working-day calendar for tests: Monday to Friday, no holidays."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from shared.domain import Deadline


@dataclass(frozen=True)
class WeekendCalendar:
    """Working days are Monday to Friday; days after `announced_until` count the same
    but make a deadline provisional, as a year not yet announced does."""

    announced_until: date = date(2026, 12, 31)

    def is_working_day(self, day: date) -> bool:
        return day.weekday() < 5

    def add_working_days(self, start: date, days: int) -> Deadline:
        day = start
        while days:
            day += timedelta(days=1)
            if self.is_working_day(day):
                days -= 1
        return Deadline(due=day, is_provisional=day > self.announced_until)

    def working_days_between(self, start: date, end: date) -> int:
        if end < start:
            return -self.working_days_between(end, start)
        span = (start + timedelta(days=n) for n in range(1, (end - start).days + 1))
        return sum(self.is_working_day(day) for day in span)
