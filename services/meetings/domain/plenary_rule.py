"""The plenary rule: 全体会议原则上每半年召开一次 — a plenary at least every six months.
"原则上" means "as a rule" (rules.md §4.3), so a late plenary is a warning, never a block.
Looking back, every half-year since the joint meeting was established that passed with no
plenary is reported, and so is every interval of more than six months between two."""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from datetime import date
from itertools import pairwise
from typing import Literal

from pydantic import BaseModel, ConfigDict

PLENARY_EVERY_MONTHS = 6


class PlenaryRule(BaseModel):
    """When the next plenary is due and whether the office should be warned today."""

    model_config = ConfigDict(frozen=True)

    last_held_on: date | None
    due_by: date | None
    days_overdue: int
    is_warning: bool
    message: str


def add_months(day: date, months: int) -> date:
    """The same day `months` later; the month's last day when it is shorter."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def plenary_rule(last_held_on: date | None, today: date) -> PlenaryRule:
    """The rule as it stands today, given the day the last plenary was held."""
    if last_held_on is None:
        return PlenaryRule(
            last_held_on=None,
            due_by=None,
            days_overdue=0,
            is_warning=True,
            message="No plenary meeting has been held yet.",
        )
    due_by = add_months(last_held_on, PLENARY_EVERY_MONTHS)
    overdue = max(0, (today - due_by).days)
    message = (
        f"The last plenary was held on {last_held_on}; one was due by {due_by},"
        f" {overdue} days ago."
        if overdue
        else f"The last plenary was held on {last_held_on}; the next is due by {due_by}."
    )
    return PlenaryRule(
        last_held_on=last_held_on,
        due_by=due_by,
        days_overdue=overdue,
        is_warning=overdue > 0,
        message=message,
    )


class HalfYear(BaseModel):
    """A half-year (1: January–June, 2: July–December), from its first day (the joint
    meeting's establishment for the first one) to its last."""

    model_config = ConfigDict(frozen=True)

    year: int
    half: Literal[1, 2]
    first_day: date
    last_day: date


class Interval(BaseModel):
    """The days between two plenaries held one after the other; late when the second
    came more than six months after the first."""

    model_config = ConfigDict(frozen=True)

    first_held_on: date
    next_held_on: date
    days: int
    is_late: bool


def half_of(day: date) -> tuple[int, Literal[1, 2]]:
    """The half-year a day falls in."""
    return day.year, 1 if day.month <= 6 else 2


def _half_year(year: int, half: Literal[1, 2], since: date) -> HalfYear:
    first = date(year, 1, 1) if half == 1 else date(year, 7, 1)
    last = date(year, 6, 30) if half == 1 else date(year, 12, 31)
    return HalfYear(year=year, half=half, first_day=max(first, since), last_day=last)


def ended_half_years(since: date, today: date) -> list[HalfYear]:
    """Every half-year from the one `since` falls in to the last one over before today
    (the current half-year is judged by `plenary_rule`'s due date, not here)."""
    halves: list[HalfYear] = []
    year, half = half_of(since)
    while (current := _half_year(year, half, since)).last_day < today:
        halves.append(current)
        year, half = (year, 2) if half == 1 else (year + 1, 1)
    return halves


def missed_half_years(
    established_on: date | None, held_on: Iterable[date], today: date
) -> list[HalfYear]:
    """Every half-year over since the joint meeting was established in which no plenary
    was held (counted from the first plenary when the establishment is not known)."""
    held = sorted(held_on)
    since = established_on or (held[0] if held else None)
    if since is None:
        return []
    halves_held = {half_of(day) for day in held}
    return [
        h for h in ended_half_years(since, today) if (h.year, h.half) not in halves_held
    ]


def intervals(held_on: Iterable[date]) -> list[Interval]:
    """The intervals between plenaries held one after the other, in order."""
    held = sorted(set(held_on))
    return [
        Interval(
            first_held_on=first,
            next_held_on=nxt,
            days=(nxt - first).days,
            is_late=nxt > add_months(first, PLENARY_EVERY_MONTHS),
        )
        for first, nxt in pairwise(held)
    ]


def longest_interval(held_on: Iterable[date]) -> Interval | None:
    """The longest interval between two plenaries (the earliest of equals)."""
    return max(intervals(held_on), key=lambda i: i.days, default=None)
