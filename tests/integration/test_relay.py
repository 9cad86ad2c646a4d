"""The relay against a broker we can stop and restart (tansu keeps nothing on restart)."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import functools
import json
from typing import Any

import asyncpg
import pytest
from aiokafka import AIOKafkaProducer
from aiokafka.partitioner import DefaultPartitioner

from qingqian_local.embedded import Tansu
from shared.anchors import parse_seal
from shared.chain import Ed25519Signer, new_private_key_pem
from shared.envelope import envelope_json
from shared.handling import execute
from shared.relay import EPOCH_HEADER, Relay
from shared.relay.batches import CLOUDEVENTS_JSON, CONTENT_TYPE_HEADER
from shared.store import EventStore
from tests.kafka_reader import read_topic
from tests.support import LEDGER, AddAmount, add_amount, context, eventually, stream

pytestmark = [
    pytest.mark.integration,
    pytest.mark.asyncio(loop_scope="session"),
    pytest.mark.timeout(120),
]

TOPIC = "qingqian.test.events"
SOURCE = "/qingqian/chengdong/test"


def make_relay(store: EventStore, bootstrap: str) -> Relay:
    return Relay(
        store,
        bootstrap=bootstrap,
        service="test",
        source=SOURCE,
        topic=TOPIC,
        seals_topic="qingqian.test.seals",
        signer=Ed25519Signer.from_pem(new_private_key_pem()),
        seal_block_size=5,
        seal_interval_seconds=0.5,
    )


async def write(store: EventStore, commands: int) -> list[str]:
    streams = []
    for _ in range(commands):
        entity = stream()
        await execute(store, LEDGER, entity, AddAmount(amount=2), add_amount, context())
        streams.append(LEDGER.stream_id(entity))
    return streams


@contextlib.asynccontextmanager
async def running(relay: Relay):  # type: ignore[no-untyped-def]  # test helper
    task = asyncio.create_task(relay.run())
    try:
        yield task
    finally:
        relay.stop()
        await asyncio.wait_for(task, 15)


async def published(pool: asyncpg.Pool) -> int:
    return int(
        await pool.fetchval(
            "SELECT coalesce(max(published_sequence), 0) FROM relay_state"
        )
    )


async def test_the_relay_publishes_cloudevents_in_order_keyed_by_stream(
    fresh_pool: asyncpg.Pool, private_broker: Tansu
) -> None:
    store = EventStore(fresh_pool)
    streams = await write(store, 5)

    async with running(make_relay(store, private_broker.bootstrap)):
        messages = await read_topic(private_broker.bootstrap, TOPIC, until=10)

    assert {m["subject"] for m in messages} == set(streams)
    assert all(m["_key"] == m["subject"] for m in messages)
    first = messages[0]
    assert first["specversion"] == "1.0"
    assert first["type"].startswith("qingqian.test.")
    assert first["type"].endswith(".v1")
    assert first["source"] == "/qingqian/chengdong/test"
    assert {
        "id",
        "time",
        "datacontenttype",
        "data",
        "streamversion",
        "position",
        "sequence",
        "actor",
        "actorunit",
        "correlationid",
        "hash",
        "prevhash",
    } <= set(first)
    for partition in {m["_partition"] for m in messages}:
        sequences = [m["sequence"] for m in messages if m["_partition"] == partition]
        assert sequences == sorted(sequences)
    assert sorted(m["sequence"] for m in messages) == list(range(1, 11))
    # Each stream on the partition Kafka's default partitioner gives its key, as any
    # producer sending with that key would.
    partitions = sorted({m["_partition"] for m in messages} | {0, 1, 2})
    assert all(
        m["_partition"] == DefaultPartitioner()(m["_key"].encode(), partitions, [])
        for m in messages
    )


async def test_the_relay_publishes_each_event_as_the_store_reads_it(
    fresh_pool: asyncpg.Pool, private_broker: Tansu
) -> None:
    store = EventStore(fresh_pool)
    await write(store, 2)
    caused = dataclasses.replace(context(), causation_id="an-earlier-event")
    await execute(store, LEDGER, stream(), AddAmount(amount=3), add_amount, caused)

    async with running(make_relay(store, private_broker.bootstrap)):
        messages = await read_topic(private_broker.bootstrap, TOPIC, until=6)

    # The relay reads only the columns the envelope needs: it must make the same
    # envelope as the store's full record does.
    stored = await store.read_sequenced(0)
    assert sorted(
        ({k: v for k, v in m.items() if not k.startswith("_")} for m in messages),
        key=lambda body: int(body["sequence"]),
    ) == [json.loads(envelope_json(r, source=SOURCE, service="test")) for r in stored]
    assert any("causationid" in m for m in messages)


async def test_the_relay_puts_each_stream_where_send_with_its_key_puts_it(
    fresh_pool: asyncpg.Pool, private_broker: Tansu
) -> None:
    store = EventStore(fresh_pool)
    entities = [stream() for _ in range(20)]

    async with running(make_relay(store, private_broker.bootstrap)):
        # The second time round, the relay places the same streams from memory.
        for published_by_then in (40, 60):
            for entity in entities:
                await execute(
                    store, LEDGER, entity, AddAmount(amount=2), add_amount, context()
                )
            await eventually(
                functools.partial(_at_least, fresh_pool, published_by_then)
            )
    messages = await read_topic(private_broker.bootstrap, TOPIC, until=60)
    by_send = await _partitions_by_send(private_broker.bootstrap, TOPIC, entities)

    assert len({m["_partition"] for m in messages}) > 1
    assert all(m["_partition"] == by_send[m["_key"]] for m in messages)


async def test_the_relay_seals_tree_heads_and_publishes_them(
    fresh_pool: asyncpg.Pool, private_broker: Tansu
) -> None:
    store = EventStore(fresh_pool)
    await write(store, 5)

    async with running(make_relay(store, private_broker.bootstrap)):
        seals = await read_topic(
            private_broker.bootstrap, "qingqian.test.seals", until=2
        )

    assert [s["tree_size"] for s in seals[:2]] == [5, 10]
    assert seals[1]["prev_seal_hash"] == seals[0]["seal_hash"]
    assert all(parse_seal(json.dumps(s).encode()) is not None for s in seals)


async def test_the_relay_resumes_after_a_crash_without_losing_an_event(
    fresh_pool: asyncpg.Pool, private_broker: Tansu
) -> None:
    store = EventStore(fresh_pool)
    await write(store, 3)
    first = make_relay(store, private_broker.bootstrap)
    task = asyncio.create_task(first.run())
    await eventually(lambda: _at_least(fresh_pool, 6))
    task.cancel()  # a crash: no orderly stop
    with contextlib.suppress(asyncio.CancelledError):
        await task
    later = await write(store, 3)

    async with running(make_relay(store, private_broker.bootstrap)):
        await eventually(lambda: _at_least(fresh_pool, 12))
        messages = await read_topic(private_broker.bootstrap, TOPIC, until=12)

    assert set(later) <= {m["subject"] for m in messages}
    assert {m["sequence"] for m in messages} == set(range(1, 13))


async def test_the_relay_waits_while_the_broker_is_down_and_republishes_what_it_lost(
    fresh_pool: asyncpg.Pool, private_broker: Tansu
) -> None:
    store = EventStore(fresh_pool)
    await write(store, 2)
    relay = make_relay(store, private_broker.bootstrap)
    async with running(relay):
        await eventually(lambda: _at_least(fresh_pool, 4))
        epoch_before = await fresh_pool.fetchval("SELECT epoch FROM relay_state")
        private_broker.stop()
        written_while_down = await write(store, 3)
        await asyncio.sleep(1.0)  # the relay keeps trying while the broker is away
        assert await published(fresh_pool) == 4
        private_broker.start()

        def republished_all(messages: list[dict[str, Any]]) -> bool:
            epochs = {
                m["_headers"][EPOCH_HEADER] for m in messages if m["sequence"] == 10
            }
            return any(
                {m["sequence"] for m in messages if m["_headers"][EPOCH_HEADER] == e}
                == set(range(1, 11))
                for e in epochs
            )

        messages = await read_topic(
            private_broker.bootstrap, TOPIC, until=republished_all, timeout=40
        )

    epoch_after = str(await fresh_pool.fetchval("SELECT epoch FROM relay_state"))
    republished = [m for m in messages if m["_headers"][EPOCH_HEADER] == epoch_after]
    assert epoch_after != str(epoch_before)
    assert {m["sequence"] for m in republished} == set(range(1, 11))
    assert set(written_while_down) <= {m["subject"] for m in republished}
    # Structured mode of the CloudEvents Kafka binding, on every message.
    assert {m["_headers"][CONTENT_TYPE_HEADER] for m in messages} == {CLOUDEVENTS_JSON}


async def _at_least(pool: asyncpg.Pool, n: int) -> bool:
    return await published(pool) >= n


async def _partitions_by_send(
    bootstrap: str, topic: str, entities: list[str]
) -> dict[str, int]:
    """Where a plain producer's `send(key=stream id)` puts each stream."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap)
    await producer.start()
    try:
        placed = {}
        for entity in entities:
            stream_id = LEDGER.stream_id(entity)
            sent = await producer.send_and_wait(
                topic, key=stream_id.encode(), value=b"{}"
            )
            placed[stream_id] = sent.partition
        return placed
    finally:
        await producer.stop()
