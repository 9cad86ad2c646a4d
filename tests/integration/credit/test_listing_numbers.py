"""Numbers of listings opened by hand under concurrent requests: repeats of one
Idempotency-Key all get the first listing, different listings take every number once,
a refused listing takes none."""

from __future__ import annotations

from typing import Any

import tests.yearly_numbers as numbers
from tests.integration.credit.conftest import Chain, day
from tests.session_zone import TODAY

pytestmark = numbers.NUMBERS_TEST


def by_hand(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "subject": {
            "kind": "employer",
            "name": "某劳务公司",
            "uscc": "91110108551385082Q",
        },
        "grounds": {
            "amount_owed": "40000.00",
            "months_owed": 3,
            "workers_count": 10,
            "is_order_overdue": True,
        },
        "opened_from": "by_hand",
        "opened_on": day(0),
    }
    return body | overrides


def by_hand_listings(chain: Chain) -> numbers.NumberedCreate:
    return numbers.NumberedCreate(
        client=chain.credit,
        path="/listings",
        body=by_hand,
        refused={"opened_on": day(1)},
        database_url=chain.credit_settings.database_url,
        table="listing_numbers",
        year=TODAY.year,
        stream_prefix=f"listing-m-{TODAY.year}-",
    )


async def test_fifty_repeats_of_one_key_at_once_all_get_the_first_listing(
    chain: Chain,
) -> None:
    await numbers.repeats_of_one_key_get_the_first(by_hand_listings(chain))


async def test_concurrent_different_listings_take_every_number_once(
    chain: Chain,
) -> None:
    await numbers.different_ones_take_every_number_once(by_hand_listings(chain))


async def test_refused_listings_among_good_ones_leave_no_gap(chain: Chain) -> None:
    await numbers.refused_ones_leave_no_gap(by_hand_listings(chain))


async def test_a_listing_that_fails_after_taking_its_number_gives_it_back(
    chain: Chain,
) -> None:
    await numbers.a_failure_after_the_number_gives_it_back(
        by_hand_listings(chain),
        {"opened_on": day(-3)},
        f"NEW.data->>'opened_on' = '{day(-3)}'",
    )
