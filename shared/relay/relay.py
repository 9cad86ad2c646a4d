"""The relay: the loop that sequences, seals and publishes, with the broker away or back."""

from __future__ import annotations

import asyncio
import contextlib
import uuid

import asyncpg
import structlog
from aiokafka import AIOKafkaProducer
from aiokafka.errors import KafkaError

from shared import metrics
from shared.chain import Signer
from shared.db import DbConnection
from shared.kafka import stop_within
from shared.loops import LoopState, LoopStatus
from shared.relay.batches import READ_SEQUENCED, Placements, send_batches
from shared.relay.broker import BrokerAway, broker_errors, still_there
from shared.relay.leadership import check_moved, resign, take_lead
from shared.relay.sealer import Sealer
from shared.relay.sequencer import Sequencer
from shared.relay.topics import TopicPolicy, ensure_topics
from shared.settings import ServiceSettings
from shared.store import EventStore
from shared.tree_head import seal_message

log = structlog.get_logger()


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
        topic_policy: TopicPolicy | None = None,
    ) -> None:
        self.store = store
        self.bootstrap = bootstrap
        self.service = service
        self.source = source
        self.topic = topic
        self.seals_topic = seals_topic
        self.partitions = partitions
        self.topic_policy = topic_policy or TopicPolicy()
        self.batch_size = batch_size
        self._producer: AIOKafkaProducer | None = None
        self._wake = asyncio.Event()
        self._stopping = False
        self._sequencer = Sequencer(
            store.pool, batch_size=batch_size, tags=store.tag_checker()
        )
        self._sealer = Sealer(
            store.pool,
            signer,
            block_size=seal_block_size,
            interval_seconds=seal_interval_seconds,
        )
        self._placements = Placements()
        self._last_loss_check = 0.0
        self._backoff = 0.5
        # What readiness and operators see of the relay's loop.
        self.status = LoopStatus(name="relay")

    @classmethod
    def from_settings(cls, store: EventStore, settings: ServiceSettings) -> Relay:
        """A relay configured from the service's settings."""
        if settings.kafka_bootstrap is None:
            raise ValueError("KAFKA_BOOTSTRAP must be resolved before the relay starts")
        # One key per service: the store signs appends with the key the settings name
        # (SEAL_PRIVATE_KEY), the seals are signed with the same.
        return cls(
            store,
            bootstrap=settings.kafka_bootstrap,
            service=settings.service,
            source=settings.source,
            topic=settings.events_topic,
            seals_topic=settings.seals_topic,
            signer=store.signer,
            partitions=settings.topic_partitions,
            batch_size=settings.relay_batch_size,
            seal_block_size=settings.seal_block_size,
            seal_interval_seconds=settings.seal_interval_seconds,
            topic_policy=TopicPolicy.from_settings(settings),
        )

    def wake(self) -> None:
        """Tell the relay there is something new (it also polls)."""
        self._wake.set()

    def stop(self) -> None:
        """Finish the current step and stop."""
        self._stopping = True
        self._wake.set()

    async def run(self) -> None:
        """Lead, then loop: sequence, seal, publish; wait while the broker is down.
        Raises when the database fails: run again (under `supervise`), it leads again
        before it writes anything."""
        async with self.store.pool.acquire() as leader:
            is_leading = False
            try:
                is_leading = await take_lead(
                    leader, self.status, is_stopping=lambda: self._stopping
                )
                if not is_leading:
                    return
                await self._sealer.register_key(leader)
                # What a run before this one numbered is read afresh.
                self._sequencer.forget()
                self.status.set(LoopState.RUNNING)
                log.info("relay_leading", topic=self.topic)
                await self._loop(leader)
            finally:
                await self._disconnect()
                if is_leading:
                    await resign(leader)

    async def _loop(self, leader: DbConnection) -> None:
        idle = 0.01
        while not self._stopping:
            if await self._turn(leader):
                idle = 0.01
                continue
            await self._sleep(idle)
            idle = min(idle * 2, 0.2)

    async def _turn(self, leader: DbConnection) -> bool:
        """Sequence, seal, publish; whether the next turn follows at once (something
        was done, or the wait for the broker is served already)."""
        # The next events are numbered (then sealed) while this turn publishes those
        # numbered before: numbering is one statement that PostgreSQL works on in the
        # meantime; run in turn, it kept the relay waiting for a fifth of its time when
        # catching up. Numbering and sealing run on the session that holds the leader
        # lock: after a lost session (a database restart) they fail there and then,
        # never writing the order while another relay may have taken the lead.
        ordering = asyncio.create_task(self._order(leader))
        try:
            published = await self._publish_turn()
            sequenced, sealed = await ordering
        except BaseException:
            ordering.cancel()
            await asyncio.gather(ordering, return_exceptions=True)
            # It may have committed before it failed: the next reads afresh.
            self._sequencer.forget()
            raise
        return published is None or bool(sequenced + sealed + published)

    async def _order(self, leader: DbConnection) -> tuple[int, int]:
        sequenced = await self._sequencer.sequence_once(leader)
        sealed = await self._sealer.seal_once(leader)
        return sequenced, sealed

    async def _publish_turn(self) -> int | None:
        """Publish events and seals; None when the broker is away (after waiting).
        What the database raises goes up: the run ends."""
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
        except BrokerAway as exc:
            self.status.set(LoopState.RETRYING, exc)
            log.warning(
                "broker_unavailable",
                error=type(exc.__cause__).__name__,
                retry_in=self._backoff,
            )
            await self._disconnect()
            await self._sleep(self._backoff)
            self._backoff = min(self._backoff * 2, 5.0)
            return None
        self.status.set(LoopState.RUNNING)
        return published

    async def _sleep(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), seconds)
        self._wake.clear()

    async def sequence_once(self) -> int:
        """Give the next committed events their sequence numbers; returns how many."""
        return await self._sequencer.sequence_once()

    async def register_key(self) -> None:
        """Record the public key the seals are signed with."""
        await self._sealer.register_key()

    async def seal_once(self) -> int:
        """Seal full blocks, or a partial one once the interval has passed; returns
        seals made."""
        return await self._sealer.seal_once()

    # --- publishing ---------------------------------------------------------------

    async def _connect(self) -> None:
        with broker_errors():
            await self._start_producer()
        log.info("relay_connected", topic=self.topic)

    async def _start_producer(self) -> None:
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

    async def _disconnect(self) -> None:
        producer, self._producer = self._producer, None
        if producer is not None:
            with contextlib.suppress(KafkaError, OSError):
                await stop_within(producer.stop(), seconds=5.0)

    async def _ensure_topics(self) -> None:
        await ensure_topics(
            self.bootstrap,
            [self.topic, self.seals_topic],
            partitions=self.partitions,
            policy=self.topic_policy,
        )

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
            READ_SEQUENCED, state["published_sequence"], self.batch_size
        )
        if not records:
            return 0
        epoch = str(state["epoch"]).encode()
        offsets: dict[str, list[int]] = dict(state["partition_offsets"])
        with broker_errors():
            sending = await send_batches(
                self._producer,
                self.topic,
                records,
                epoch=epoch,
                placements=self._placements,
                source=self.source,
                service=self.service,
            )
            for partition, sent, delivered in sending:
                # Per partition, the last message published: offset and sequence.
                last = (await delivered).offset + len(sent) - 1
                key = str(partition)
                if last >= offsets.get(key, [-1, 0])[0]:
                    offsets[key] = [last, sent[-1]["sequence"]]
        # Only from where it read: a relay that lost the lead unnoticed must not move
        # the published order back under the one that leads now.
        updated = await self.store.pool.execute(
            "UPDATE relay_state SET published_sequence = $2, partition_offsets = $3,"
            " updated_at = now() WHERE topic = $1 AND epoch = $4"
            " AND published_sequence = $5",
            self.topic,
            records[-1]["sequence"],
            offsets,
            state["epoch"],
            state["published_sequence"],
        )
        check_moved(updated)
        metrics.RELAY_PUBLISHED.labels(topic=self.topic).inc(len(records))
        return len(records)

    async def publish_seals_once(self) -> int:
        """Publish seals not yet on the seals topic; returns how many. The body is the
        seal (docs/log-format.md "Seals"), `sealed_at` in the very text it signs."""
        assert self._producer is not None  # noqa: S101 - connected by the loop
        state = await self._state()
        rows = await self.store.pool.fetch(
            "SELECT seal_no, tree_size, root_hash, prev_seal_hash, sealed_at, key_id,"
            " algorithm, seal_hash, signature, consistency FROM seals WHERE seal_no > $1"
            " ORDER BY seal_no LIMIT 100",
            state["published_seal"],
        )
        for row in rows:
            with broker_errors():
                await self._producer.send_and_wait(
                    self.seals_topic,
                    value=seal_message(dict(row), source=self.source),
                    key=self.source.encode(),
                )
        if rows:
            updated = await self.store.pool.execute(
                "UPDATE relay_state SET published_seal = $2 WHERE topic = $1"
                " AND published_seal = $3",
                self.topic,
                rows[-1]["seal_no"],
                state["published_seal"],
            )
            check_moved(updated)
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
        if not recorded:
            return False
        with broker_errors():
            if await still_there(
                self.bootstrap, self.topic, recorded, str(state["epoch"])
            ):
                return False
        log.warning(
            "broker_lost_events",
            topic=self.topic,
            published=state["published_sequence"],
        )
        updated = await self.store.pool.execute(
            "UPDATE relay_state SET epoch = $2, published_sequence = 0, published_seal = 0,"
            " partition_offsets = '{}'::jsonb, updated_at = now()"
            " WHERE topic = $1 AND epoch = $3",
            self.topic,
            uuid.uuid4(),
            state["epoch"],
        )
        check_moved(updated)
        with broker_errors():
            await self._ensure_topics()
        return True

    async def measure_lag(self) -> int:
        """Events sequenced or committed but not yet published (also set as a gauge)."""
        row = await self.store.pool.fetchrow(
            "SELECT coalesce((SELECT max(sequence) FROM event_sequence), 0) AS sequenced,"
            " coalesce((SELECT count(*) FROM events e WHERE e.position > coalesce("
            "(SELECT max(position) FROM event_sequence), 0) AND NOT EXISTS (SELECT 1"
            " FROM unauthenticated_events u WHERE u.position = e.position)), 0)"
            " AS unsequenced,"
            " coalesce((SELECT published_sequence FROM relay_state WHERE topic = $1), 0)"
            " AS published",
            self.topic,
        )
        assert row is not None  # noqa: S101 - aggregate row always exists
        lag = int(row["sequenced"]) - int(row["published"]) + int(row["unsequenced"])
        metrics.RELAY_LAG.labels(topic=self.topic).set(lag)
        return lag
