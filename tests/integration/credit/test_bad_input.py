"""credit refuses what an agency mistyped instead of answering "not listed", and no
override turns a text into a credit code (issue 12 item 7)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.integration.credit.conftest import Chain, day, fetchval

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]

USCC = "9111000071093123XX"
ID_NUMBER = "11010519491231002X"


def refused(answer: httpx.Response, pointer: str, rule: str) -> None:
    """A 422 invalid-input naming that field and rule."""
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = answer.json()
    assert body["code"] == "invalid-input"
    assert [(e["pointer"], e["rule"]) for e in body["errors"]] == [(pointer, rule)]


async def events_written(chain: Chain) -> int:
    count: int = await fetchval(
        chain.credit_settings.database_url, "SELECT count(*) FROM events"
    )
    return count


async def test_a_check_with_a_wrong_check_character_is_refused(chain: Chain) -> None:
    mistyped_uscc = USCC[:-1] + ("Y" if USCC[-1] != "Y" else "X")
    mistyped_id = ID_NUMBER[:-1] + "3"

    refused(
        await chain.credit.get("/check", params={"uscc": mistyped_uscc}),
        "#/query/uscc",
        "uscc_checksum",
    )
    answer = await chain.credit.get("/check", params={"person": mistyped_id})

    refused(answer, "#/query/person", "ric_checksum")
    assert mistyped_id not in answer.text


async def test_a_check_with_a_right_code_still_answers(chain: Chain) -> None:
    answer = await chain.credit.get("/check", params={"uscc": USCC.lower()})

    assert answer.status_code == 200, answer.text
    assert answer.json()["is_listed"] is False


async def test_an_override_reason_does_not_make_any_text_a_credit_code(
    chain: Chain,
) -> None:
    before = await events_written(chain)

    answer = await chain.credit.post(
        "/listings",
        json={
            "subject": {
                "kind": "employer",
                "name": "某公司",
                "uscc": "<script>alert(1)</script>",
                "uscc_override_reason": "early code",
            },
            "grounds": {
                "amount_owed": "90000.00",
                "months_owed": 4,
                "workers_count": 12,
                "is_order_overdue": True,
            },
            "opened_from": "by_hand",
            "opened_on": day(0),
        },
    )

    refused(answer, "#/subject/employer/uscc", "uscc_format")
    assert await events_written(chain) == before


async def test_a_change_cursor_past_a_bigint_and_unknown_filters_are_refused(
    chain: Chain,
) -> None:
    refused(
        await chain.credit.get("/listings/changes", params={"after": str(2**63)}),
        "#/query/after",
        "less_than_equal",
    )
    refused(
        await chain.credit.get("/listings", params={"state": "listed"}),
        "#/query/state",
        "unknown_query_parameter",
    )


@pytest.mark.parametrize("after", [2**31, 5_155_633_228, 2**63 - 1])
async def test_a_change_cursor_past_any_change_is_an_empty_page_not_a_500(
    chain: Chain, after: int
) -> None:
    answer = await chain.credit.get("/listings/changes", params={"after": str(after)})

    assert answer.status_code == 200, answer.text
    assert answer.json()["listings"] == []
    assert answer.json()["is_snapshot"] is False
