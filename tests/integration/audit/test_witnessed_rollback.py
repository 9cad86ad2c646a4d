"""`qingqian verify` holds a database against the seal audit co-signed: a database
rolled back below it is caught even with no topic to compare it with (truncated along
with it), and the report names the witnessed seal."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import asyncpg
import pytest
import pytest_asyncio

from qingqian_local.witnessing import witnessed_seal
from services.audit.app import create_app
from services.audit.settings import AuditSettings
from shared.auth import Scope
from shared.db import create_pool
from shared.trust import Jwks
from shared.verify import verify
from shared.witness import Witnessed
from tests.conftest import clone_database
from tests.integration.audit.conftest import (
    DISTRICT_FILE,
    SEALS,
    SIGNER,
    TOKENS,
    publish_log,
)
from tests.service_server import LocalServers, serving
from tests.support import eventually

pytestmark = [
    pytest.mark.integration,
    pytest.mark.asyncio(loop_scope="session"),
    pytest.mark.timeout(120),
]

SERVICE = "restored"
TRUST = Jwks.of_signers(SIGNER)


@dataclass(frozen=True)
class Witnessing:
    database_url: str
    witnessed: Witnessed
    witness_keys: Jwks


@pytest_asyncio.fixture(loop_scope="session")
async def witnessing(
    pg_server_url: str, template_database: str, kafka_bootstrap: str
) -> AsyncIterator[Witnessing]:
    """A service's log published by its relay, audit following it until it co-signed
    the last seal; that co-signature read as `qingqian verify` reads it."""
    servers = LocalServers(
        pg_server_url, template_database, kafka_bootstrap, TOKENS, DISTRICT_FILE
    )
    url = await clone_database(pg_server_url, template_database)
    await publish_log(
        url, kafka_bootstrap, namespace=servers.namespace, service=SERVICE
    )
    settings = await servers.settings(
        AuditSettings,
        audited_services=(SERVICE,),
        pinned_keys={SERVICE: TRUST},
        verify_interval_seconds=0.2,
    )
    token = TOKENS.service_headers("agency", Scope.EVENTS_READ)["Authorization"]
    async with serving(create_app(settings)) as client:
        base = str(client.base_url)
        found: Witnessed | None = None

        async def last_seal_witnessed() -> bool:
            nonlocal found
            found, _ = await witnessed_seal(
                base, SERVICE, token.removeprefix("Bearer ")
            )
            return found is not None and found.seal.seal_no == SEALS

        await eventually(last_seal_witnessed, timeout=30)
        keys = Jwks.model_validate((await client.get("/.well-known/jwks.json")).json())
    assert found is not None
    yield Witnessing(url, found, keys)


async def check(witnessing: Witnessing, *, with_witness: bool = True) -> list[str]:
    pool = await create_pool(witnessing.database_url, min_size=1, max_size=2)
    try:
        report = await verify(
            pool,
            trust=TRUST,
            witnessed=[witnessing.witnessed] if with_witness else [],
            witness_keys=witnessing.witness_keys,
        )
    finally:
        await pool.close()
    return [f"{p.kind}: {p.detail}" for p in report.problems]


async def roll_back_last_seal(database_url: str) -> None:
    """What restoring an older backup does: the last sealed block and its seal gone,
    the log otherwise whole (triggers off, as only a superuser may)."""
    conn = await asyncpg.connect(database_url)
    try:
        async with conn.transaction():
            await conn.execute("SET LOCAL session_replication_role = replica")
            kept = await conn.fetchval(
                "SELECT tree_size FROM seals WHERE seal_no = $1", SEALS - 1
            )
            await conn.execute(
                "DELETE FROM events WHERE position IN (SELECT position FROM"
                " event_sequence WHERE sequence > $1)",
                kept,
            )
            await conn.execute("DELETE FROM event_sequence WHERE sequence > $1", kept)
            await conn.execute("DELETE FROM seals WHERE seal_no = $1", SEALS)
    finally:
        await conn.close()


async def test_a_database_that_holds_the_witnessed_seal_verifies(
    witnessing: Witnessing,
) -> None:
    assert await check(witnessing) == []


async def test_a_database_rolled_back_below_the_witnessed_seal_is_caught_naming_it(
    witnessing: Witnessing,
) -> None:
    await roll_back_last_seal(witnessing.database_url)

    problems = await check(witnessing)
    alone = await check(witnessing, with_witness=False)

    assert alone == []  # by itself, with no topic left, the older log looks whole
    [rollback] = problems
    assert rollback.startswith("witnessed-rollback:"), problems
    assert f"seal {SEALS} (tree of " in rollback


async def test_a_co_signature_that_does_not_verify_is_refused(
    witnessing: Witnessing,
) -> None:
    forged = witnessing.witnessed.model_copy(
        update={"signature": witnessing.witnessed.signature[::-1]}
    )

    problems = await check(
        Witnessing(witnessing.database_url, forged, witnessing.witness_keys)
    )

    assert [p.split(":")[0] for p in problems] == ["witness-invalid"]
