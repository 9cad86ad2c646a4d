"""The zone the integration stacks count days in keeps midnight at least 12 hours away,
whenever a session starts, so a session's today stays the services' today."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from tests.session_zone import DISTRICT_ZONE, session_zone


def _until_midnight(now: datetime, zone: str) -> timedelta:
    local = now.astimezone(ZoneInfo(zone))
    midnight = datetime.combine(local.date() + timedelta(days=1), datetime.min.time())
    return midnight.replace(tzinfo=local.tzinfo) - local


def test_midnight_is_at_least_12_hours_away_whenever_a_session_starts() -> None:
    start = datetime(2024, 3, 5, tzinfo=UTC)
    for minutes in range(0, 24 * 60, 5):
        now = start + timedelta(minutes=minutes)
        assert _until_midnight(now, session_zone(now)) >= timedelta(hours=12), now


def test_a_morning_session_counts_days_in_the_district() -> None:
    morning = datetime(2024, 3, 5, 9, tzinfo=ZoneInfo(DISTRICT_ZONE))
    assert session_zone(morning) == DISTRICT_ZONE
