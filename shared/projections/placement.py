"""Where a runner's consumer reads each partition: placed at the stored offsets, the
broker's end offsets asked afresh, a broker that lost data followed back to the start,
and the lag measured against the sources' real ends."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Coroutine
from typing import Any, TypeVar

import asyncpg
import structlog
from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient

from shared import metrics
from shared.kafka import topic_partitions
from shared.projections import positions
from shared.projections.batches import reset_offset

log = structlog.get_logger()

_T = TypeVar("_T")


class Placement:
    """One runner's partitions: their relay epochs, the broker's ends, their lag."""

    def __init__(
        self,
        pool: asyncpg.Pool,
        *,
        projection: str,
        topics: tuple[str, ...],
        bootstrap: str,
        batch_lock: int,
        broker_timeout: float = 12.0,
    ) -> None:
        self.pool = pool
        self.broker_timeout = broker_timeout
        self.projection = projection
        self.topics = topics
        self.bootstrap = bootstrap
        self.batch_lock = batch_lock
        # Per partition: the relay epoch of the last message read, and every epoch
        # seen since this runner placed itself (a replay is due only for a new one).
        self.epochs: dict[TopicPartition, str] = {}
        self.seen_epochs: dict[TopicPartition, set[str]] = {}
        # The broker's end offsets, asked afresh every check, and when; and the
        # partitions whose end a fetch confirmed (see `refresh_ends`).
        self.ends: dict[TopicPartition, int] = {}
        self.ends_at = 0.0
        self.confirmed: set[TopicPartition] = set()

    def forget(self) -> None:
        """Start over (a new consumer, or a rebuild): epochs come from the store."""
        self.epochs.clear()
        self.seen_epochs.clear()

    async def wanted(self) -> set[TopicPartition]:
        """The partitions of the projection's topics that exist now."""
        return await within(self._partitions(), self.broker_timeout)

    async def _partitions(self) -> set[TopicPartition]:
        admin = AIOKafkaAdminClient(
            bootstrap_servers=self.bootstrap, request_timeout_ms=10_000
        )
        try:
            # Inside the try: a start cancelled half-way must still be closed.
            await admin.start()
            return {
                TopicPartition(topic, p)
                for topic in self.topics
                for p in await topic_partitions(admin, topic)
            }
        finally:
            await admin.close()

    async def assign(
        self, consumer: AIOKafkaConsumer, assigned: set[TopicPartition]
    ) -> set[TopicPartition]:
        """Assign the partitions that exist now, each placed at its stored offset."""
        wanted = await self.wanted()
        if wanted == assigned:
            return assigned
        consumer.assign(sorted(wanted))
        stored = await positions.stored_offsets(self.pool, self.projection)
        for tp in wanted:
            saved = stored.get(tp)
            if saved is None:
                await consumer.seek_to_beginning(tp)
            else:
                consumer.seek(tp, saved.next_offset)
                self.epochs[tp] = saved.epoch
                self.seen_epochs[tp] = {saved.epoch} if saved.epoch else set()
        log.info(
            "projection_assigned", projection=self.projection, partitions=len(wanted)
        )
        return wanted

    async def refresh_ends(
        self, consumer: AIOKafkaConsumer, partitions: set[TopicPartition]
    ) -> None:
        """Ask the broker for the partitions' end offsets now."""
        listed = await within(
            consumer.end_offsets(sorted(partitions)), self.broker_timeout
        )
        # Asked afresh, not only the last fetch's highwater. But tansu answers a
        # ListOffsets with the last batch's base offset + 1 (below the end when that
        # batch held several messages), so the highwater of the consumer's fetches,
        # which it sends all the time and which do come back lower after a loss,
        # counts too; before any fetch answered, an end is not trusted to be low.
        fetched = consumer.assignment()
        highwaters = {tp: consumer.highwater(tp) for tp in partitions & fetched}
        self.confirmed = {tp for tp, high in highwaters.items() if high is not None}
        self.ends = {
            tp: max(end, highwaters.get(tp) or 0) for tp, end in listed.items()
        }
        self.ends_at = time.monotonic()

    async def follow_losses(
        self, consumer: AIOKafkaConsumer, assigned: set[TopicPartition]
    ) -> None:
        """Replay a partition from its start when the broker holds fewer messages than
        were read (a broker that lost its data answers a fetch past its end with
        nothing, for ever), or when the relay publishes under a new epoch."""
        stored = await positions.stored_offsets(self.pool, self.projection)
        relay = await positions.published(self.pool, {tp.topic for tp in assigned})
        for tp in sorted(assigned):
            saved, published = stored.get(tp), relay.get(tp.topic)
            seen = self.seen_epochs.setdefault(tp, set())
            if tp in self.confirmed and positions.is_truncated(
                saved, self.ends.get(tp, 0)
            ):
                reason = "source_truncated"
            elif (
                positions.has_new_epoch(saved, published)
                and published is not None
                and published.epoch not in seen
            ):
                # Its messages would start a replay when they come: this one stands for it.
                seen.add(published.epoch)
                reason = "relay_epoch_changed"
            else:
                continue
            async with self.pool.acquire() as conn, conn.transaction():
                await conn.execute("SELECT pg_advisory_xact_lock($1)", self.batch_lock)
                epoch = saved.epoch if saved else ""
                await reset_offset(conn, self.projection, tp, 0, epoch)
            await consumer.seek_to_beginning(tp)
            log.warning(
                "projection_replaying_partition",
                projection=self.projection,
                topic=tp.topic,
                partition=tp.partition,
                reason=reason,
            )

    def is_fresh(self, within: float) -> bool:
        """Whether the ends were asked of the broker in the last `within` seconds."""
        return time.monotonic() - self.ends_at < within

    async def lag(self) -> int:
        """Messages not yet applied, against the broker's ends (as last asked) and the
        relay's recorded ends; also set as gauges per topic."""
        stored = await positions.stored_offsets(self.pool, self.projection)
        relay = await positions.published(self.pool, self.topics)
        lags = {
            tp: positions.lag_of(
                tp, stored.get(tp), self.ends.get(tp), relay.get(tp.topic)
            )
            for tp in {*self.ends, *stored}
            if tp.topic in self.topics
        }
        for topic in self.topics:
            metrics.PROJECTION_LAG.labels(projection=self.projection, topic=topic).set(
                sum(lag for tp, lag in lags.items() if tp.topic == topic)
            )
        return sum(lags.values())


async def within(work: Coroutine[Any, Any, _T], seconds: float) -> _T:
    """The work's result, or TimeoutError after `seconds` even if the work ignores
    being cancelled: aiokafka's offset look-up, with the broker gone, was seen to
    outlive its own request timeout for good (it is cancelled and left to end)."""
    task = asyncio.ensure_future(work)
    try:
        done, _ = await asyncio.wait({task}, timeout=seconds)
    finally:
        if not task.done():
            task.cancel()
            # Whatever it ends with later is nobody's error: fetch it, none is logged.
            task.add_done_callback(lambda t: t.cancelled() or t.exception())
    if not done:
        raise TimeoutError(f"the broker did not answer within {seconds} s")
    return task.result()
