"""What the relay asks the broker: its topics; and whether it kept what was published
(the last message of each partition, read back: the same offset, epoch and sequence, or
the broker lost its data)."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Iterator

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.errors import KafkaError, OffsetOutOfRangeError

from shared.kafka import stop_within, topic_partitions
from shared.relay.batches import EPOCH_HEADER


class BrokerAway(Exception):
    """The broker did not answer; the relay keeps ordering and tries it again."""


@contextlib.contextmanager
def broker_errors() -> Iterator[None]:
    """Raise what the broker's side raises as `BrokerAway`: told apart from the
    database's (which ends the relay's run, and it leads again first)."""
    try:
        yield
    except (KafkaError, OSError, TimeoutError) as exc:
        raise BrokerAway(f"{type(exc).__name__}: {exc}") from exc


async def broker_topics(bootstrap: str) -> set[str]:
    """The broker's topics; raises when the broker does not answer."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=10_000)
    try:
        # Inside the try: a start cancelled half-way must still be closed.
        await admin.start()
        return set(await admin.list_topics())
    finally:
        await admin.close()


async def still_there(
    bootstrap: str, topic: str, recorded: dict[int, tuple[int, int]], epoch: str
) -> bool:
    """Whether each partition still holds, at the offset recorded, the message last
    published to it (`recorded`: partition → (offset, sequence)) in this epoch."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=10_000)
    try:
        # Inside the try: a start cancelled half-way must still be closed.
        await admin.start()
        partitions = await topic_partitions(admin, topic)
    finally:
        await admin.close()
    if not set(recorded) <= partitions:
        return False
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap,
        enable_auto_commit=False,
        auto_offset_reset="none",
        request_timeout_ms=10_000,
    )
    try:
        # Inside the try: a start cancelled half-way must still be closed.
        await consumer.start()
        tps = {TopicPartition(topic, p): last for p, last in recorded.items()}
        consumer.assign(list(tps))
        for tp, (offset, _sequence) in tps.items():
            consumer.seek(tp, offset)
        found: dict[TopicPartition, bool] = {}
        deadline = asyncio.get_running_loop().time() + 5.0
        while len(found) < len(tps) and asyncio.get_running_loop().time() < deadline:
            try:
                batch = await consumer.getmany(timeout_ms=500, max_records=len(tps))
            except OffsetOutOfRangeError:
                return False
            for tp, messages in batch.items():
                if tp not in found and messages:
                    first = messages[0]
                    headers = dict(first.headers or ())
                    # The same offset is not enough: a new broker may have filled it
                    # since; the same message carries the same sequence.
                    found[tp] = (
                        first.offset == tps[tp][0]
                        and bytes(headers.get(EPOCH_HEADER, b"")).decode() == epoch
                        and _sequence_of(first.value) == tps[tp][1]
                    )
                    consumer.pause(tp)
        if len(found) < len(tps):
            # Nothing came back: lost, unless the broker itself went away while we
            # looked (then this raises, and the loop waits for it).
            await broker_topics(bootstrap)
            return False
        return all(found.values())
    finally:
        await stop_within(consumer.stop(), seconds=5.0)


def _sequence_of(value: bytes | None) -> int | None:
    try:
        sequence = json.loads(value or b"{}").get("sequence")
    except ValueError:
        return None
    return sequence if isinstance(sequence, int) else None
