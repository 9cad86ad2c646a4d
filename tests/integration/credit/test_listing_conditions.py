"""Order 45 art. 5 over HTTP: a listing opened by hand must meet the listing
conditions (an overdue order to pay and the crime threshold or a mass incident);
otherwise 409 naming the rule, and nothing is written."""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration.credit.conftest import Chain, day, fetchval

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]


def by_hand(**grounds: Any) -> dict[str, Any]:
    return {
        "subject": {
            "kind": "employer",
            "name": "某劳务公司",
            "uscc": "91110108551385082Q",
        },
        "grounds": {"amount_owed": "1000.00", "months_owed": 1, "workers_count": 3}
        | grounds,
        "opened_from": "by_hand",
        "opened_on": day(0),
    }


async def events_written(chain: Chain) -> int:
    count: int = await fetchval(
        chain.credit_settings.database_url, "SELECT count(*) FROM events"
    )
    return count


@pytest.mark.parametrize(
    ("grounds", "rule"),
    [
        ({"is_order_overdue": True}, "listing-ground-missing"),
        (
            {"is_order_overdue": False, "is_mass_incident": True},
            "payment-order-not-overdue",
        ),
    ],
)
async def test_a_listing_by_hand_below_the_conditions_is_refused(
    chain: Chain, grounds: dict[str, Any], rule: str
) -> None:
    before = await events_written(chain)

    answer = await chain.credit.post("/listings", json=by_hand(**grounds))

    assert answer.status_code == 409, answer.text
    assert answer.json()["code"] == rule
    assert "Order 45 art. 5" in answer.json()["detail"]
    assert await events_written(chain) == before


async def test_a_mass_incident_with_the_order_overdue_is_opened(chain: Chain) -> None:
    answer = await chain.credit.post(
        "/listings", json=by_hand(is_order_overdue=True, is_mass_incident=True)
    )

    assert answer.status_code == 201, answer.text
