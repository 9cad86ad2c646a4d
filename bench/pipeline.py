"""Relay and projection throughput: store → Kafka, and Kafka → a read model."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Awaitable, Callable

import asyncpg

from bench.read_model import TABLE, AppliedCounter, BatchAppliedCounter
from qingqian_local.embedded import ensure_database
from shared.db import create_pool, migrate
from shared.projections import ProjectionRunner
from shared.relay import Relay
from shared.store import EventStore


async def _until(count: Callable[[], Awaitable[object]], total: int) -> None:
    # Polling the database is the measurement: nothing in-process signals progress.
    while int(str(await count())) < total:  # noqa: ASYNC110 - see above
        await asyncio.sleep(0.05)


async def _events(pool: asyncpg.Pool) -> int:
    return int(await pool.fetchval("SELECT count(*) FROM events"))


def _relay_of(
    store: EventStore, bootstrap: str, topic: str, *, seal_interval: float = 5.0
) -> Relay:
    # The seals signed with the key the events were tagged with, as in a service: the
    # verify that follows trusts that key alone.
    return Relay(
        store,
        bootstrap=bootstrap,
        service="bench",
        source="/qingqian/bench/bench",
        topic=topic,
        seals_topic=f"{topic}.seals",
        signer=store.signer,
        batch_size=2000,
        seal_block_size=10_000,
        seal_interval_seconds=seal_interval,
    )


async def _relay(source_pool: asyncpg.Pool, bootstrap: str, topic: str) -> float:
    total = await _events(source_pool)
    store = EventStore(source_pool)
    relay = _relay_of(store, bootstrap, topic)
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
    rate = total / (time.perf_counter() - started)
    relay.stop()
    await task
    # A service seals its tail within its seal interval: what is measured next (a
    # projection, verify) sees the log as it stands a few seconds after the last event.
    await _relay_of(store, bootstrap, topic, seal_interval=1e-6).seal_once()
    return rate


async def _projection(
    server_url: str,
    bootstrap: str,
    topic: str,
    total: int,
    model: type[AppliedCounter] = AppliedCounter,
) -> float:
    url = await ensure_database(server_url, f"bench_projection_{uuid.uuid4().hex[:6]}")
    pool = await create_pool(url, min_size=1, max_size=4)
    await migrate(pool)
    await pool.execute(TABLE)
    runner = ProjectionRunner(pool, model(topic), bootstrap=bootstrap, batch_size=2000)
    started = time.perf_counter()
    task = asyncio.create_task(runner.run())
    await _until(lambda: pool.fetchval("SELECT count(*) FROM bench_applied"), total)
    rate = total / (time.perf_counter() - started)
    runner.stop()
    await task
    await pool.close()
    return rate


async def measure_pipeline(
    server_url: str, source_pool: asyncpg.Pool, bootstrap: str
) -> dict[str, float]:
    """Events/s the relay publishes from `source_pool`'s log, and events/s a projection
    applies from the topic (offsets, dedupe and row in one transaction per batch)."""
    topic = f"bench.{uuid.uuid4().hex[:6]}.events"
    relay_rate = await _relay(source_pool, bootstrap, topic)
    total = await _events(source_pool)
    projection_rate = await _projection(server_url, bootstrap, topic, total)
    batched_rate = await _projection(
        server_url, bootstrap, topic, total, BatchAppliedCounter
    )
    return {
        "relay events/s": relay_rate,
        "projection apply events/s": projection_rate,
        "projection apply events/s, batch apply": batched_rate,
    }
