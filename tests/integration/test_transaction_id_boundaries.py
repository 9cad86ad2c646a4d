"""Commit order across transaction ids of different lengths (999 → 1000, 9999 → 10000):
the export, the published order (`/events`) and `verify` count every event once.

An xid8 that goes out as text sorts "999" after "1000"; the export's page query once
picked its page end that way and stopped short (808 of 2,590 events, exit status 0)."""

from __future__ import annotations

import tempfile
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import pytest
import pytest_asyncio

from qingqian_local.embedded import EmbeddedPostgres
from shared.db import DbConnection, create_pool, migrate
from shared.log_json import committed_count, log_pages, published_lines
from shared.store import EventMetadata, EventStore
from shared.verify import verify
from tests.integration.test_log_json import SERVICE, SOURCE, parsed
from tests.support import LEDGER, LedgerOpened, run_trust, sequence_all, stream

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]

# Page sizes of the export: one page for everything (the last, partial page straddles
# the boundary), and pages that end on either side of it.
PAGES = (1, 2, 3, 4, 5000)
# Events written on each side of a boundary, one transaction each.
EACH_SIDE = 3


async def next_transaction_id(conn: DbConnection) -> int:
    """The id the next transaction that writes will get."""
    return int(await conn.fetchval("SELECT pg_snapshot_xmax(pg_current_snapshot())"))


async def burn_until(conn: DbConnection, target: int) -> None:
    """Advance the server's transaction counter until the next id is `target`: each
    subtransaction that writes takes an id of its own (about 25,000 a second)."""
    count = target - await next_transaction_id(conn) - 1
    if count <= 0:
        return
    async with conn.transaction():
        await conn.execute("CREATE TEMP TABLE burn (n int) ON COMMIT DROP")
        await conn.execute(
            "DO $$ BEGIN FOR i IN 1.." + str(count) + " LOOP"  # an int we computed
            " BEGIN INSERT INTO burn VALUES (i); EXCEPTION WHEN others THEN NULL; END;"
            " END LOOP; END $$"
        )


async def append_across(pool: asyncpg.Pool, boundary: int) -> list[int]:
    """Events in their own transactions just below and from `boundary` on; returns
    the transaction ids they were written in."""
    async with pool.acquire() as conn:
        await burn_until(conn, boundary - EACH_SIDE)
    store = EventStore(pool)
    metadata = EventMetadata(actor="tester", actor_unit="rsj", correlation_id="xid")
    for _ in range(2 * EACH_SIDE):
        await store.append(
            LEDGER.stream_id(stream()),
            [LedgerOpened(name="boundary")],
            expected_version=0,
            metadata=metadata,
        )
    rows = await pool.fetch(
        "SELECT txid::text::bigint AS txid FROM events ORDER BY txid DESC LIMIT $1",
        2 * EACH_SIDE,
    )
    return sorted(r["txid"] for r in rows)


async def assert_every_reader_counts_all(pool: asyncpg.Pool) -> None:
    await sequence_all(pool)
    total = await pool.fetchval("SELECT count(*) FROM events")
    # What `qingqian export` checks its own count against.
    assert await committed_count(pool) == total
    in_commit_order = await pool.fetch(
        "SELECT event_id::text AS id FROM events ORDER BY txid, position"
    )
    for page in PAGES:
        exported = parsed(
            b"".join(
                [
                    lines
                    async for lines in log_pages(
                        pool, source=SOURCE, service=SERVICE, page=page
                    )
                ]
            )
        )
        assert [e["id"] for e in exported] == [r["id"] for r in in_commit_order], page
    published: list[bytes] = []
    after = 0
    while lines := await published_lines(
        pool, source=SOURCE, service=SERVICE, after_sequence=after, limit=2
    ):
        published.append(lines)
        after = parsed(lines)[-1]["sequence"]
    assert len(parsed(b"".join(published))) == total
    report = await verify(pool, trust=run_trust())
    assert report.intact, report.problems
    assert report.events_checked == report.sequenced_checked == total


@pytest_asyncio.fixture(loop_scope="session")
async def young_server_pool() -> AsyncIterator[asyncpg.Pool]:
    """A server of the test's own, newly made: its transaction ids are still below 1000,
    so both boundaries can be crossed in a moment, whatever server the suite uses."""
    with tempfile.TemporaryDirectory(prefix="qq-xid-") as folder:
        server = EmbeddedPostgres(Path(folder) / "pgdata", is_temporary=True)
        try:
            pool = await create_pool(server.url, min_size=1, max_size=4)
            try:
                await migrate(pool)
                yield pool
            finally:
                await pool.close()
        finally:
            server.stop()


async def test_export_events_and_verify_cross_999_to_1000_and_9999_to_10000(
    young_server_pool: asyncpg.Pool,
) -> None:
    pool = young_server_pool
    async with pool.acquire() as conn:
        assert await next_transaction_id(conn) < 1000 - EACH_SIDE
    written = await append_across(pool, 1000)
    written += await append_across(pool, 10_000)
    assert min(written) < 1000 <= max(written[: EACH_SIDE * 2])
    assert min(written[EACH_SIDE * 2 :]) < 10_000 <= max(written)
    await assert_every_reader_counts_all(pool)


async def test_export_events_and_verify_cross_the_next_digit_on_the_suites_server(
    fresh_pool: asyncpg.Pool,
) -> None:
    pool = fresh_pool
    async with pool.acquire() as conn:
        now = await next_transaction_id(conn)
    boundary = 10 ** len(str(now + EACH_SIDE))
    written = await append_across(pool, boundary)
    assert min(written) < boundary <= max(written)
    await assert_every_reader_counts_all(pool)
