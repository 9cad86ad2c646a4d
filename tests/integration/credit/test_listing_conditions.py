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


async def test_a_decided_listing_is_not_public_until_published(chain: Chain) -> None:
    body = by_hand(is_order_overdue=True, is_mass_incident=True) | {
        "opened_on": day(-60)
    }
    body["subject"] = body["subject"] | {"name": "某未公示劳务公司"}
    opened = await chain.credit.post("/listings", json=body)
    assert opened.status_code == 201, opened.text
    listing_id = str(opened.json()["stream"]).removeprefix("listing-")
    step = f"/listings/{listing_id}"
    served = await chain.credit.post(
        f"{step}/serve-notice", json={"served_on": day(-50), "method": "mail"}
    )
    assert served.status_code == 200, served.text
    decided = await chain.credit.post(
        f"{step}/decide",
        json={
            "decided_on": day(-20),
            "decision_id": "东人社惩决〔2026〕未公示号",
            "decided_by": "区人社局局长",
        },
    )
    assert decided.status_code == 200, decided.text
    wait = {"wait_for": f"{decided.json()['stream']}@{decided.json()['position']}"}
    projected = await chain.credit.get("/listings", params=wait | {"limit": 1})
    assert projected.status_code == 200, projected.text
    assert (await chain.credit.get(step)).json()["status"] == "listed"

    public = (await chain.credit.get("/public-list")).json()

    assert listing_id not in {r["listing_id"] for r in public["records"]}
    assert (await chain.credit.get(f"/public-list/{listing_id}")).status_code == 404
