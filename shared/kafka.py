"""Small broker helpers: look-ups that never create a topic by asking about it, and
stopping a client that may be waiting on a broker that is gone."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any

import structlog
from aiokafka.admin import AIOKafkaAdminClient

log = structlog.get_logger()


async def topic_partitions(admin: AIOKafkaAdminClient, topic: str) -> set[int]:
    """The topic's partitions, or an empty set if the broker has no such topic.

    Some brokers (tansu) create a topic when a client asks for its metadata by name,
    so look in the full topic list first and describe only a topic that exists."""
    if topic not in set(await admin.list_topics()):
        return set()
    described = await admin.describe_topics([topic])
    return {p["partition"] for d in described for p in d["partitions"]}


async def stop_within(stopping: Coroutine[Any, Any, None], *, seconds: float) -> None:
    """Stop a Kafka client, but give up after `seconds`: with the broker gone, aiokafka
    waits for a fetch in flight that never ends, and the caller must go on (a new
    broker is exactly what it then has to deal with)."""
    try:
        await asyncio.wait_for(stopping, seconds)
    except TimeoutError:
        log.warning("kafka_client_stop_timed_out", seconds=seconds)
