"""The broker's limits on this machine, through aiokafka with no kernel: keyed produce
with acks=all, and consuming a topic from its start."""

from __future__ import annotations

import asyncio
import contextlib

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError

# As the relay makes its topics (ServiceSettings.topic_partitions).
PARTITIONS = 3


async def create_topic(bootstrap: str, topic: str) -> None:
    """A topic with the relay's number of partitions."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    try:
        await admin.start()
        with contextlib.suppress(TopicAlreadyExistsError):
            await admin.create_topics([NewTopic(topic, PARTITIONS, 1)])
    finally:
        await admin.close()


async def produce(
    bootstrap: str, topic: str, messages: list[tuple[bytes, bytes]]
) -> int:
    """Every (key, value) with `send()`, acks=all, then wait for all acknowledgements
    (the relay's producer settings, without its reads and writes of the store)."""
    producer = AIOKafkaProducer(
        bootstrap_servers=bootstrap, acks="all", linger_ms=2, enable_idempotence=False
    )
    await producer.start()
    try:
        futures = [
            await producer.send(topic, key=key, value=value) for key, value in messages
        ]
        await asyncio.gather(*futures)
    finally:
        await producer.stop()
    return len(messages)


async def consume(bootstrap: str, topic: str, count: int) -> int:
    """Read `count` messages from the start of every partition."""
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
    )
    await consumer.start()
    try:
        partitions = [TopicPartition(topic, p) for p in range(PARTITIONS)]
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        seen = 0
        while seen < count:
            batch = await consumer.getmany(timeout_ms=1000, max_records=5000)
            seen += sum(len(messages) for messages in batch.values())
    finally:
        await consumer.stop()
    return seen
