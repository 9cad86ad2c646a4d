"""One timeline across services, read from audit."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import pytest

from tests.integration.audit.conftest import CORRELATION, EVENTS, Audit
from tests.support import eventually

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]


async def test_the_timeline_of_a_correlation_id_spans_two_services(
    audit: Audit,
) -> None:
    entries: list[dict[str, Any]] = []

    async def both_received() -> bool:
        nonlocal entries
        response = await audit.client.get(
            "/timeline", params={"correlation_id": CORRELATION, "limit": 1000}
        )
        assert response.status_code == 200
        entries = [
            e for e in response.json()["entries"] if e["service"] in ("alpha", "beta")
        ]
        return len(entries) == 2 * EVENTS

    await eventually(both_received, timeout=20)

    assert {e["service"] for e in entries} == {"alpha", "beta"}
    times = [datetime.fromisoformat(e["recorded_at"]) for e in entries]
    assert times == sorted(times)
    assert all(e["proof"] == f"/proofs/{e['service']}/{e['position']}" for e in entries)


async def test_the_timeline_pages_as_ndjson(audit: Audit) -> None:
    await test_the_timeline_of_a_correlation_id_spans_two_services(audit)
    seen: list[dict[str, Any]] = []
    after: str | None = None
    while True:
        params: dict[str, str | int] = {"correlation_id": CORRELATION, "limit": 5}
        response = await audit.client.get(
            "/timeline",
            params=params | ({"after": after} if after else {}),
            headers={"Accept": "application/x-ndjson"},
        )
        assert response.status_code == 200
        seen += [json.loads(line) for line in response.text.splitlines()]
        after = response.headers.get("x-next-cursor")
        if after is None:
            break

    keys = [(e["service"], e["position"]) for e in seen]
    assert len(keys) == len(set(keys)) >= 2 * EVENTS


async def test_a_cursor_the_timeline_did_not_give_is_refused(audit: Audit) -> None:
    response = await audit.client.get("/timeline", params={"after": "not-a-cursor"})

    assert response.status_code == 422
    assert response.json()["code"] == "invalid-input"


async def test_a_person_without_the_auditor_role_may_not_read_findings(
    audit: Audit,
) -> None:
    from shared.domain import Role
    from tests.integration.audit.conftest import TOKENS

    response = await audit.client.get(
        "/findings", headers=TOKENS.headers(Role.UNIT_STAFF)
    )

    assert response.status_code == 403
    assert response.json()["code"] == "not-permitted"


async def test_a_time_range_narrows_the_timeline(audit: Audit) -> None:
    await test_the_timeline_of_a_correlation_id_spans_two_services(audit)
    everything = await audit.client.get(
        "/timeline", params={"correlation_id": CORRELATION, "limit": 1000}
    )
    entries = everything.json()["entries"]
    middle = entries[len(entries) // 2]["recorded_at"]

    later = await audit.client.get(
        "/timeline",
        params={"correlation_id": CORRELATION, "from": middle, "limit": 1000},
    )
    earlier = await audit.client.get(
        "/timeline",
        params={"correlation_id": CORRELATION, "to": middle, "limit": 1000},
    )

    assert later.status_code == earlier.status_code == 200
    assert len(later.json()["entries"]) + len(earlier.json()["entries"]) == len(entries)
    start = datetime.fromisoformat(middle)
    assert all(
        datetime.fromisoformat(e["recorded_at"]) >= start
        for e in later.json()["entries"]
    )


async def test_a_query_parameter_the_timeline_does_not_know_is_refused(
    audit: Audit,
) -> None:
    response = await audit.client.get("/timeline", params={"employer": "x"})

    assert response.status_code == 422
