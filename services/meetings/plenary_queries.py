"""The plenary rule as the read models show it: today's warning, and looking back every
half-year since the joint meeting was established with no plenary held in it."""

from __future__ import annotations

from datetime import date
from typing import Any

import asyncpg

from services.meetings.domain.plenary_rule import (
    Interval,
    intervals,
    longest_interval,
    missed_half_years,
    plenary_rule,
)
from services.meetings.views import (
    MissedHalfYearView,
    PlenaryIntervalView,
    PlenaryRuleView,
)


def _interval(interval: Interval) -> PlenaryIntervalView:
    return PlenaryIntervalView(
        from_=interval.first_held_on,
        to=interval.next_held_on,
        days=interval.days,
        is_late=interval.is_late,
    )


async def _established_on(pool: asyncpg.Pool) -> date | None:
    # The joint meeting was established the day its first convener took office (the
    # founding roster grants every role on the notice's day, 2017-08-02).
    established: date | None = await pool.fetchval(
        "SELECT min(from_date) FROM joint_meeting_roles WHERE role = 'convener'"
    )
    return established


async def plenary_rule_now(pool: asyncpg.Pool, *, today: date) -> PlenaryRuleView:
    """The plenary rule today, and every half-year missed since the establishment."""
    held = await pool.fetch(
        "SELECT meeting_id, held_on FROM meetings WHERE kind = 'plenary'"
        " AND held_on IS NOT NULL ORDER BY held_on, meeting_id"
    )
    upcoming = await pool.fetchrow(
        "SELECT meeting_id, scheduled_on FROM meetings WHERE kind = 'plenary'"
        " AND status = 'scheduled' ORDER BY scheduled_on, meeting_id LIMIT 1"
    )
    days = [r["held_on"] for r in held]
    established_on = await _established_on(pool)
    last = held[-1] if held else None
    fields: dict[str, Any] = plenary_rule(
        last["held_on"] if last else None, today
    ).model_dump()
    longest = longest_interval(days)
    return PlenaryRuleView(
        **fields,
        last_plenary_id=last["meeting_id"] if last else None,
        next_scheduled_id=upcoming["meeting_id"] if upcoming else None,
        next_scheduled_on=upcoming["scheduled_on"] if upcoming else None,
        today=today,
        established_on=established_on,
        missed_half_years=[
            MissedHalfYearView(
                year=h.year, half=h.half, from_=h.first_day, to=h.last_day
            )
            for h in missed_half_years(established_on, days, today)
        ],
        late_intervals=[_interval(i) for i in intervals(days) if i.is_late],
        longest_interval=_interval(longest) if longest else None,
    )
