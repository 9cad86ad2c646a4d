"""The relay: sequences committed events, seals them, and publishes both to Kafka."""

from __future__ import annotations

import asyncio
import contextlib
import json
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import asyncpg
import structlog
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import (
    KafkaError,
    MessageSizeTooLargeError,
    OffsetOutOfRangeError,
    TopicAlreadyExistsError,
)
from aiokafka.partitioner import DefaultPartitioner
from aiokafka.structs import RecordMetadata

from shared import metrics
from shared.chain import (
    GENESIS,
    Ed25519Signer,
    Signer,
    block_hash,
    new_private_key_pem,
    seal_hash,
)
from shared.envelope import row_envelope_json
from shared.kafka import stop_within, topic_partitions
from shared.settings import ServiceSettings
from shared.store import Cursor, EventStore

log = structlog.get_logger()

# The producer's own default: a stream's events land where `send(key=…)` puts them.
_PARTITIONER = DefaultPartitioner()
# Streams repeat, and aiokafka's murmur2 is pure Python: each stream's partition is
# remembered, up to this many streams (then forgotten all at once, to bound memory).
_PLACEMENTS_KEPT = 100_000

EPOCH_HEADER = "relay-epoch"
# One relay per service database: the sequencer must be the only writer of the order.
_LEADER_LOCK = 7_346_002
# The relay's read: only the columns of the envelope, `event_id` as text, in published
# order (`store.read_sequenced` makes a `Recorded` of every column, which costs as much
# per event as the JSON does).
_READ_SEQUENCED = (
    "SELECT s.sequence, e.position, e.event_id::text AS event_id, e.stream_id,"
    " e.version, e.event_type, e.schema_version, e.data, e.actor, e.actor_unit,"
    " e.correlation_id, e.causation_id, e.recorded_at, e.prevhash, e.hash"
    " FROM event_sequence s JOIN events e ON e.position = s.position"
    " WHERE s.sequence > $1 ORDER BY s.sequence LIMIT $2"
)


