"""Applying a batch of one partition: the read model's effects, each stream's version
applied, progress and the offset in one transaction; failures parked."""

from __future__ import annotations

import contextlib
from collections.abc import Sequence

import asyncpg
import structlog
from aiokafka import ConsumerRecord, TopicPartition
from pydantic import ValidationError

from shared import metrics
from shared.db import DbConnection
from shared.envelope import Envelope
from shared.projections.leadership import lock_key
from shared.projections.protocol import Projection
from shared.relay import EPOCH_HEADER

log = structlog.get_logger()


class BatchApplier:
    """Applies one projection's batches exactly once in effect: a stream's events at or
    below the version applied before are skipped; an event that fails is parked."""

    def __init__(self, pool: asyncpg.Pool, projection: Projection) -> None:
        self.pool = pool
        self.projection = projection
        self.batch_lock = lock_key("projection-batch", projection.name)

    @property
    def name(self) -> str:
        """The projection's name."""
        return self.projection.name

    async def apply(
        self,
        tp: TopicPartition,
        messages: Sequence[ConsumerRecord[bytes, bytes]],
        epoch: str,
    ) -> None:
        """Apply a partition's messages in one transaction, which also records the
        versions applied, the progress per source and the next offset (`epoch` the
        relay epoch they came in)."""
        if not messages:
            return
        parsed = [_parse(message) for message in messages]
        events = [event for _, event, _ in parsed if event is not None]
        async with self.pool.acquire() as conn, conn.transaction():
            # One batch of a projection at a time, whichever process runs it: a second
            # runner (a leader that has not yet noticed it lost the lead) waits here and
            # then sees, in the check below, every version the first one applied.
            await conn.execute("SELECT pg_advisory_xact_lock($1)", self.batch_lock)
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
        progress: dict[str, tuple[int, int, str]] = {}
        for event in outcome.applied:
            count, last, last_hash = progress.get(event.source, (0, 0, ""))
            if event.position > last:
                last, last_hash = event.position, event.hash
            progress[event.source] = (count + 1, last, last_hash)
        if progress:
            # The hash goes with the highest position: batches of other partitions
            # may commit out of position order.
            await conn.execute(
                "INSERT INTO projection_progress AS p (projection, source, applied_count,"
                " last_position, last_hash) SELECT $1, k.source, k.applied, k.last, k.hash"
                " FROM unnest($2::text[], $3::bigint[], $4::bigint[], $5::text[])"
                " AS k(source, applied, last, hash)"
                " ON CONFLICT (projection, source) DO UPDATE"
                " SET applied_count = p.applied_count + excluded.applied_count,"
                " last_hash = CASE WHEN excluded.last_position > p.last_position"
                " THEN excluded.last_hash ELSE p.last_hash END,"
                " last_position = greatest(p.last_position, excluded.last_position),"
                " updated_at = now()",
                self.name,
                list(progress),
                [v[0] for v in progress.values()],
                [v[1] for v in progress.values()],
                [v[2] for v in progress.values()],
            )
        # Within an epoch the offset only moves forward: a batch another runner read
        # before this one's must not set it back (a reset to replay is explicit).
        await conn.execute(
            "INSERT INTO projection_offsets AS o (projection, topic, partition,"
            " next_offset, epoch) VALUES ($1, $2, $3, $4, $5)"
            " ON CONFLICT (projection, topic, partition) DO UPDATE"
            " SET next_offset = CASE WHEN o.epoch = excluded.epoch"
            " THEN greatest(o.next_offset, excluded.next_offset)"
            " ELSE excluded.next_offset END, epoch = excluded.epoch",
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
            epoch_of(message),
            event.source if event else None,
            event.subject if event else None,
            event.streamversion if event else None,
            event.event_type if event else None,
            message.value or b"",
            error[:2000],
        )


async def reset_offset(
    conn: DbConnection, projection: str, tp: TopicPartition, offset: int, epoch: str
) -> None:
    """Set where the projection reads a partition next, back as well as forward."""
    await conn.execute(
        "INSERT INTO projection_offsets (projection, topic, partition, next_offset, epoch)"
        " VALUES ($1, $2, $3, $4, $5) ON CONFLICT (projection, topic, partition)"
        " DO UPDATE SET next_offset = excluded.next_offset, epoch = excluded.epoch",
        projection,
        tp.topic,
        tp.partition,
        offset,
        epoch,
    )


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


def epoch_of(message: ConsumerRecord[bytes, bytes]) -> str:
    """The relay epoch a message was published in (empty if it names none)."""
    for key, value in message.headers or ():
        if key == EPOCH_HEADER:
            return bytes(value).decode()
    return ""
