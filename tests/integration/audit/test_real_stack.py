"""Audit following real services: members and cases served here, their keys fetched
from their `/.well-known/jwks.json` and pinned, their logs verified with nothing
found, and one action's events read back across both by correlation id."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import asyncpg
import httpx
import pytest
import pytest_asyncio

from services.audit.app import create_app
from services.audit.settings import AuditSettings
from shared.domain import Role
from tests.integration.audit.conftest import DISTRICT_FILE
from tests.integration.cases.conftest import TOKENS, Stack, running_stack
from tests.integration.cases.test_cases_api import intake
from tests.service_server import LocalServers, owner_url, serving
from tests.support import eventually

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]


@dataclass(frozen=True)
class Followed:
    stack: Stack
    audit: httpx.AsyncClient
    audit_settings: AuditSettings


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def followed(
    pg_server_url: str, template_database: str, kafka_bootstrap: str
) -> AsyncIterator[Followed]:
    async with running_stack(
        pg_server_url, template_database, kafka_bootstrap
    ) as stack:
        servers = LocalServers(
            pg_server_url,
            template_database,
            kafka_bootstrap,
            TOKENS,
            DISTRICT_FILE,
            namespace=stack.settings.topic_namespace,
        )
        settings = await servers.settings(
            AuditSettings,
            audited_services=("members", "cases"),
            service_urls={
                "members": str(stack.members.base_url),
                "cases": stack.cases_url,
            },
            verify_interval_seconds=0.2,
        )
        async with serving(create_app(settings)) as audit:
            audit.headers.update(TOKENS.headers(Role.AUDITOR))
            yield Followed(stack, audit, settings)


async def test_one_actions_events_in_two_services_make_one_timeline(
    followed: Followed,
) -> None:
    correlation = {"X-Correlation-ID": str(uuid.uuid4())}
    unit = {
        "code": "u" + uuid.uuid4().hex[:8],
        "name_zh": "区测试局",
        "name_en": "Test Bureau",
        "kind": "bureau",
        "effective_on": "2020-01-01",
    }
    admitted = await followed.stack.members.post(
        "/units", json=unit, headers=correlation
    )
    received = await followed.stack.cases.post(
        "/cases", json=intake(), headers=correlation
    )
    assert (admitted.status_code, received.status_code) == (201, 201)
    entries: list[dict[str, Any]] = []

    async def both() -> bool:
        nonlocal entries
        response = await followed.audit.get(
            "/timeline", params={"correlation_id": correlation["X-Correlation-ID"]}
        )
        entries = response.json()["entries"]
        return {e["service"] for e in entries} == {"members", "cases"}

    await eventually(both, timeout=30)

    assert [e["stream_id"] for e in entries] == [
        admitted.json()["stream"],
        received.json()["stream"],
    ]


async def test_real_logs_verify_with_keys_pinned_from_their_services(
    followed: Followed,
) -> None:
    async def all_sealed_and_held() -> bool:
        status = (await followed.audit.get("/status")).json()
        return all(
            s["seals_held"] > 0 and s["seals_pending"] == 0 and s["events"] > 0
            for s in status
        )

    await eventually(all_sealed_and_held, timeout=30)

    findings = await followed.audit.get("/findings")
    assert findings.json() == []
    conn = await asyncpg.connect(owner_url(followed.audit_settings.database_url))
    try:
        origins = await conn.fetch("SELECT service, origin FROM pinned_keys")
    finally:
        await conn.close()
    assert {(r["service"], r["origin"]) for r in origins} == {
        ("members", "first"),
        ("cases", "first"),
    }
