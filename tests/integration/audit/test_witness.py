"""Audit co-signs the seals it holds with its own key, and never a fork."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from shared.auth import Scope
from shared.domain import Role
from shared.trust import Jwks
from shared.witness import witness_bytes
from tests.integration.audit.conftest import SEALS, TOKENS, Audit, make_seal
from tests.support import eventually

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]


async def latest(audit: Audit, service: str, **params: Any) -> dict[str, Any]:
    body: dict[str, Any] = {}

    async def witnessed() -> bool:
        nonlocal body
        response = await audit.client.get(f"/witness/{service}", params=params)
        body = response.json()
        return response.status_code == 200 and body["seal"]["seal_no"] == SEALS

    await eventually(witnessed, timeout=20)
    return body


async def test_the_latest_seal_is_co_signed_with_audits_published_key(
    audit: Audit,
) -> None:
    cosigned = await latest(audit, "genuine")
    keys = Jwks.model_validate(
        (await audit.client.get("/.well-known/jwks.json")).json()
    )

    signed = witness_bytes(
        service="genuine",
        seal_hash=cosigned["seal"]["seal_hash"],
        witnessed_at=datetime.fromisoformat(cosigned["witnessed_at"]),
    )
    key = keys.find(cosigned["key_id"])
    assert key is not None
    assert key.verifier().verify(signed, cosigned["signature"])
    assert cosigned["seal"]["seal_hash"] == audit.genuine.seals[-1]["seal_hash"]


async def test_a_forked_seal_is_never_co_signed(audit: Audit) -> None:
    seals = audit.genuine.seals
    # Seal 2 again, signed by the service's own key: same tree, another seal.
    fork = make_seal(
        seal_no=2,
        tree_size=seals[1]["tree_size"],
        root_hash=seals[1]["root_hash"],
        prev_seal_hash=seals[0]["seal_hash"],
        consistency=seals[1]["consistency"],
    ) | {"_key": seals[1]["_key"], "_partition": seals[1]["_partition"]}
    await audit.publish("forked", audit.genuine.events, [*seals[:2], fork, seals[2]])
    await audit.wait_for_kinds("forked", "seal-fork")
    await latest(audit, "forked")

    second = await audit.client.get("/witness/forked", params={"seal_no": 2})

    assert second.json()["seal"]["seal_hash"] == audit.genuine.seals[1]["seal_hash"]


async def test_another_agency_reads_co_signatures_with_the_events_scope(
    audit: Audit,
) -> None:
    await latest(audit, "genuine")
    agency = TOKENS.service_headers("agency", Scope.EVENTS_READ)

    allowed = await audit.client.get("/witness/genuine", headers=agency)
    refused = await audit.client.get(
        "/witness/genuine", headers=TOKENS.headers(Role.UNIT_STAFF)
    )

    assert allowed.status_code == 200
    assert refused.status_code == 403
    assert refused.json()["code"] == "not-permitted"


async def test_a_seal_never_witnessed_is_not_found(audit: Audit) -> None:
    response = await audit.client.get("/witness/genuine", params={"seal_no": 999})

    assert response.status_code == 404
    assert response.json()["code"] == "not-found"
