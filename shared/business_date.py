"""Business date vs recording time (issue #14): the day an event's data says it
happened, and whether it was recorded so long after that day that it is back-dated.
Pure: the store marks each event it appends with these, audit's timeline reads them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

# The business date of an event: the first of these its data holds, else the first of
# its `*_on` fields in alphabetical order (our events name business dates `<what>_on`;
# PostgreSQL's jsonb does not keep the order the event declared its fields in). A
# hearing's notice is dated when it was given, not on the hearing day it names.
DATE_KEYS = (
    "effective_on",
    "occurred_on",
    "received_on",
    "decided_on",
    "held_on",
    "notified_on",
)
# `BACKDATED_AFTER_DAYS`' default: a step recorded within a week of its date is routine.
DEFAULT_BACKDATED_AFTER_DAYS = 7
DEFAULT_ZONE = "Asia/Shanghai"


def business_date(data: Mapping[str, Any]) -> date | None:
    """The day the event says it happened, when its data says one."""
    keys = [*DATE_KEYS, *sorted(k for k in data if k.endswith("_on"))]
    for key in keys:
        value = data.get(key)
        if isinstance(value, str):
            try:
                return date.fromisoformat(value)
            except ValueError:
                continue
    return None


def recorded_on(recorded_at: datetime, zone: ZoneInfo) -> date:
    """The day, in the district's zone, on which an event was recorded."""
    return recorded_at.astimezone(zone).date()


def is_backdated(
    business: date | None, recorded_at: datetime, *, zone: ZoneInfo, after_days: int
) -> bool:
    """True when the event was recorded more than `after_days` days (in `zone`) after
    its business date; False without a business date, or one recorded ahead of time."""
    if business is None:
        return False
    return (recorded_on(recorded_at, zone) - business).days > after_days


@dataclass(frozen=True)
class Backdating:
    """The rule the store marks appended events with: the district's zone and
    `BACKDATED_AFTER_DAYS`."""

    zone: ZoneInfo = field(default_factory=lambda: ZoneInfo(DEFAULT_ZONE))
    after_days: int = DEFAULT_BACKDATED_AFTER_DAYS

    @classmethod
    def of(cls, *, timezone: str, after_days: int) -> Backdating:
        """The rule of a service's settings (`TIMEZONE`, `BACKDATED_AFTER_DAYS`)."""
        return cls(zone=ZoneInfo(timezone), after_days=after_days)

    def mark(
        self, data: Mapping[str, Any], recorded_at: datetime
    ) -> tuple[date | None, bool]:
        """The event's business date and whether it is back-dated."""
        business = business_date(data)
        return business, is_backdated(
            business, recorded_at, zone=self.zone, after_days=self.after_days
        )
