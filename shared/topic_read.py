"""Reading a whole topic as it stood when asked: every partition from its beginning to
its end offset at the start, as a third party that trusts nothing else would."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient

from shared.kafka import stop_within, topic_partitions


@dataclass(frozen=True)
class TopicMessage:
    """One message as read: where it was, and its bytes."""

    partition: int
    offset: int
    value: bytes | None


async def read_to_end(
    bootstrap: str, topic: str, *, timeout_seconds: float = 10.0
) -> list[TopicMessage] | None:
    """Every message of `topic`, each partition in offset order, at least up to the
    end offsets it had when asked (and the rest of the last fetch: tansu gives as the
    end the last batch's first offset + 1, so the batch is read whole); None when the
    topic does not exist. Raises TimeoutError when the broker hands over nothing for
    `timeout_seconds` while messages are still due (a long topic takes as long as it
    takes)."""
    admin = AIOKafkaAdminClient(
        bootstrap_servers=bootstrap, request_timeout_ms=int(timeout_seconds * 1000)
    )
    try:
        # Inside the try: a start cancelled half-way must still be closed.
        await admin.start()
        partitions = await topic_partitions(admin, topic)
    finally:
        await admin.close()
    if not partitions:
        return None
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        request_timeout_ms=int(timeout_seconds * 1000),
    )
    try:
        await consumer.start()
        tps = [TopicPartition(topic, p) for p in sorted(partitions)]
        return await _drain(consumer, tps, stall_seconds=timeout_seconds)
    finally:
        await stop_within(consumer.stop(), seconds=timeout_seconds)


async def _drain(
    consumer: AIOKafkaConsumer, tps: list[TopicPartition], *, stall_seconds: float
) -> list[TopicMessage]:
    consumer.assign(tps)
    await consumer.seek_to_beginning(*tps)
    ends: dict[TopicPartition, int] = await consumer.end_offsets(tps)
    remaining = {tp for tp in tps if ends[tp] > await consumer.position(tp)}
    read: dict[int, list[TopicMessage]] = {tp.partition: [] for tp in tps}
    loop = asyncio.get_running_loop()
    last_progress = loop.time()
    while remaining:
        batch = await consumer.getmany(*remaining, timeout_ms=500)
        for tp, records in batch.items():
            read[tp.partition] += [
                TopicMessage(tp.partition, r.offset, r.value) for r in records
            ]
            if records and records[-1].offset + 1 >= ends[tp]:
                remaining.discard(tp)
        if batch:
            last_progress = loop.time()
        elif loop.time() - last_progress > stall_seconds:
            raise TimeoutError(f"no message of {tps[0].topic} for {stall_seconds}s")
    return [m for tp in tps for m in read[tp.partition]]
