"""The log as CloudEvents JSON built by PostgreSQL: the same envelopes the kernel makes
in Python, against a real PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from functools import partial
from typing import Any

import asyncpg
import pytest
import pytest_asyncio

from shared.envelope import Envelope, envelope_json, envelope_of
from shared.log_json import json_array, log_pages, published_lines
from shared.store import Cursor, EventMetadata, EventStore, Recorded
from tests.support import (
    LEDGER,
    AmountAdded,
    LedgerOpened,
    eventually,
    sequence_all,
    stream,
)

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]

SOURCE = '/qingqian/"城东"/test'
SERVICE = "test"
AWKWARD = '城东区人社局 \\ a backslash, a "quote", a\nnewline, a\ttab, \x01 and 😀'
# 20:40 in UTC is already the next day in Shanghai.
EVENING = datetime(2026, 11, 29, 20, 40, 36, 123000, tzinfo=UTC)
ON_THE_SECOND = datetime(2026, 11, 29, 13, 40, 36, tzinfo=UTC)


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def shanghai_pool(database_url: str) -> AsyncIterator[asyncpg.Pool]:
    """Sessions whose TimeZone is not UTC: the JSON must not depend on it."""
    pool = await asyncpg.create_pool(
        database_url,
        min_size=1,
        max_size=2,
        server_settings={"TimeZone": "Asia/Shanghai"},
    )
    yield pool
    await pool.close()


def _at(moment: datetime) -> datetime:
    return moment


async def append_awkward_events(pool: asyncpg.Pool) -> None:
    """Events with text that needs escaping, with and without a causation id, at
    times with and without a fraction of a second."""
    for moment, causation_id in ((EVENING, None), (ON_THE_SECOND, 'cause \\ "一"')):
        store = EventStore(pool, clock=partial(_at, moment))
        metadata = EventMetadata(
            actor='张三 "x" \\ y',
            actor_unit="rsj",
            correlation_id="corr\n1",
            causation_id=causation_id,
        )
        await store.append(
            LEDGER.stream_id(stream()),
            [LedgerOpened(name=AWKWARD), AmountAdded(amount=7)],
            expected_version=0,
            metadata=metadata,
        )


def parsed(lines: bytes) -> list[dict[str, Any]]:
    return [json.loads(line) for line in lines.splitlines()]


def made_in_python(records: list[Recorded]) -> list[dict[str, Any]]:
    return [
        json.loads(envelope_json(r, source=SOURCE, service=SERVICE)) for r in records
    ]


async def read_all(store: EventStore) -> list[Recorded]:
    records: list[Recorded] = []
    while batch := await store.read_all(
        Cursor(records[-1].txid, records[-1].position) if records else Cursor()
    ):
        records += batch
    return records


async def whole_log(pool: asyncpg.Pool, *, page: int = 5000) -> bytes:
    pages = [
        lines
        async for lines in log_pages(pool, source=SOURCE, service=SERVICE, page=page)
    ]
    return b"".join(pages)


async def test_postgresql_builds_the_published_envelopes_the_kernel_makes(
    pool: asyncpg.Pool, shanghai_pool: asyncpg.Pool
) -> None:
    await append_awkward_events(pool)
    await sequence_all(pool)
    records = await EventStore(pool).read_sequenced(0, limit=100_000)

    lines = await published_lines(
        shanghai_pool, source=SOURCE, service=SERVICE, limit=100_000
    )

    assert parsed(lines) == made_in_python(records)
    assert [Envelope.model_validate_json(line) for line in lines.splitlines()] == [
        envelope_of(r, source=SOURCE, service=SERVICE) for r in records
    ]
    awkward = [e for e in parsed(lines) if e["data"].get("name") == AWKWARD]
    assert [e["time"] for e in awkward] == [
        "2026-11-29T20:40:36.123000+00:00",
        "2026-11-29T13:40:36.000000+00:00",
    ]
    assert ["causationid" in e for e in awkward] == [False, True]
    assert all(e["type"] == "qingqian.test.LedgerOpened.v1" for e in awkward)


async def test_the_whole_log_reads_in_commit_order_as_read_all_reads_it(
    pool: asyncpg.Pool, shanghai_pool: asyncpg.Pool
) -> None:
    await append_awkward_events(pool)
    await sequence_all(pool)
    await append_awkward_events(pool)  # not numbered yet
    records = await read_all(EventStore(pool))

    lines = await whole_log(shanghai_pool, page=3)

    assert parsed(lines) == made_in_python(records)
    assert all("sequence" not in e for e in parsed(lines))
    assert len(records) > 3


async def test_the_published_order_starts_after_a_sequence_and_stops_at_the_limit(
    pool: asyncpg.Pool,
) -> None:
    await append_awkward_events(pool)
    await sequence_all(pool)
    last = int(await pool.fetchval("SELECT max(sequence) FROM event_sequence"))

    two = await published_lines(
        pool, source=SOURCE, service=SERVICE, after_sequence=last - 3, limit=2
    )
    none = await published_lines(
        pool, source=SOURCE, service=SERVICE, after_sequence=last
    )

    assert [e["sequence"] for e in parsed(two)] == [last - 2, last - 1]
    assert none == b""


async def test_a_reader_of_the_log_as_json_never_skips_an_event_committed_late(
    pool: asyncpg.Pool,
) -> None:
    store = EventStore(pool)
    slow_stream, fast_stream = LEDGER.stream_id(stream()), LEDGER.stream_id(stream())
    metadata = EventMetadata(actor="tester", actor_unit="rsj", correlation_id="c-1")
    async with pool.acquire() as slow:
        transaction = slow.transaction()
        await transaction.start()
        # The slow writer takes the lower position but commits after the fast one.
        await slow.execute("SELECT pg_current_xact_id()")
        await store._insert(
            slow, slow_stream, [LedgerOpened(name="slow")], 0, "0" * 64, metadata
        )
        await store.append(
            fast_stream,
            [LedgerOpened(name="fast")],
            expected_version=0,
            metadata=metadata,
        )

        seen_while_open = [e["subject"] for e in parsed(await whole_log(pool))]

        await transaction.commit()
    seen_after = [e["subject"] for e in parsed(await whole_log(pool))]

    assert slow_stream not in seen_while_open
    assert fast_stream not in seen_while_open
    assert seen_after[-2:] == [slow_stream, fast_stream]


async def test_envelopes_one_per_line_make_one_json_array(
    pool: asyncpg.Pool,
) -> None:
    await append_awkward_events(pool)
    lines = await whole_log(pool)

    array = json.loads(json_array(lines))

    assert array == parsed(lines)
    assert json.loads(json_array(b"")) == []


async def test_a_reader_that_stops_early_leaves_no_page_building(
    shanghai_pool: asyncpg.Pool,
) -> None:
    await append_awkward_events(shanghai_pool)
    await append_awkward_events(shanghai_pool)
    pages = log_pages(shanghai_pool, source=SOURCE, service=SERVICE, page=2)

    first = await anext(pages)
    await pages.aclose()  # the pages being built after it are given up

    assert first.count(b"\n") == 2

    async def every_connection_back() -> bool:
        # A given-up page's connection is released as its cancellation unwinds; one
        # still building would hold it for good.
        return shanghai_pool.get_idle_size() == shanghai_pool.get_size()

    await eventually(every_connection_back, timeout=5)
