"""The projection runner: consumes a projection's topics, hands each partition's
batches to its applier, replays on a new relay epoch or when asked to rebuild."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Sequence

import asyncpg
import structlog
from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.errors import KafkaError

from shared import metrics
from shared.kafka import stop_within, topic_partitions
from shared.loops import LoopState, LoopStatus
from shared.projections.batches import BatchApplier, epoch_of
from shared.projections.protocol import Projection

log = structlog.get_logger()


class ProjectionRunner:
    """Feeds one projection: offsets, dedupe and state change in one transaction;
    duplicates skipped; failures parked; replays from the start on a new relay epoch."""

    def __init__(
        self,
        pool: asyncpg.Pool,
        projection: Projection,
        *,
        bootstrap: str,
        batch_size: int = 500,
        home_topics: tuple[str, ...] = (),
    ) -> None:
        self.pool = pool
        # Topics the service's own relay creates: wait for them. Another service's topic
        # that does not exist yet (that service never started) has nothing to catch up on.
        self._waits_for_topics = bool(set(projection.topics) & set(home_topics))
        self.projection = projection
        self._applier = BatchApplier(pool, projection)
        self.bootstrap = bootstrap
        self.batch_size = batch_size
        self._consumer: AIOKafkaConsumer | None = None
        # Per partition: the relay epoch of the last message read, and every epoch
        # seen since this runner placed itself (a replay is due only for a new one).
        self._epochs: dict[TopicPartition, str] = {}
        self._seen_epochs: dict[TopicPartition, set[str]] = {}
        self._stopping = False
        self._rebuild_requested = asyncio.Event()
        self.is_started = asyncio.Event()
        self.is_caught_up = asyncio.Event()
        # What readiness and operators see of this runner's loop.
        self.status = LoopStatus(name=projection.name)

    @property
    def name(self) -> str:
        """The projection's name."""
        return self.projection.name

    def stop(self) -> None:
        """Stop after the current batch."""
        self._stopping = True

    async def run(self) -> None:
        """Consume until stopped; reconnects while the broker is down."""
        backoff = 0.5
        while not self._stopping:
            try:
                await self._consume()
                return
            except (KafkaError, OSError, TimeoutError) as exc:
                self.status.set(LoopState.RETRYING, exc)
                log.warning(
                    "projection_broker_unavailable",
                    projection=self.name,
                    error=type(exc).__name__,
                    retry_in=backoff,
                )
                await self._close()
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 5.0)

    async def _consume(self) -> None:
        consumer = AIOKafkaConsumer(
            bootstrap_servers=self.bootstrap,
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            request_timeout_ms=10_000,
            # A broker that holds an empty fetch for its whole wait (tansu does) adds
            # up to that wait to an event's way into the read model (default 500 ms).
            fetch_max_wait_ms=100,
        )
        self._consumer = consumer
        try:
            # Inside the try: a start cancelled half-way must still be closed.
            await consumer.start()
            assigned: set[TopicPartition] = set()
            last_refresh = 0.0
            while not self._stopping:
                now = time.monotonic()
                if now - last_refresh > (1.0 if not assigned else 10.0):
                    assigned = await self._assign(consumer, assigned)
                    last_refresh = now
                    self.is_started.set()
                    self.status.set(LoopState.RUNNING)
                if self._rebuild_requested.is_set():
                    await self._reset(consumer, assigned)
                if not assigned:
                    if not self._waits_for_topics:
                        self.is_caught_up.set()
                    await asyncio.sleep(0.2)
                    continue
                batch = await consumer.getmany(
                    timeout_ms=200, max_records=self.batch_size
                )
                if not batch:
                    # Nothing left to fetch: what was on the topic at start is applied.
                    self.is_caught_up.set()
                for tp, messages in batch.items():
                    await self._handle_partition(consumer, tp, messages)
        finally:
            await self._close()

    async def _close(self) -> None:
        consumer, self._consumer = self._consumer, None
        if consumer is not None:
            with contextlib.suppress(KafkaError, OSError):
                await stop_within(consumer.stop(), seconds=5.0)

    async def _assign(
        self, consumer: AIOKafkaConsumer, assigned: set[TopicPartition]
    ) -> set[TopicPartition]:
        admin = AIOKafkaAdminClient(
            bootstrap_servers=self.bootstrap, request_timeout_ms=10_000
        )
        try:
            # Inside the try: a start cancelled half-way must still be closed.
            await admin.start()
            wanted = {
                TopicPartition(topic, p)
                for topic in self.projection.topics
                for p in await topic_partitions(admin, topic)
            }
        finally:
            await admin.close()
        if wanted == assigned:
            return assigned
        consumer.assign(sorted(wanted))
        rows = await self.pool.fetch(
            "SELECT topic, partition, next_offset, epoch FROM projection_offsets"
            " WHERE projection = $1",
            self.name,
        )
        stored = {TopicPartition(r["topic"], r["partition"]): r for r in rows}
        for tp in wanted:
            row = stored.get(tp)
            if row is None:
                await consumer.seek_to_beginning(tp)
            else:
                consumer.seek(tp, row["next_offset"])
                self._epochs[tp] = row["epoch"]
                self._seen_epochs[tp] = {row["epoch"]} if row["epoch"] else set()
        log.info("projection_assigned", projection=self.name, partitions=len(wanted))
        return wanted

    async def _handle_partition(
        self,
        consumer: AIOKafkaConsumer,
        tp: TopicPartition,
        messages: Sequence[ConsumerRecord[bytes, bytes]],
    ) -> None:
        last = self._epochs.get(tp, "")
        seen = self._seen_epochs.setdefault(tp, set())
        for index, message in enumerate(messages):
            epoch = epoch_of(message)
            if epoch and epoch not in seen:
                seen.add(epoch)
                if len(seen) > 1:
                    # The broker lost data and the relay republished from the store:
                    # replay this partition from its start; dedupe skips what was
                    # applied. Messages of epochs already seen (older ones the broker
                    # kept before the new ones) do not start another replay.
                    await self._applier.apply(tp, messages[:index], last)
                    await self._save_offset(tp, 0, epoch)
                    self._epochs[tp] = epoch
                    await consumer.seek_to_beginning(tp)
                    log.warning(
                        "projection_replaying_partition",
                        projection=self.name,
                        topic=tp.topic,
                        partition=tp.partition,
                        epoch=epoch,
                    )
                    return
            last = epoch or last
        await self._applier.apply(tp, messages, last)
        self._epochs[tp] = last

    async def _save_offset(self, tp: TopicPartition, offset: int, epoch: str) -> None:
        await self.pool.execute(
            "INSERT INTO projection_offsets (projection, topic, partition, next_offset, epoch)"
            " VALUES ($1, $2, $3, $4, $5) ON CONFLICT (projection, topic, partition)"
            " DO UPDATE SET next_offset = excluded.next_offset, epoch = excluded.epoch",
            self.name,
            tp.topic,
            tp.partition,
            offset,
            epoch,
        )

    def request_rebuild(self) -> None:
        """Drop the read model and replay every topic from the start."""
        self._rebuild_requested.set()

    async def _reset(
        self, consumer: AIOKafkaConsumer, assigned: set[TopicPartition]
    ) -> None:
        async with self.pool.acquire() as conn, conn.transaction():
            for table in self.projection.tables:
                await conn.execute(f'TRUNCATE "{table}"')
            for table in (
                "projection_offsets",
                "projection_streams",
                "projection_progress",
                "parked_events",
            ):
                await conn.execute(
                    f"DELETE FROM {table} WHERE projection = $1",  # noqa: S608 - kernel tables
                    self.name,
                )
        self._epochs.clear()
        self._seen_epochs.clear()
        if assigned:
            await consumer.seek_to_beginning(*assigned)
        self._rebuild_requested.clear()
        log.info("projection_rebuilding", projection=self.name)

    async def measure(self) -> int:
        """Messages on the topics not yet applied, and parked events (gauges)."""
        lag = 0
        consumer = self._consumer
        if consumer is not None:
            rows = await self.pool.fetch(
                "SELECT topic, partition, next_offset FROM projection_offsets"
                " WHERE projection = $1",
                self.name,
            )
            done = {
                TopicPartition(r["topic"], r["partition"]): r["next_offset"]
                for r in rows
            }
            for tp in consumer.assignment():
                high = consumer.highwater(tp)
                if high is not None:
                    lag += max(0, high - done.get(tp, 0))
        for topic in self.projection.topics:
            metrics.PROJECTION_LAG.labels(projection=self.name, topic=topic).set(lag)
        parked = await self.pool.fetchval(
            "SELECT count(*) FROM parked_events WHERE projection = $1", self.name
        )
        metrics.PARKED_EVENTS.labels(projection=self.name).set(parked)
        return lag
