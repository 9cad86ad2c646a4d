"""One employer across services: every stream whose data names its USCC, cases and
credit alike, with business dates against recorded times and proofs that verify."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import pytest_asyncio

from shared.merkle import verify_inclusion
from shared.tree_head import event_leaf
from tests.integration.audit.conftest import Audit, forge_log
from tests.session_zone import TODAY
from tests.support import eventually

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]

USCC = "91350100M000100Y43"
OTHER = "91110000100000000A"
# Within BACKDATED_AFTER_DAYS (7) of the day it is recorded on.
RECENT = (TODAY - timedelta(days=2)).isoformat()


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def employer(audit: Audit) -> list[dict[str, Any]]:
    """Two cases (one of this employer) and a listing of it, published once and all
    sealed; the employer's timeline."""
    cases = forge_log(
        "cases",
        {
            "case-2024-000001": [
                ("CaseReceived", {"employer": {"name": "A", "uscc": USCC}}),
                ("CaseAccepted", {"accepted_on": "2024-01-05"}),
            ],
            "case-2024-000002": [
                ("CaseReceived", {"employer": {"name": "B", "uscc": OTHER}})
            ],
        },
    )
    credit = forge_log(
        "credit",
        {
            "listing-c-2024-000001": [
                ("CandidateOpened", {"employer_uscc": USCC, "opened_on": RECENT})
            ]
        },
    )
    await audit.publish("cases", cases.events, cases.seals)
    await audit.publish("credit", credit.events, credit.seals)
    entries: list[dict[str, Any]] = []

    async def all_sealed() -> bool:
        nonlocal entries
        response = await audit.client.get("/timeline", params={"uscc": USCC})
        assert response.status_code == 200
        entries = response.json()["entries"]
        return len(entries) == 3 and all(e["is_sealed"] for e in entries)

    await eventually(all_sealed, timeout=20)
    return entries


async def test_an_employers_timeline_holds_its_cases_and_listings(
    audit: Audit, employer: list[dict[str, Any]]
) -> None:
    entries = employer

    assert [(e["service"], e["stream_id"], e["version"]) for e in entries] == [
        ("cases", "case-2024-000001", 1),
        ("cases", "case-2024-000001", 2),
        ("credit", "listing-c-2024-000001", 1),
    ]
    accepted = entries[1]
    assert accepted["business_date"] == "2024-01-05"
    assert accepted["is_backdated"] is True
    opened = entries[2]
    assert (opened["business_date"], opened["is_backdated"]) == (RECENT, False)
    assert await audit.findings("cases") == []


async def test_a_proof_shows_the_event_in_its_seal(
    audit: Audit, employer: list[dict[str, Any]]
) -> None:
    entry = employer[1]

    proof = (await audit.client.get(entry["proof"])).json()

    assert verify_inclusion(
        index=proof["leaf_index"],
        size=proof["seal"]["tree_size"],
        leaf=event_leaf(proof["envelope"]["hash"]),
        proof=[bytes.fromhex(p) for p in proof["inclusion"]],
        root=bytes.fromhex(proof["seal"]["root_hash"]),
    )
    assert proof["envelope"]["subject"] == entry["stream_id"]


async def test_a_proof_of_an_event_never_received_is_not_found(audit: Audit) -> None:
    response = await audit.client.get("/proofs/cases/999999")

    assert response.status_code == 404
    assert response.json()["code"] == "not-found"
