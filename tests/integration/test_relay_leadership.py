"""Two relays of one service (two processes, two pools) on one database: one leads and
writes the published order, the other stands by; when the leader's session dies (a
database restart, a killed backend) the order goes on, numbered once and gap-free."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import asyncpg
import pytest
import pytest_asyncio

from qingqian_local.embedded import drop_database
from shared.chain import Ed25519Signer, new_private_key_pem
from shared.db import create_pool
from shared.handling import execute
from shared.loops import Backoff, LoopState, supervise
from shared.relay import Relay
from shared.store import EventStore
from tests.conftest import clone_database
from tests.support import LEDGER, AddAmount, add_amount, context, eventually, stream

pytestmark = [
    pytest.mark.integration,
    pytest.mark.asyncio(loop_scope="session"),
    pytest.mark.timeout(120),
]

QUICK = Backoff(first=0.05, cap=0.2)
# The relay's leader lock (a bigint key: its low 32 bits are the lock's objid).
LEADER_LOCK = 7_346_002


@pytest_asyncio.fixture(loop_scope="session")
async def two_pools(
    pg_server_url: str, template_database: str
) -> AsyncIterator[tuple[asyncpg.Pool, asyncpg.Pool]]:
    """One fresh database, reached by two pools as two processes would."""
    url = await clone_database(pg_server_url, template_database)
    first = await create_pool(url, min_size=1, max_size=4)
    second = await create_pool(url, min_size=1, max_size=4)
    try:
        yield first, second
    finally:
        await first.close()
        await second.close()
        await drop_database(pg_server_url, url.rsplit("/", 1)[1].split("?")[0])


def make_relay(pool: asyncpg.Pool, bootstrap: str, topic: str) -> Relay:
    return Relay(
        EventStore(pool),
        bootstrap=bootstrap,
        service="test",
        source="/qingqian/chengdong/test",
        topic=f"{topic}.events",
        seals_topic=f"{topic}.seals",
        signer=Ed25519Signer.from_pem(new_private_key_pem()),
        seal_block_size=3,
        seal_interval_seconds=0.2,
    )


async def write(store: EventStore, commands: int) -> None:
    """Two events a command."""
    for _ in range(commands):
        await execute(
            store, LEDGER, stream(), AddAmount(amount=1), add_amount, context()
        )


async def order_of(pool: asyncpg.Pool) -> asyncpg.Record:
    row = await pool.fetchrow(
        "SELECT count(*) AS numbered, count(DISTINCT s.position) AS positions,"
        " coalesce(max(s.sequence), 0) AS last,"
        " (SELECT count(*) FROM events) AS events,"
        " (SELECT coalesce(max(published_sequence), 0) FROM relay_state) AS published"
        " FROM event_sequence s"
    )
    assert row is not None
    return row


async def test_one_relay_leads_and_the_order_survives_the_leaders_lost_session(
    two_pools: tuple[asyncpg.Pool, asyncpg.Pool], kafka_bootstrap: str
) -> None:
    topic = f"t{uuid.uuid4().hex[:10]}.test"
    relays = [make_relay(pool, kafka_bootstrap, topic) for pool in two_pools]
    tasks = [
        asyncio.create_task(supervise(r.status, r.run, backoff=QUICK)) for r in relays
    ]
    pool = two_pools[0]

    async def one_leads_one_stands_by() -> bool:
        states = sorted(r.status.state for r in relays)
        return states == sorted([LoopState.RUNNING, LoopState.STANDBY])

    async def all_published(count: int) -> bool:
        order = await order_of(pool)
        return bool(order["published"] == order["events"] == count)

    try:
        await eventually(one_leads_one_stands_by, timeout=15)
        await write(EventStore(pool), 5)
        await eventually(lambda: all_published(10), timeout=15)
        leader = next(r for r in relays if r.status.state is LoopState.RUNNING)

        killed = await pool.fetchval(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_locks"
            " WHERE locktype = 'advisory' AND classid = 0 AND objid = $1 AND granted",
            LEADER_LOCK,
        )
        await write(EventStore(pool), 5)

        assert killed == 1
        await eventually(lambda: all_published(20), timeout=15)
        await eventually(one_leads_one_stands_by, timeout=15)
        assert leader.status.restarts >= 1
        order = await order_of(pool)
        assert order["numbered"] == order["positions"] == order["last"] == 20
    finally:
        for relay, task in zip(relays, tasks, strict=True):
            relay.stop()
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
