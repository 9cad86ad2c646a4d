"""A log written, sequenced, sealed and published by a real relay, for the tests that
read it back from Kafka as a third party would."""

from __future__ import annotations

import asyncio
import dataclasses
import uuid

import asyncpg

from shared.chain import Ed25519Signer
from shared.handling import execute
from shared.relay import Relay
from shared.store import EventStore
from tests.support import LEDGER, AddAmount, add_amount, context, eventually, stream


@dataclasses.dataclass(frozen=True)
class Published:
    bootstrap: str
    events_topic: str
    seals_topic: str


async def publish_log(
    pool: asyncpg.Pool, bootstrap: str, signer: Ed25519Signer, *, streams: int = 3
) -> Published:
    """Write `streams` streams of 4 events, and let a relay sequence them, seal every 4
    and publish events and seals to topics of this test's own."""
    store = EventStore(pool)
    for _ in range(streams):
        entity = stream()
        for _ in range(3):
            await execute(
                store, LEDGER, entity, AddAmount(amount=1), add_amount, context()
            )
    topic = f"t.{uuid.uuid4().hex[:8]}.events"
    relay = Relay(
        store,
        bootstrap=bootstrap,
        service="test",
        source="/qingqian/test/test",
        topic=topic,
        seals_topic=topic.replace(".events", ".seals"),
        signer=signer,
        seal_block_size=4,
        seal_interval_seconds=3600,
    )
    task = asyncio.create_task(relay.run())
    try:

        async def all_published() -> bool:
            row = await pool.fetchrow(
                "SELECT published_sequence, published_seal FROM relay_state"
            )
            return row is not None and tuple(row) == (4 * streams, streams)

        await eventually(all_published, timeout=30)
    finally:
        relay.stop()
        await asyncio.wait_for(task, 15)
    return Published(bootstrap, topic, relay.seals_topic)
