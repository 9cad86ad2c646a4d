"""Reading a topic back from the start, as any Kafka client would."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient

from shared.kafka import topic_partitions


async def read_topic(
    bootstrap: str,
    topic: str,
    *,
    until: int | Callable[[list[dict[str, Any]]], bool],
    timeout: float = 20.0,
) -> list[dict[str, Any]]:
    """Every message on the topic (decoded JSON plus `_key`, `_partition`, `_headers`)
    once `until` messages have arrived (or `until(messages)` holds); raises on timeout."""
    is_done = until if callable(until) else (lambda messages: len(messages) >= until)
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
    )
    try:
        # Inside the try: a start cancelled half-way must still be closed.
        await consumer.start()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        partitions: set[int] = set()
        admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
        try:
            # Inside the try: a start cancelled half-way must still be closed.
            await admin.start()
            while not partitions:
                partitions = await topic_partitions(admin, topic)
                if loop.time() > deadline:
                    raise AssertionError(f"topic {topic} never appeared")
                if not partitions:
                    await asyncio.sleep(0.1)
        finally:
            await admin.close()
        tps = [TopicPartition(topic, p) for p in sorted(partitions)]
        consumer.assign(tps)
        await consumer.seek_to_beginning(*tps)
        messages: list[dict[str, Any]] = []
        while not is_done(messages):
            if loop.time() > deadline:
                wanted = until if isinstance(until, int) else "enough"
                raise AssertionError(
                    f"{len(messages)} messages on {topic}, not {wanted}"
                )
            batch = await consumer.getmany(timeout_ms=200)
            for tp, records in batch.items():
                for record in records:
                    body = json.loads(record.value or b"{}")
                    body["_key"] = (record.key or b"").decode()
                    body["_partition"] = tp.partition
                    body["_headers"] = {k: bytes(v).decode() for k, v in record.headers}
                    messages.append(body)
        return messages
    finally:
        await consumer.stop()
