"""The projection runner: leads its projection (one active runner per projection over
every process of the service), consumes its topics, hands each partition's batches to
its applier, follows the broker through restarts and losses, and survives a lost
broker or database by retrying from the stored offsets."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

import asyncpg
import structlog
from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition
from aiokafka.errors import KafkaError

from shared import metrics
from shared.kafka import stop_within
from shared.loops import Backoff, LoopState, LoopStatus
from shared.projections import rebuilds
from shared.projections.batches import BatchApplier, epoch_of, reset_offset
from shared.projections.catch_up import CatchUp, CatchUpFailed
from shared.projections.leadership import (
    DATABASE_UNAVAILABLE,
    LeaderSession,
    LeadershipLost,
    lock_key,
)
from shared.projections.placement import Placement
from shared.projections.protocol import Projection
from shared.projections.rebuilds import Rebuild, RebuildState

log = structlog.get_logger()

# What the runner waits out and retries; anything else is raised to its supervisor.
RETRIED = (KafkaError, LeadershipLost, CatchUpFailed, *DATABASE_UNAVAILABLE)
_BACKOFF = Backoff(first=0.5, cap=10.0)


class ProjectionRunner:
    """Feeds one projection: offsets, dedupe and state change in one transaction;
    duplicates skipped; failures parked; replays a partition when the broker lost it.

    `status` is RUNNING while it consumes, or stands by while another process leads
    (`is_leader` tells which), RETRYING with the last error while the broker or the
    database is away; `rebuild` tells where a rebuild asked of it stands; `measure()`
    gives the lag against the sources' real ends and keeps `is_caught_up` true to it."""

    def __init__(
        self,
        pool: asyncpg.Pool,
        projection: Projection,
        *,
        bootstrap: str,
        batch_size: int = 500,
        home_topics: tuple[str, ...] = (),
        backoff: Backoff = _BACKOFF,
        check_interval: float = 2.0,
        broker_timeout: float = 12.0,
        catch_up_sources: Mapping[str, str] | None = None,
        catch_up_token_file: Path | None = None,
    ) -> None:
        self.pool = pool
        # Topics the service's own relay creates: wait for them. Another service's topic
        # that does not exist yet (that service never started) has nothing to catch up on.
        self._waits_for_topics = bool(set(projection.topics) & set(home_topics))
        self.projection = projection
        self._applier = BatchApplier(pool, projection)
        # Topics whose beginning the broker may not hold: read from their producer.
        self._catch_up = CatchUp(
            pool,
            self._applier,
            sources=catch_up_sources or {},
            token_file=catch_up_token_file,
            broker_timeout=broker_timeout,
        )
        self.bootstrap = bootstrap
        self.batch_size = batch_size
        self.backoff = backoff
        # How often the broker's ends, the relay's epoch, the leader lock's connection
        # and recorded rebuilds are looked at (a standby also tries to lead this often).
        self.check_interval = check_interval
        self._consumer: AIOKafkaConsumer | None = None
        self._placement = Placement(
            pool,
            projection=projection.name,
            topics=projection.topics,
            bootstrap=bootstrap,
            batch_lock=self._applier.batch_lock,
            broker_timeout=broker_timeout,
        )
        self._leader_key = lock_key("projection-leader", projection.name)
        self._stopping = False
        self._wake = asyncio.Event()
        self.is_leader = False
        # The leader session this runner took its lock on, while it leads.
        self._led_on: LeaderSession | None = None
        self.rebuild = Rebuild()
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
        self._wake.set()

    def request_rebuild(self) -> None:
        """Drop the read model and replay every topic from the start: run by the process
        leading the projection once this one has recorded it (see `rebuild`)."""
        self.rebuild.request()
        self._wake.set()

    async def run(self) -> None:
        """Lead and consume until stopped. A lost broker or database, or a lost lead,
        is retried with capped backoff from the stored offsets; a standby waits for the
        lead. Raises what it cannot handle (its supervisor restarts it)."""
        delay = self.backoff.delays()
        try:
            while not self._stopping:
                started = time.monotonic()
                try:
                    await self._session()
                except RETRIED as exc:
                    if time.monotonic() - started > 30.0:
                        delay = self.backoff.delays()
                    wait = delay()
                    self._retrying(exc, wait)
                    await self._sleep(wait)
        finally:
            # Stopped, or failed for its supervisor to see: either way not consuming.
            self.is_caught_up.clear()
        self.status.set(LoopState.STOPPED)

    def _retrying(self, exc: BaseException, wait: float) -> None:
        self.status.set(LoopState.RETRYING, exc)
        self.is_caught_up.clear()
        if self.rebuild.state is RebuildState.PENDING:
            self.rebuild.waiting_for = f"the runner, retrying: {type(exc).__name__}"
        log.warning(
            "projection_retrying",
            projection=self.name,
            error=type(exc).__name__,
            retry_in=wait,
        )

    async def _sleep(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), seconds)
        self._wake.clear()

    async def _session(self) -> None:
        """One connection to the broker: stand by until leading, then consume."""
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
        self._placement.forget()
        try:
            # Inside the try: a start cancelled half-way must still be closed.
            await consumer.start()
            while not await self._lead():
                await self._stand_by(consumer)
                if self._stopping:
                    return
            try:
                await self._consume(consumer)
            finally:
                self.is_leader = False
                # The session it led on, not whichever is the pool's now: a session
                # replaced meanwhile would otherwise keep this lock for good, and this
                # runner would stand by behind itself.
                session, self._led_on = self._led_on, None
                if session is not None:
                    await session.resign(self._leader_key, self)
        finally:
            await self._close()

    async def _lead(self) -> bool:
        session = LeaderSession.of(self.pool)
        self.is_leader = await session.try_lead(self._leader_key, self)
        if self.is_leader:
            self._led_on = session
            log.info("projection_leading", projection=self.name)
        return self.is_leader

    async def _stand_by(self, consumer: AIOKafkaConsumer) -> None:
        """Another process leads: keep the lag truthful and pass on a rebuild asked here."""
        self.status.set(LoopState.RUNNING)
        self.is_started.set()
        await self._share_rebuild()
        if self.rebuild.state is RebuildState.PENDING:
            self.rebuild.waiting_for = "the process leading this projection"
            if not await rebuilds.is_requested(self.pool, self.name):
                self.rebuild.finish()
        wanted = await self._placement.wanted()
        if wanted:
            await self._placement.refresh_ends(consumer, wanted)
        elif not self._waits_for_topics:
            # Another service's topic that does not exist yet: nothing to be behind
            # on, as the leader says too (else a standby replica is never ready).
            self.is_caught_up.set()
        await self.measure()
        await self._sleep(self.check_interval)

    async def _consume(self, consumer: AIOKafkaConsumer) -> None:
        assigned: set[TopicPartition] = set()
        last_assign = last_check = 0.0
        while not self._stopping:
            if self._led_on is None:
                raise LeadershipLost("no longer leading")
            await self._led_on.check(self._leader_key, self, every=self.check_interval)
            now = time.monotonic()
            if now - last_assign > (1.0 if not assigned else 10.0):
                placed = await self._placement.assign(consumer, assigned)
                self.status.set(LoopState.RUNNING)
                self.is_started.set()
                if placed != assigned or not last_assign:
                    # Placed anew: before reading a topic, what it no longer holds.
                    await self._catch_up.if_due(consumer, placed)
                assigned, last_assign = placed, now
            if now - last_check > self.check_interval or (
                self.rebuild.state is RebuildState.PENDING
            ):
                await self._check(consumer, assigned)
                last_check = now
            if not assigned:
                if not self._waits_for_topics:
                    self.is_caught_up.set()
                await self._sleep(0.2)
                continue
            batch = await consumer.getmany(timeout_ms=200, max_records=self.batch_size)
            if (
                not batch
                and not self.is_caught_up.is_set()
                and not self._placement.is_fresh(0.5)
            ):
                # Nothing fetched: the end of the source, or is the source elsewhere?
                await self._check(consumer, assigned)
                last_check = time.monotonic()
            for tp, messages in batch.items():
                await self._handle_partition(consumer, tp, messages)

    async def _check(
        self, consumer: AIOKafkaConsumer, assigned: set[TopicPartition]
    ) -> None:
        """Run a recorded rebuild; follow a broker that lost data; measure the lag."""
        await self._share_rebuild()
        if await rebuilds.is_requested(self.pool, self.name):
            await self._reset(consumer, assigned)
        elif self.rebuild.state is RebuildState.PENDING and self.rebuild.is_recorded:
            self.rebuild.finish()  # the process that led before ran it
        if assigned:
            await self._placement.refresh_ends(consumer, assigned)
            await self._placement.follow_losses(consumer, assigned)
        await self.measure()

    async def _share_rebuild(self) -> None:
        rebuild = self.rebuild
        if rebuild.state is RebuildState.PENDING and not rebuild.is_recorded:
            assert rebuild.requested_at is not None  # noqa: S101 - set on request
            await rebuilds.record_request(self.pool, self.name, rebuild.requested_at)
            rebuild.is_recorded = True

    async def _close(self) -> None:
        consumer, self._consumer = self._consumer, None
        if consumer is None:
            return
        try:
            await stop_within(consumer.stop(), seconds=5.0)
        except (KafkaError, OSError):
            pass
        except asyncio.CancelledError:
            task = asyncio.current_task()
            if task is not None and task.cancelling():
                raise
            # Not this task being cancelled: a request of the consumer's own that was
            # cancelled while the broker was away, raised out of its stop. Let through,
            # it would end the runner as if stopped (seen after a broker timeout).
            log.warning("projection_consumer_stop_cancelled", projection=self.name)

    async def _handle_partition(
        self,
        consumer: AIOKafkaConsumer,
        tp: TopicPartition,
        messages: Sequence[ConsumerRecord[bytes, bytes]],
    ) -> None:
        epochs = self._placement.epochs
        last = epochs.get(tp, "")
        seen = self._placement.seen_epochs.setdefault(tp, set())
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
                    async with self.pool.acquire() as conn:
                        await reset_offset(conn, self.name, tp, 0, epoch)
                    epochs[tp] = epoch
                    await consumer.seek_to_beginning(tp)
                    log.warning(
                        "projection_replaying_partition",
                        projection=self.name,
                        topic=tp.topic,
                        partition=tp.partition,
                        reason="new_epoch",
                    )
                    return
            last = epoch or last
        await self._applier.apply(tp, messages, last)
        epochs[tp] = last

    async def _reset(
        self, consumer: AIOKafkaConsumer, assigned: set[TopicPartition]
    ) -> None:
        # Asked here (perhaps tried before and failed half-way), or in another process.
        is_mine = self.rebuild.state in (RebuildState.PENDING, RebuildState.RUNNING)
        if is_mine:
            self.rebuild.state = RebuildState.RUNNING
        log.info("projection_rebuilding", projection=self.name)
        await rebuilds.reset_read_model(
            self.pool, self.projection, self._applier.batch_lock
        )
        self._placement.forget()
        if assigned:
            await consumer.seek_to_beginning(*assigned)
        # From the start again: what the broker no longer holds comes from its producer.
        await self._catch_up.if_due(consumer, assigned)
        if is_mine:
            self.rebuild.finish()

    async def measure(self) -> int:
        """Messages not yet applied, against the broker's end offsets (asked within the
        last check) and the relay's published ends; sets the lag and parked gauges and
        clears `is_caught_up` while behind (sets it when not, with fresh ends)."""
        lag = await self._placement.lag()
        parked = await self.pool.fetchval(
            "SELECT count(*) FROM parked_events WHERE projection = $1", self.name
        )
        metrics.PARKED_EVENTS.labels(projection=self.name).set(parked)
        is_fresh = self._placement.is_fresh(3 * self.check_interval + 1.0)
        if lag == 0 and is_fresh and self.status.is_running:
            self.is_caught_up.set()
        elif lag > 0 or not self.status.is_running:
            self.is_caught_up.clear()
        return lag
