"""Periods counted in calendar months and years, as the Civil Code counts them: a
listing's period and the wait before its early removal in credit (rules.md §3.1.1),
the six months between plenaries in meetings."""

from __future__ import annotations

import calendar
from datetime import date


def add_months(start: date, months: int) -> date:
    """The same day of the month `months` months later; the last day of that month
    when it has no such day (31 August + 6 months is 28 or 29 February), as the Civil
    Code counts periods of months and years (民法典 art. 202)."""
    index = start.year * 12 + start.month - 1 + months
    year, month = divmod(index, 12)
    last_day = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(start.day, last_day))


def add_years(start: date, years: int) -> date:
    """The same day `years` years later; 28 February when it was 29 February."""
    return add_months(start, years * 12)


def has_full_months_passed(start: date, end: date, months: int) -> bool:
    """Whether `months` whole months have passed from `start` by `end`: `end` is on
    or after the same day `months` months later."""
    return end >= add_months(start, months)
