"""The time zone in which the stacks the suite starts, and the tests with them, count
days.

The services take today in their TIMEZONE setting (Asia/Shanghai in the district), and
the tests compute dates from today once, at import. A session that crossed midnight
would see the services' today move past the tests' (a "tomorrow" the service then
accepts), so each session counts days in a zone where midnight is at least 12 hours
away: Asia/Shanghai before its noon, otherwise a fixed zone 12 hours behind it. Only
the day changes; nothing in the services depends on the zone but which day it is."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Final
from zoneinfo import ZoneInfo

DISTRICT_ZONE: Final = "Asia/Shanghai"
# UTC-4 all year (POSIX names count the other way): Shanghai's clock minus 12 hours.
HALF_A_DAY_BEHIND: Final = "Etc/GMT+4"


def session_zone(now: datetime) -> str:
    """The zone a session started at `now` counts days in: midnight is 12 hours away."""
    morning = now.astimezone(ZoneInfo(DISTRICT_ZONE)).hour < 12
    return DISTRICT_ZONE if morning else HALF_A_DAY_BEHIND


ZONE_NAME: Final = session_zone(datetime.now(UTC))
ZONE: Final = ZoneInfo(ZONE_NAME)
TODAY: Final = datetime.now(ZONE).date()
"""Today where the stacks of this session count days; it holds for 12 hours."""
