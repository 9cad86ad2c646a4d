"""Migration 009 on a database that already has seals over blocks: they stay, as
`block_seals`; tree heads start from the first event and are all published."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import asyncpg
import pytest
import pytest_asyncio

from qingqian_local.embedded import drop_database, ensure_database
from shared.chain import GENESIS, Ed25519Signer, new_private_key_pem
from shared.db import KERNEL_MIGRATIONS, create_pool, migrate
from shared.handling import execute
from shared.relay import Relay
from shared.store import EventStore
from shared.trust import Jwks
from shared.verify import verify
from tests.support import LEDGER, AddAmount, add_amount, context, stream

pytestmark = [
    pytest.mark.integration,
    pytest.mark.asyncio(loop_scope="session"),
    pytest.mark.timeout(60),
]


@pytest_asyncio.fixture(loop_scope="session")
async def pool_before_tree_heads(pg_server_url: str) -> AsyncIterator[asyncpg.Pool]:
    """A database migrated as it was before 009, with one seal over a block."""
    name = f"qq_test_{uuid.uuid4().hex[:10]}"
    pool = await create_pool(
        await ensure_database(pg_server_url, name), min_size=1, max_size=4
    )
    try:
        await pool.execute(
            "CREATE TABLE schema_migrations ("
            " name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())"
        )
        for path in sorted(KERNEL_MIGRATIONS.glob("*.sql")):
            if path.name < "009":
                await pool.execute(path.read_text(encoding="utf-8"))
                await pool.execute(
                    "INSERT INTO schema_migrations (name) VALUES ($1)",
                    f"{KERNEL_MIGRATIONS.parent.name}/{path.name}",
                )
        await pool.execute(
            "INSERT INTO seals (seal_no, first_sequence, last_sequence, event_count,"
            " block_hash, prev_seal_hash, seal_hash, algorithm, key_id, signature,"
            " sealed_at) VALUES (1, 1, 4, 4, $1, $1, $1, 'Ed25519', 'k', 's', $2)",
            GENESIS,
            datetime.now(UTC),
        )
        await pool.execute(
            "INSERT INTO relay_state (topic, epoch, published_seal) VALUES ('t', $1, 1)",
            uuid.uuid4(),
        )
        yield pool
    finally:
        await pool.close()
        await drop_database(pg_server_url, name)


async def test_block_seals_are_kept_and_tree_heads_start_from_the_first_event(
    pool_before_tree_heads: asyncpg.Pool,
) -> None:
    pool = pool_before_tree_heads

    applied = await migrate(pool)
    kept = await pool.fetch("SELECT seal_no, last_sequence FROM block_seals")
    published = await pool.fetchval("SELECT published_seal FROM relay_state")
    store = EventStore(pool)
    await execute(store, LEDGER, stream(), AddAmount(amount=1), add_amount, context())
    signer = Ed25519Signer.from_pem(new_private_key_pem())
    relay = Relay(
        store,
        bootstrap="127.0.0.1:1",
        service="test",
        source="/qingqian/test/test",
        topic="t",
        seals_topic="t.seals",
        signer=signer,
        seal_block_size=1,
        seal_interval_seconds=3600,
    )
    await relay.sequence_once()
    await relay.seal_once()
    report = await verify(pool, trust=Jwks.of_signers(signer))

    # 009 and every later kernel migration, in order, on the database 008 left.
    assert applied == [
        f"shared/{p.name}"
        for p in sorted(KERNEL_MIGRATIONS.glob("*.sql"))
        if p.name >= "009"
    ]
    assert applied[0] == "shared/009_tree_head_seals.sql"
    assert [tuple(r) for r in kept] == [(1, 4)]
    assert published == 0
    assert report.intact, report.problems
    assert report.seals_checked == 2
    with pytest.raises(asyncpg.exceptions.InsufficientPrivilegeError):
        await pool.execute("DELETE FROM block_seals")
