"""Relay and projection throughput: store → Kafka, and Kafka → a read model."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Awaitable, Callable

import asyncpg

from shared.chain import Ed25519Signer, new_private_key_pem
from shared.db import DbConnection, create_pool, migrate
from shared.envelope import Envelope
from shared.local import Tansu, ensure_database, free_port
from shared.projections import ProjectionRunner
from shared.relay import Relay
from shared.store import EventStore


class _Counter:
    """The smallest real read model: one row per event."""

    tables = ("bench_applied",)
    is_transactional = True

    def __init__(self, topic: str) -> None:
        self.name = f"bench_{uuid.uuid4().hex[:6]}"
        self.topics = (topic,)

    async def apply(self, conn: DbConnection, event: Envelope) -> None:
        await conn.execute(
            "INSERT INTO bench_applied (stream_id, version) VALUES ($1, $2)",
            event.subject,
            event.streamversion,
        )


async def _until(count: Callable[[], Awaitable[object]], total: int) -> None:
    # Polling the database is the measurement: nothing in-process signals progress.
    while int(str(await count())) < total:  # noqa: ASYNC110 - see above
        await asyncio.sleep(0.05)


async def _events(pool: asyncpg.Pool) -> int:
    return int(await pool.fetchval("SELECT count(*) FROM events"))


async def measure_pipeline(
    server_url: str, source_pool: asyncpg.Pool
) -> dict[str, float]:
    """Events/s the relay publishes from `source_pool`'s log, and events/s a projection
    applies from the topic (offsets, dedupe and row in one transaction per batch)."""
    broker = Tansu(free_port()).start()
    topic = f"bench.{uuid.uuid4().hex[:6]}.events"
    try:
        total = await _events(source_pool)
        relay = Relay(
            EventStore(source_pool),
            bootstrap=broker.bootstrap,
            service="bench",
            source="/qingqian/bench/bench",
            topic=topic,
            seals_topic=f"{topic}.seals",
            signer=Ed25519Signer.from_pem(new_private_key_pem()),
            batch_size=2000,
            seal_block_size=10_000,
        )
        started = time.perf_counter()
        task = asyncio.create_task(relay.run())
        await _until(
            lambda: source_pool.fetchval(
                "SELECT coalesce(max(published_sequence), 0) FROM relay_state"
                " WHERE topic = $1",
                topic,
            ),
            total,
        )
        relay_rate = total / (time.perf_counter() - started)
        relay.stop()
        await task

        url = await ensure_database(
            server_url, f"bench_projection_{uuid.uuid4().hex[:6]}"
        )
        pool = await create_pool(url, min_size=1, max_size=4)
        await migrate(pool)
        await pool.execute("CREATE TABLE bench_applied (stream_id text, version int)")
        runner = ProjectionRunner(
            pool, _Counter(topic), bootstrap=broker.bootstrap, batch_size=2000
        )
        started = time.perf_counter()
        task = asyncio.create_task(runner.run())
        await _until(lambda: pool.fetchval("SELECT count(*) FROM bench_applied"), total)
        projection_rate = total / (time.perf_counter() - started)
        runner.stop()
        await task
        await pool.close()
    finally:
        broker.stop()
    return {"relay events/s": relay_rate, "projection apply events/s": projection_rate}
