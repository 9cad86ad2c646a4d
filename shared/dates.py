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


def require_not_before(
    day: date, *, field: str, not_before: date | None, since: str
) -> None:
    """Refuses a date before the step it follows (`since`); rule `not_before_<since>`."""
    if not_before is not None and day < not_before:
        raise InvalidInput(
            field=field,
            rule=f"not_before_{since}",
            detail=f"{day} is before the {since.replace('_', ' ')} on {not_before}.",
        )


def require_date(
    day: date,
    *,
    field: str,
    today: date,
    not_before: date | None = None,
    since: str = "",
) -> None:
    """Refuses a business date in the future (rule `not_in_future`), or before the step
    it follows (`since`, rule `not_before_<since>`): a step is recorded after it happened."""
    if day > today:
        raise InvalidInput(
            field=field, rule="not_in_future", detail=f"{day} is after today, {today}."
        )
    require_not_before(day, field=field, not_before=not_before, since=since)
