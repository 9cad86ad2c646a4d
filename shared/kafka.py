"""Small broker look-ups that never create a topic by asking about it."""

from __future__ import annotations

from aiokafka.admin import AIOKafkaAdminClient


async def topic_partitions(admin: AIOKafkaAdminClient, topic: str) -> set[int]:
    """The topic's partitions, or an empty set if the broker has no such topic.

    Some brokers (tansu) create a topic when a client asks for its metadata by name,
    so look in the full topic list first and describe only a topic that exists."""
    if topic not in set(await admin.list_topics()):
        return set()
    described = await admin.describe_topics([topic])
    return {p["partition"] for d in described for p in d["partitions"]}
