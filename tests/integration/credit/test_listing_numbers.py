"""Numbers of listings opened by hand under concurrent requests: repeats of one
Idempotency-Key all get the first listing, different listings take every number once,
a refused listing takes none."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from tests.integration.credit.conftest import Chain, day
from tests.session_zone import TODAY
from tests.yearly_numbers import (
    assert_gap_free,
    distinct_successes,
    events_failing_when,
    post_together,
    same_success,
)

pytestmark = [
    pytest.mark.integration,
    pytest.mark.asyncio(loop_scope="session"),
    pytest.mark.timeout(120),
]

PREFIX = f"listing-m-{TODAY.year}-"


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


async def gap_free(chain: Chain) -> int:
    return await assert_gap_free(
        chain.credit_settings.database_url,
        table="listing_numbers",
        year=TODAY.year,
        stream_prefix=PREFIX,
    )


async def test_fifty_repeats_of_one_key_at_once_all_get_the_first_listing(
    chain: Chain,
) -> None:
    before = await gap_free(chain)
    key = {"Idempotency-Key": f"open-{uuid.uuid4()}"}

    answers = await post_together(chain.credit, "/listings", [(by_hand(), key)] * 50)

    listing = same_success(answers)
    assert listing["stream"].startswith(PREFIX)
    assert await gap_free(chain) == before + 1


async def test_concurrent_different_listings_take_every_number_once(
    chain: Chain,
) -> None:
    before = await gap_free(chain)

    answers = await post_together(
        chain.credit,
        "/listings",
        [(by_hand(), {"Idempotency-Key": str(uuid.uuid4())}) for _ in range(30)],
    )

    assert len(distinct_successes(answers)) == 30
    assert await gap_free(chain) == before + 30


async def test_refused_listings_among_good_ones_leave_no_gap(chain: Chain) -> None:
    before = await gap_free(chain)
    requests = [
        (
            by_hand(opened_on=day(1)) if i % 2 else by_hand(),
            {"Idempotency-Key": str(uuid.uuid4())},
        )
        for i in range(20)
    ]

    answers = await post_together(chain.credit, "/listings", requests)

    for refused in answers[1::2]:
        assert refused.status_code == 422, refused.text
        assert refused.json()["code"] == "invalid-input"
    assert len(distinct_successes(answers[0::2])) == 10
    assert await gap_free(chain) == before + 10


async def test_a_listing_that_fails_after_taking_its_number_gives_it_back(
    chain: Chain,
) -> None:
    before = await gap_free(chain)
    body = by_hand(opened_on=day(-3))
    key = {"Idempotency-Key": str(uuid.uuid4())}

    async with events_failing_when(
        chain.credit_settings.database_url, f"NEW.data->>'opened_on' = '{day(-3)}'"
    ):
        failed = await chain.credit.post("/listings", json=body, headers=key)
    retried = await chain.credit.post("/listings", json=body, headers=key)

    assert failed.status_code == 500, failed.text
    assert failed.json()["code"] == "internal-error"
    assert retried.status_code == 201, retried.text
    assert await gap_free(chain) == before + 1
