"""The facts from outside that decide functions ask for, with the tests' defaults, and
running a decide function with the ones it names, as the handlers do."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from typing import Any

from services.credit.domain.aggregate import ListingEvent
from services.credit.domain.early_removal import PaymentOnRecord
from services.credit.domain.listing import Listing
from shared.domain import Command
from tests.unit.credit.factories import (
    CALENDAR,
    DUTIES,
    LIMITS,
    LISTING_ID,
    TODAY,
    UNITS,
)

FACTS: dict[str, Any] = {
    "today": TODAY,
    "calendar": CALENDAR,
    "limits": LIMITS,
    "listing_id": LISTING_ID,
    "unit": "jsj",
    "duties": DUTIES,
    "units": UNITS,
    "has_new_arrears": False,
    "person_key": None,
    "payment_on_record": PaymentOnRecord(),
}
"""Every fact from outside a decide function may ask for, with its default."""


def run(
    decide: Callable[..., Sequence[ListingEvent]],
    listing: Listing,
    command: Command,
    **facts: Any,
) -> list[ListingEvent]:
    """Run a decide function with the facts it names, as the handlers do."""
    wanted = inspect.signature(decide).parameters
    given = {k: v for k, v in (FACTS | facts).items() if k in wanted}
    return list(decide(listing, command, **given))
