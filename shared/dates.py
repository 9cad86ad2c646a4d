"""Business dates and times as the services take them: within a window every service
accepts, and deadlines no further ahead than a district allows (issue 12 item 7)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Final

from pydantic import AfterValidator, ValidationInfo
from pydantic_core import PydanticCustomError

from shared.errors import InvalidInput
from shared.values import Documented, is_recorded

EARLIEST_BUSINESS_DATE: Final = date(1990, 1, 1)
LATEST_BUSINESS_DATE: Final = date(2099, 12, 31)
"""No wage case, listing or meeting is dated outside these; a date outside them is a
typing error (0001-01-01 would be stored as -infinity, 9999-12-31 as a deadline)."""


def _in_window(value: date, info: ValidationInfo) -> date:
    if is_recorded(info):
        return value
    if not EARLIEST_BUSINESS_DATE <= value <= LATEST_BUSINESS_DATE:
        raise PydanticCustomError(
            "date_in_window",
            "a business date lies between {earliest} and {latest}",
            {
                "earliest": EARLIEST_BUSINESS_DATE.isoformat(),
                "latest": LATEST_BUSINESS_DATE.isoformat(),
            },
        )
    return value


BusinessDate = Annotated[
    date,
    AfterValidator(_in_window),
    Documented(
        (
            ("pattern", r"^(199[0-9]|20[0-9]{2})-[0-9]{2}-[0-9]{2}$"),
            ("description", "a date from 1990-01-01 to 2099-12-31"),
        )
    ),
]
"""A day something happened or is due, within the window every service accepts."""


def _moment_in_window(value: datetime) -> datetime:
    # Year 1 or 9999 with an offset overflows when the database driver converts it to
    # UTC; the day as written (in its own offset) is what the documented pattern shows.
    if not EARLIEST_BUSINESS_DATE <= value.date() <= LATEST_BUSINESS_DATE:
        raise PydanticCustomError(
            "datetime_in_window",
            "a time lies between 1990-01-01 and 2099-12-31",
        )
    return value


Moment = Annotated[
    datetime,
    AfterValidator(_moment_in_window),
    Documented(
        (
            ("pattern", r"^(199[0-9]|20[0-9]{2})-"),
            ("description", "a time from 1990-01-01 to 2099-12-31"),
        )
    ),
]
"""A point in time asked about (`as_of`), within the window every service accepts."""


def require_within_years_ahead(
    day: date, *, field: str, today: date, years: int
) -> None:
    """Refuses a date more than `years` years after today: a deadline that far out is
    a typing error (rule `date_within_years_ahead`)."""
    try:
        latest = today.replace(year=today.year + years)
    except ValueError:  # 29 February, in a year that has none
        latest = today.replace(year=today.year + years, day=28)
    if day > latest:
        raise InvalidInput(
            field=field,
            rule="date_within_years_ahead",
            detail=f"{day} is more than {years} years after today, {today}.",
        )
