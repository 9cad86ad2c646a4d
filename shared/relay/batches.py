"""Publishing the published order: each stream's events where `send(key=…)` puts them,
in batches the producer sends side by side."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

import asyncpg
from aiokafka import AIOKafkaProducer
from aiokafka.errors import MessageSizeTooLargeError
from aiokafka.partitioner import DefaultPartitioner
from aiokafka.structs import RecordMetadata

from shared.envelope import row_envelope_json

# Each message carries the epoch it was published in: a new one starts when the broker
# lost what it had, and consumers replay then.
EPOCH_HEADER = "relay-epoch"
# The CloudEvents Kafka binding's structured mode: the value is the whole event.
CONTENT_TYPE_HEADER = "content-type"
CLOUDEVENTS_JSON = "application/cloudevents+json; charset=UTF-8"

# The relay's read: only the columns of the envelope, `event_id` as text, in published
# order (`store.read_sequenced` makes a `Recorded` of every column, which costs as much
# per event as the JSON does).
READ_SEQUENCED = (
    "SELECT s.sequence, e.position, e.event_id::text AS event_id, e.stream_id,"
    " e.version, e.event_type, e.schema_version, e.data, e.actor, e.actor_unit,"
    " e.correlation_id, e.causation_id, e.recorded_at, e.prevhash, e.hash,"
    " e.business_date, e.is_backdated"
    " FROM event_sequence s JOIN events e ON e.position = s.position"
    " WHERE s.sequence > $1 ORDER BY s.sequence LIMIT $2"
)

# The producer's own default: a stream's events land where `send(key=…)` puts them.
_PARTITIONER = DefaultPartitioner()
# Streams repeat, and aiokafka's murmur2 is pure Python: each stream's partition is
# remembered, up to this many streams (then forgotten all at once, to bound memory).
_PLACEMENTS_KEPT = 100_000

# A partition, the records handed to it in one batch, and its delivery.
Sending = tuple[int, list[asyncpg.Record], asyncio.Future[RecordMetadata]]


class Placements:
    """Each stream's partition among the topic's partitions, as `send(key=…)` puts it."""

    def __init__(self) -> None:
        self._among: list[int] = []
        self._placed: dict[str, int] = {}

    def partition_of(self, stream_id: str, partitions: list[int]) -> int:
        """The partition the stream's events go to."""
        if partitions != self._among or len(self._placed) >= _PLACEMENTS_KEPT:
            self._among = partitions
            self._placed = {}
        partition = self._placed.get(stream_id)
        if partition is None:
            partition = _PARTITIONER(stream_id.encode(), partitions, partitions)
            self._placed[stream_id] = partition
        return partition


async def send_batches(
    producer: AIOKafkaProducer,
    topic: str,
    records: Sequence[asyncpg.Record],
    *,
    epoch: bytes,
    placements: Placements,
    source: str,
    service: str,
) -> list[Sending]:
    """Hand the records to the producer in sequence order, keyed by stream as `send()`
    would place them, into one filling batch per partition: a full batch goes while
    the others fill, so that (as with `send()`) each request to the broker carries a
    batch of every partition, not one partition's after another's."""
    partitions = sorted(await producer.partitions_for(topic))
    headers = [(EPOCH_HEADER, epoch), (CONTENT_TYPE_HEADER, CLOUDEVENTS_JSON.encode())]
    filling: dict[int, tuple[Any, list[asyncpg.Record]]] = {}
    sending: list[Sending] = []
    for record in records:
        stream_id = record["stream_id"]
        partition = placements.partition_of(stream_id, partitions)
        message = {
            "key": stream_id.encode(),
            "value": row_envelope_json(record, source=source, service=service),
            "timestamp": None,
            "headers": headers,
        }
        batch, sent = filling.get(partition) or (producer.create_batch(), [])
        if batch.append(**message) is None:
            delivered = await producer.send_batch(batch, topic, partition=partition)
            sending.append((partition, sent, delivered))
            batch, sent = producer.create_batch(), []
            if batch.append(**message) is None:
                # Never dropped: the relay stops here and says why, until fixed.
                raise MessageSizeTooLargeError(
                    f"event at position {record['position']} exceeds a message"
                )
        sent.append(record)
        filling[partition] = (batch, sent)
    for partition, (batch, sent) in filling.items():
        delivered = await producer.send_batch(batch, topic, partition=partition)
        sending.append((partition, sent, delivered))
    return sending
