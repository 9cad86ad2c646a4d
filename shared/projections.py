"""Projections: Kafka consumers that apply events to read models exactly once in effect."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Sequence
from typing import Protocol

import asyncpg
import structlog
from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.errors import KafkaError
from pydantic import ValidationError

from shared import metrics
from shared.db import DbConnection
from shared.envelope import Envelope
from shared.kafka import stop_within, topic_partitions
from shared.relay import EPOCH_HEADER

log = structlog.get_logger()


class Projection(Protocol):
    """A read model (or process manager) fed by one or more topics.

    A projection whose every effect goes through the given connection may say so with
    `is_transactional = True`: the runner then applies a batch under one savepoint and,
    should an event fail, rolls the batch back and applies it again event by event —
    calling `apply` a second time for the events before the failing one, whose first
    effects were rolled back. Such a projection may also define
    `async apply_batch(conn, events)`, which then gets each batch's new events at once
    (one statement for many rows, say); `apply` is still used when a batch fails. A
    process manager, which acts outside the transaction, leaves all this out and is
    called exactly once per event."""

    @property
    def name(self) -> str:
        """Unique per service: keys its offsets, dedupe rows and parked events."""

    @property
    def topics(self) -> tuple[str, ...]:
        """The topics it follows."""

    @property
    def tables(self) -> tuple[str, ...]:
        """Its read-model tables, emptied on rebuild."""

    async def apply(self, conn: DbConnection, event: Envelope) -> None:
        """Apply one event inside the runner's transaction."""


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
            epoch = _epoch(message)
            if epoch and epoch not in seen:
                seen.add(epoch)
                if len(seen) > 1:
                    # The broker lost data and the relay republished from the store:
                    # replay this partition from its start; dedupe skips what was
                    # applied. Messages of epochs already seen (older ones the broker
                    # kept before the new ones) do not start another replay.
                    await self._apply_batch(tp, messages[:index], last)
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
        await self._apply_batch(tp, messages, last)
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

    async def _apply_batch(
        self,
        tp: TopicPartition,
        messages: Sequence[ConsumerRecord[bytes, bytes]],
        epoch: str,
    ) -> None:
        if not messages:
            return
        parsed = [_parse(message) for message in messages]
        events = [event for _, event, _ in parsed if event is not None]
        async with self.pool.acquire() as conn, conn.transaction():
            versions = await self._lock_streams(conn, events)
            outcome: _Outcome | None = None
            if getattr(self.projection, "is_transactional", False):
                # Its effects are only in this transaction: apply the batch under one
                # savepoint; should an event fail, roll the batch back and go again
                # event by event, parking the one that fails.
                with contextlib.suppress(Exception):
                    async with conn.transaction():
                        outcome = await self._apply_all(
                            conn, tp, parsed, dict(versions), is_guarded=False
                        )
            if outcome is None:
                outcome = await self._apply_all(
                    conn, tp, parsed, dict(versions), is_guarded=True
                )
            await self._record(conn, tp, outcome, messages[-1].offset + 1, epoch)
        metrics.PROJECTION_APPLIED.labels(projection=self.name).inc(
            len(outcome.applied)
        )

    async def _lock_streams(
        self, conn: DbConnection, events: Sequence[Envelope]
    ) -> dict[tuple[str, str], int]:
        """The version applied so far of each stream in the batch, its row locked until
        the batch commits: another runner of the same projection waits, then skips."""
        keys = sorted({(e.source, e.subject) for e in events})
        if not keys:
            return {}
        sources, streams = [k[0] for k in keys], [k[1] for k in keys]
        await conn.execute(
            "INSERT INTO projection_streams (projection, source, stream_id, version, position)"
            " SELECT $1, k.source, k.stream_id, 0, 0"
            " FROM unnest($2::text[], $3::text[]) AS k(source, stream_id)"
            " ON CONFLICT (projection, source, stream_id) DO NOTHING",
            self.name,
            sources,
            streams,
        )
        rows = await conn.fetch(
            "SELECT s.source, s.stream_id, s.version FROM projection_streams s"
            " JOIN unnest($2::text[], $3::text[]) AS k(source, stream_id)"
            " ON k.source = s.source AND k.stream_id = s.stream_id"
            " WHERE s.projection = $1 ORDER BY s.source, s.stream_id FOR UPDATE OF s",
            self.name,
            sources,
            streams,
        )
        return {(r["source"], r["stream_id"]): r["version"] for r in rows}

    async def _apply_all(
        self,
        conn: DbConnection,
        tp: TopicPartition,
        parsed: Sequence[tuple[ConsumerRecord[bytes, bytes], Envelope | None, str]],
        versions: dict[tuple[str, str], int],
        *,
        is_guarded: bool,
    ) -> _Outcome:
        outcome = _Outcome()
        apply_batch = (
            None if is_guarded else getattr(self.projection, "apply_batch", None)
        )
        for message, event, error in parsed:
            if event is None:
                await self._park(conn, tp, message, None, error)
                continue
            key = (event.source, event.subject)
            if versions.get(key, 0) >= event.streamversion:
                continue  # a duplicate or a redelivery: applied before
            versions[key] = event.streamversion
            outcome.seen[key] = (event.streamversion, event.position)
            if apply_batch is not None:
                outcome.applied.append(event)
                continue
            # Bound for this event only: the runner's own log lines carry no stale event.
            with structlog.contextvars.bound_contextvars(
                correlation_id=event.correlationid,
                actor=event.actor,
                unit=event.actorunit,
                stream=event.subject,
                position=event.position,
            ):
                if not is_guarded:
                    await self.projection.apply(conn, event)
                else:
                    try:
                        async with conn.transaction():
                            await self.projection.apply(conn, event)
                    except Exception as exc:
                        failure = f"{type(exc).__name__}: {exc}"
                        await self._park(conn, tp, message, event, failure)
                        continue
            outcome.applied.append(event)
        if apply_batch is not None and outcome.applied:
            await apply_batch(conn, outcome.applied)
        return outcome

    async def _record(
        self,
        conn: DbConnection,
        tp: TopicPartition,
        outcome: _Outcome,
        next_offset: int,
        epoch: str,
    ) -> None:
        """One statement each: streams' versions, per-source progress, the offset."""
        if outcome.seen:
            keys = list(outcome.seen)
            await conn.execute(
                "UPDATE projection_streams s SET version = k.version, position = k.position"
                " FROM unnest($2::text[], $3::text[], $4::int[], $5::bigint[])"
                " AS k(source, stream_id, version, position)"
                " WHERE s.projection = $1 AND s.source = k.source"
                " AND s.stream_id = k.stream_id AND s.version < k.version",
                self.name,
                [k[0] for k in keys],
                [k[1] for k in keys],
                [outcome.seen[k][0] for k in keys],
                [outcome.seen[k][1] for k in keys],
            )
        progress: dict[str, tuple[int, int]] = {}
        for event in outcome.applied:
            count, last = progress.get(event.source, (0, 0))
            progress[event.source] = (count + 1, max(last, event.position))
        if progress:
            await conn.execute(
                "INSERT INTO projection_progress AS p (projection, source, applied_count,"
                " last_position) SELECT $1, k.source, k.applied, k.last"
                " FROM unnest($2::text[], $3::bigint[], $4::bigint[]) AS k(source, applied, last)"
                " ON CONFLICT (projection, source) DO UPDATE"
                " SET applied_count = p.applied_count + excluded.applied_count,"
                " last_position = greatest(p.last_position, excluded.last_position),"
                " updated_at = now()",
                self.name,
                list(progress),
                [v[0] for v in progress.values()],
                [v[1] for v in progress.values()],
            )
        await conn.execute(
            "INSERT INTO projection_offsets (projection, topic, partition,"
            " next_offset, epoch) VALUES ($1, $2, $3, $4, $5)"
            " ON CONFLICT (projection, topic, partition) DO UPDATE"
            " SET next_offset = excluded.next_offset, epoch = excluded.epoch",
            self.name,
            tp.topic,
            tp.partition,
            next_offset,
            epoch,
        )

    async def _park(
        self,
        conn: DbConnection,
        tp: TopicPartition,
        message: ConsumerRecord[bytes, bytes],
        event: Envelope | None,
        error: str,
    ) -> None:
        log.warning(
            "event_parked",
            projection=self.name,
            topic=tp.topic,
            offset=message.offset,
            event_type=event.event_type if event else None,
        )
        await conn.execute(
            "INSERT INTO parked_events (projection, topic, partition, kafka_offset, epoch,"
            " source, stream_id, version, event_type, message, error)"
            " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
            " ON CONFLICT (projection, topic, partition, kafka_offset, epoch) DO NOTHING",
            self.name,
            tp.topic,
            tp.partition,
            message.offset,
            _epoch(message),
            event.source if event else None,
            event.subject if event else None,
            event.streamversion if event else None,
            event.event_type if event else None,
            message.value or b"",
            error[:2000],
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


class _Outcome:
    """What a batch did: the events applied, and each stream's last version consumed
    (applied or parked), to be recorded once for the batch."""

    def __init__(self) -> None:
        self.applied: list[Envelope] = []
        self.seen: dict[tuple[str, str], tuple[int, int]] = {}


def _parse(
    message: ConsumerRecord[bytes, bytes],
) -> tuple[ConsumerRecord[bytes, bytes], Envelope | None, str]:
    try:
        return message, Envelope.model_validate_json(message.value or b""), ""
    except ValidationError as exc:
        return message, None, f"not a CloudEvents envelope: {exc}"


def _epoch(message: ConsumerRecord[bytes, bytes]) -> str:
    for key, value in message.headers or ():
        if key == EPOCH_HEADER:
            return bytes(value).decode()
    return ""


async def wait_for_position(
    pool: asyncpg.Pool,
    projection: str,
    *,
    stream_id: str,
    position: int,
    within: float = 5.0,
    is_version: bool = False,
) -> bool:
    """Wait until the projection has applied the stream's event at `position` (or, with
    `is_version`, its event of that version), or a later one; True when visible, False
    on timeout (read-your-writes)."""
    deadline = time.monotonic() + within
    column = "version" if is_version else "position"
    while True:
        seen = await pool.fetchval(
            f"SELECT max({column}) FROM projection_streams"  # noqa: S608 - one of two names
            " WHERE projection = $1 AND stream_id = $2",
            projection,
            stream_id,
        )
        if seen is not None and seen >= position:
            return True
        if time.monotonic() >= deadline:
            return False
        await asyncio.sleep(0.02)