class Relay:
    """Store → Kafka in commit order, at least once; survives broker outages and loss."""

    def __init__(
        self,
        store: EventStore,
        *,
        bootstrap: str,
        service: str,
        source: str,
        topic: str,
        seals_topic: str,
        signer: Signer,
        partitions: int = 3,
        batch_size: int = 500,
        seal_block_size: int = 1000,
        seal_interval_seconds: float = 5.0,
    ) -> None:
        self.store = store
        self.bootstrap = bootstrap
        self.service = service
        self.source = source
        self.topic = topic
        self.seals_topic = seals_topic
        self.signer = signer
        self.partitions = partitions
        self.batch_size = batch_size
        self.seal_block_size = seal_block_size
        self.seal_interval_seconds = seal_interval_seconds
        self._producer: AIOKafkaProducer | None = None
        self._wake = asyncio.Event()
        self._stopping = False
        self._cursor: Cursor | None = None
        self._last_sequence = 0
        self._last_seal_at = datetime.now(UTC)
        self._last_loss_check = 0.0
        self._backoff = 0.5
        self._placed_among: list[int] = []
        self._placements: dict[str, int] = {}

    @classmethod
    def from_settings(cls, store: EventStore, settings: ServiceSettings) -> Relay:
        """A relay configured from the service's settings."""
        if settings.kafka_bootstrap is None:
            raise ValueError("KAFKA_BOOTSTRAP must be resolved before the relay starts")
        if settings.seal_private_key is None:
            log.warning("seal_key_missing", detail="using a key made for this run only")
            pem = new_private_key_pem()
        else:
            pem = settings.seal_private_key.get_secret_value()
        return cls(
            store,
            bootstrap=settings.kafka_bootstrap,
            service=settings.service,
            source=settings.source,
            topic=settings.events_topic,
            seals_topic=settings.seals_topic,
            signer=Ed25519Signer.from_pem(pem),
            partitions=settings.topic_partitions,
            batch_size=settings.relay_batch_size,
            seal_block_size=settings.seal_block_size,
            seal_interval_seconds=settings.seal_interval_seconds,
        )

    def wake(self) -> None:
        """Tell the relay there is something new (it also polls)."""
        self._wake.set()

    def stop(self) -> None:
        """Finish the current step and stop."""
        self._stopping = True
        self._wake.set()

    async def run(self) -> None:
        """Lead, then loop: sequence, seal, publish; wait while the broker is down."""
        pool = self.store.pool
        async with pool.acquire() as leader:
            while not await leader.fetchval(
                "SELECT pg_try_advisory_lock($1)", _LEADER_LOCK
            ):
                if self._stopping:
                    return
                await asyncio.sleep(1.0)
            try:
                await self._register_key()
                await self._loop()
            finally:
                await self._disconnect()
                await leader.execute("SELECT pg_advisory_unlock($1)", _LEADER_LOCK)

    async def _loop(self) -> None:
        idle = 0.01
        while not self._stopping:
            if await self._turn():
                idle = 0.01
                continue
            await self._sleep(idle)
            idle = min(idle * 2, 0.2)

    async def _turn(self) -> bool:
        """Sequence, seal, publish; whether the next turn follows at once (something
        was done, or the wait for the broker is served already)."""
        # The next events are numbered while this turn seals and publishes those
        # numbered before. Numbering is one statement that PostgreSQL works on in the
        # meantime, on rows nothing else here writes; run in turn, it kept the relay
        # (envelopes, batches) waiting for a fifth of its time when catching up.
        sequencing = asyncio.create_task(self.sequence_once())
        try:
            sealed = await self.seal_once()
            published = await self._publish_turn()
        except BaseException:
            sequencing.cancel()
            # It may have committed before it was cancelled: the next reads afresh.
            self._cursor = None
            raise
        sequenced = await sequencing
        return published is None or bool(sequenced + sealed + published)

    async def _publish_turn(self) -> int | None:
        """Publish events and seals; None when the broker is away (after waiting)."""
        try:
            if self._producer is None:
                await self._connect()
                # Before publishing anything to a broker we reconnected to: did it
                # keep what we published before?
                await self.check_broker_loss()
                self._backoff = 0.5
            published = await self.publish_once()
            published += await self.publish_seals_once()
            await self._check_loss_every(5.0)
        except (KafkaError, OSError, TimeoutError) as exc:
            log.warning(
                "broker_unavailable", error=type(exc).__name__, retry_in=self._backoff
            )
            await self._disconnect()
            await self._sleep(self._backoff)
            self._backoff = min(self._backoff * 2, 5.0)
            return None
        return published

    async def _sleep(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), seconds)
        self._wake.clear()

    # --- sequencing: commit order → contiguous published order -------------------

    async def sequence_once(self) -> int:
        """Give the next committed events their sequence numbers; returns how many."""
        pool = self.store.pool
        if self._cursor is None:
            row = await pool.fetchrow(
                "SELECT s.sequence, e.txid::text::bigint AS txid, e.position"
                " FROM event_sequence s JOIN events e ON e.position = s.position"
                " ORDER BY s.sequence DESC LIMIT 1"
            )
            self._cursor = Cursor(row["txid"], row["position"]) if row else Cursor()
            self._last_sequence = row["sequence"] if row else 0
        # One statement: the next committed events in commit order (below the oldest
        # running transaction, as `read_all` reads), numbered on from the last sequence.
        row = await pool.fetchrow(
            "WITH next AS (SELECT e.txid, e.position FROM events e"
            " WHERE (e.txid, e.position) > ($1::text::xid8, $2)"
            " AND e.txid < pg_snapshot_xmin(pg_current_snapshot())"
            " ORDER BY e.txid, e.position LIMIT $3),"
            " numbered AS (SELECT $4::bigint + row_number() OVER (ORDER BY txid, position)"
            " AS sequence, txid, position FROM next),"
            " ins AS (INSERT INTO event_sequence (sequence, position)"
            " SELECT sequence, position FROM numbered)"
            " SELECT count(*) AS n, max(sequence) AS last,"
            " (array_agg(txid::text::bigint ORDER BY sequence DESC))[1] AS txid,"
            " (array_agg(position ORDER BY sequence DESC))[1] AS position FROM numbered",
            str(self._cursor.txid),
            self._cursor.position,
            self.batch_size,
            self._last_sequence,
        )
        if row is None or not row["n"]:
            return 0
        self._last_sequence = row["last"]
        self._cursor = Cursor(row["txid"], row["position"])
        return int(row["n"])

    # --- seals ------------------------------------------------------------------

    async def _register_key(self) -> None:
        public = (
            self.signer.public_pem() if isinstance(self.signer, Ed25519Signer) else ""
        )
        await self.store.pool.execute(
            "INSERT INTO seal_keys (key_id, algorithm, public_key) VALUES ($1, $2, $3)"
            " ON CONFLICT (key_id) DO NOTHING",
            self.signer.key_id,
            self.signer.algorithm,
            public,
        )

    async def seal_once(self) -> int:
        """Seal full blocks, or a partial one once the interval has passed; returns seals made."""
        pool = self.store.pool
        made = 0
        while True:
            last = await pool.fetchrow(
                "SELECT seal_no, last_sequence, seal_hash FROM seals"
                " ORDER BY seal_no DESC LIMIT 1"
            )
            seal_no = (last["seal_no"] if last else 0) + 1
            after = last["last_sequence"] if last else 0
            prev = last["seal_hash"] if last else GENESIS
            now = datetime.now(UTC)
            is_due = (
                now - self._last_seal_at
            ).total_seconds() >= self.seal_interval_seconds
            # Sequences are contiguous: the highest one says how many wait for a seal,
            # without reading a block's rows on every turn only to find it not full.
            sequenced = await pool.fetchval(
                "SELECT coalesce(max(sequence), 0) FROM event_sequence"
            )
            if sequenced <= after or (
                sequenced - after < self.seal_block_size and not is_due
            ):
                return made
            rows = await pool.fetch(
                "SELECT s.sequence, s.position, e.hash FROM event_sequence s"
                " JOIN events e ON e.position = s.position WHERE s.sequence > $1"
                " ORDER BY s.sequence LIMIT $2",
                after,
                self.seal_block_size,
            )
            entries = [(r["sequence"], r["position"], r["hash"]) for r in rows]
            block = block_hash(entries)
            digest = seal_hash(
                seal_no=seal_no,
                first_sequence=entries[0][0],
                last_sequence=entries[-1][0],
                event_count=len(entries),
                block=block,
                prev_seal_hash=prev,
                sealed_at=now,
            )
            await pool.execute(
                "INSERT INTO seals (seal_no, first_sequence, last_sequence, event_count,"
                " block_hash, prev_seal_hash, seal_hash, algorithm, key_id, signature,"
                " sealed_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
                seal_no,
                entries[0][0],
                entries[-1][0],
                len(entries),
                block,
                prev,
                digest,
                self.signer.algorithm,
                self.signer.key_id,
                self.signer.sign(digest.encode()),
                now,
            )
            self._last_seal_at = now
            made += 1

    # --- publishing ---------------------------------------------------------------

    async def _connect(self) -> None:
        await self._ensure_topics()
        producer = AIOKafkaProducer(
            bootstrap_servers=self.bootstrap,
            acks="all",
            linger_ms=2,
            request_timeout_ms=10_000,
            enable_idempotence=False,
        )
        try:
            await producer.start()
        except BaseException:
            await producer.stop()
            raise
        self._producer = producer
        self._last_loss_check = 0.0
        log.info("relay_connected", topic=self.topic)

    async def _disconnect(self) -> None:
        producer, self._producer = self._producer, None
        if producer is not None:
            with contextlib.suppress(KafkaError, OSError):
                await stop_within(producer.stop(), seconds=5.0)

    async def _ensure_topics(self) -> None:
        admin = AIOKafkaAdminClient(
            bootstrap_servers=self.bootstrap, request_timeout_ms=10_000
        )
        try:
            # Inside the try: a start cancelled half-way must still be closed.
            await admin.start()
            existing = set(await admin.list_topics())
            wanted = [
                NewTopic(t, num_partitions=self.partitions, replication_factor=1)
                for t in (self.topic, self.seals_topic)
                if t not in existing
            ]
            if wanted:
                with contextlib.suppress(TopicAlreadyExistsError):
                    await admin.create_topics(wanted)
        finally:
            await admin.close()

    async def _state(self) -> asyncpg.Record:
        pool = self.store.pool
        await pool.execute(
            "INSERT INTO relay_state (topic, epoch) VALUES ($1, $2)"
            " ON CONFLICT (topic) DO NOTHING",
            self.topic,
            uuid.uuid4(),
        )
        row = await pool.fetchrow(
            "SELECT * FROM relay_state WHERE topic = $1", self.topic
        )
        assert row is not None  # noqa: S101 - inserted above
        return row

    async def publish_once(self) -> int:
        """Publish the next batch in sequence order and remember it; returns how many."""
        assert self._producer is not None  # noqa: S101 - connected by the loop
        state = await self._state()
        records = await self.store.pool.fetch(
            _READ_SEQUENCED, state["published_sequence"], self.batch_size
        )
        if not records:
            return 0
        epoch = str(state["epoch"]).encode()
        offsets: dict[str, list[int]] = dict(state["partition_offsets"])
        for partition, sent, delivered in await self._send_batches(records, epoch):
            # Per partition, the last message published: its offset and its sequence.
            last = (await delivered).offset + len(sent) - 1
            key = str(partition)
            if last >= offsets.get(key, [-1, 0])[0]:
                offsets[key] = [last, sent[-1]["sequence"]]
        await self.store.pool.execute(
            "UPDATE relay_state SET published_sequence = $2, partition_offsets = $3,"
            " updated_at = now() WHERE topic = $1 AND epoch = $4",
            self.topic,
            records[-1]["sequence"],
            offsets,
            state["epoch"],
        )
        metrics.RELAY_PUBLISHED.labels(topic=self.topic).inc(len(records))
        return len(records)

    async def _send_batches(
        self, records: Sequence[asyncpg.Record], epoch: bytes
    ) -> list[tuple[int, list[asyncpg.Record], asyncio.Future[RecordMetadata]]]:
        """Hand the records to the producer in sequence order, keyed by stream as
        `send()` would place them, into one filling batch per partition: a full batch
        goes while the others fill, so that (as with `send()`) each request to the
        broker carries a batch of every partition, not one partition's after another's."""
        producer = self._producer
        assert producer is not None  # noqa: S101 - connected by the loop
        partitions = sorted(await producer.partitions_for(self.topic))
        headers = [(EPOCH_HEADER, epoch)]
        filling: dict[int, tuple[Any, list[asyncpg.Record]]] = {}
        sending = []
        for record in records:
            stream_id = record["stream_id"]
            partition = self._partition_of(stream_id, partitions)
            message = {
                "key": stream_id.encode(),
                "value": row_envelope_json(
                    record, source=self.source, service=self.service
                ),
                "timestamp": None,
                "headers": headers,
            }
            batch, sent = filling.get(partition) or (producer.create_batch(), [])
            if batch.append(**message) is None:
                delivered = await producer.send_batch(
                    batch, self.topic, partition=partition
                )
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
            delivered = await producer.send_batch(
                batch, self.topic, partition=partition
            )
            sending.append((partition, sent, delivered))
        return sending

    def _partition_of(self, stream_id: str, partitions: list[int]) -> int:
        if (
            partitions != self._placed_among
            or len(self._placements) >= _PLACEMENTS_KEPT
        ):
            self._placed_among = partitions
            self._placements = {}
        partition = self._placements.get(stream_id)
        if partition is None:
            partition = _PARTITIONER(stream_id.encode(), partitions, partitions)
            self._placements[stream_id] = partition
        return partition

    async def publish_seals_once(self) -> int:
        """Publish seals not yet on the seals topic; returns how many."""
        assert self._producer is not None  # noqa: S101 - connected by the loop
        state = await self._state()
        rows = await self.store.pool.fetch(
            "SELECT * FROM seals WHERE seal_no > $1 ORDER BY seal_no LIMIT 100",
            state["published_seal"],
        )
        for row in rows:
            body = {k: v for k, v in dict(row).items() if k != "sealed_at"}
            body["sealed_at"] = row["sealed_at"].isoformat(timespec="microseconds")
            body["source"] = self.source
            await self._producer.send_and_wait(
                self.seals_topic,
                value=json.dumps(body).encode(),
                key=self.source.encode(),
            )
        if rows:
            await self.store.pool.execute(
                "UPDATE relay_state SET published_seal = $2 WHERE topic = $1",
                self.topic,
                rows[-1]["seal_no"],
            )
        return len(rows)

    async def _check_loss_every(self, seconds: float) -> None:
        now = asyncio.get_running_loop().time()
        if now - self._last_loss_check < seconds:
            return
        self._last_loss_check = now
        await self.check_broker_loss()

    async def check_broker_loss(self) -> bool:
        """If the broker no longer holds the last message published to each partition
        (it lost its data), start a new epoch and republish everything from the store;
        returns whether it did."""
        state = await self._state()
        recorded = {
            int(p): (int(last[0]), int(last[1]))
            for p, last in dict(state["partition_offsets"]).items()
        }
        if not recorded or await self._still_there(recorded, str(state["epoch"])):
            return False
        log.warning(
            "broker_lost_events",
            topic=self.topic,
            published=state["published_sequence"],
        )
        await self.store.pool.execute(
            "UPDATE relay_state SET epoch = $2, published_sequence = 0, published_seal = 0,"
            " partition_offsets = '{}'::jsonb, updated_at = now() WHERE topic = $1",
            self.topic,
            uuid.uuid4(),
        )
        await self._ensure_topics()
        return True

    async def _topics(self) -> set[str]:
        """The broker's topics; raises when the broker does not answer."""
        admin = AIOKafkaAdminClient(
            bootstrap_servers=self.bootstrap, request_timeout_ms=10_000
        )
        try:
            # Inside the try: a start cancelled half-way must still be closed.
            await admin.start()
            return set(await admin.list_topics())
        finally:
            await admin.close()

    async def _still_there(
        self, recorded: dict[int, tuple[int, int]], epoch: str
    ) -> bool:
        admin = AIOKafkaAdminClient(
            bootstrap_servers=self.bootstrap, request_timeout_ms=10_000
        )
        try:
            # Inside the try: a start cancelled half-way must still be closed.
            await admin.start()
            partitions = await topic_partitions(admin, self.topic)
        finally:
            await admin.close()
        if not set(recorded) <= partitions:
            return False
        consumer = AIOKafkaConsumer(
            bootstrap_servers=self.bootstrap,
            enable_auto_commit=False,
            auto_offset_reset="none",
            request_timeout_ms=10_000,
        )
        try:
            # Inside the try: a start cancelled half-way must still be closed.
            await consumer.start()
            tps = {TopicPartition(self.topic, p): last for p, last in recorded.items()}
            consumer.assign(list(tps))
            for tp, (offset, _sequence) in tps.items():
                consumer.seek(tp, offset)
            found: dict[TopicPartition, bool] = {}
            deadline = asyncio.get_running_loop().time() + 5.0
            while (
                len(found) < len(tps) and asyncio.get_running_loop().time() < deadline
            ):
                try:
                    batch = await consumer.getmany(timeout_ms=500, max_records=len(tps))
                except OffsetOutOfRangeError:
                    return False
                for tp, messages in batch.items():
                    if tp not in found and messages:
                        first = messages[0]
                        headers = dict(first.headers or ())
                        # The same offset is not enough: a new broker may have
                        # filled it since; the same message carries the same sequence.
                        found[tp] = (
                            first.offset == tps[tp][0]
                            and bytes(headers.get(EPOCH_HEADER, b"")).decode() == epoch
                            and _sequence_of(first.value) == tps[tp][1]
                        )
                        consumer.pause(tp)
            if len(found) < len(tps):
                # Nothing came back: lost, unless the broker itself went away while we
                # looked (then this raises, and the loop waits for it).
                await self._topics()
                return False
            return all(found.values())
        finally:
            await stop_within(consumer.stop(), seconds=5.0)

    async def measure_lag(self) -> int:
        """Events sequenced or committed but not yet published (also set as a gauge)."""
        row = await self.store.pool.fetchrow(
            "SELECT coalesce((SELECT max(sequence) FROM event_sequence), 0) AS sequenced,"
            " coalesce((SELECT count(*) FROM events e WHERE e.position > coalesce("
            "(SELECT max(position) FROM event_sequence), 0)), 0) AS unsequenced,"
            " coalesce((SELECT published_sequence FROM relay_state WHERE topic = $1), 0)"
            " AS published",
            self.topic,
        )
        assert row is not None  # noqa: S101 - aggregate row always exists
        lag = int(row["sequenced"]) - int(row["published"]) + int(row["unsequenced"])
        metrics.RELAY_LAG.labels(topic=self.topic).set(lag)
        return lag


def _sequence_of(value: bytes | None) -> int | None:
    try:
        sequence = json.loads(value or b"{}").get("sequence")
    except ValueError:
        return None
    return sequence if isinstance(sequence, int) else None
