"""The plenary rule: 全体会议原则上每半年召开一次 — a plenary at least every six months.
"原则上" means "as a rule" (rules.md §4.3), so a late plenary is a warning, never a block."""

from __future__ import annotations

import calendar
from datetime import date

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
