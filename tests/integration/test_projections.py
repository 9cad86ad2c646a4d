"""The projection runner's guarantees, against a real PostgreSQL and a real broker."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import uuid
from collections.abc import AsyncIterator, Sequence
from datetime import UTC, datetime
from typing import Any

import asyncpg
import pytest
from aiokafka import AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError
from prometheus_client import REGISTRY

from qingqian_local.embedded import Tansu
from shared.chain import Ed25519Signer, new_private_key_pem
from shared.db import DbConnection
from shared.envelope import Envelope, type_name
from shared.handling import execute
from shared.projections import ProjectionRunner, wait_for_position
from shared.relay import EPOCH_HEADER, Relay
from shared.store import EventStore
from tests.support import LEDGER, AddAmount, add_amount, context, eventually, stream

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]

SOURCE = "/qingqian/chengdong/test"
_positions = itertools.count(1)

Applied = dict[tuple[str, int], int]


class Tally:
    """A test read model: one row per (stream, version) applied, with how many times
    it was applied. Events with `fail` in their data raise after writing (the write
    must be undone); events with `hold` wait in `apply` until `gate` is set."""

    def __init__(self, topic: str, *, is_gate_open: bool = True) -> None:
        key = uuid.uuid4().hex[:10]
        self.name: str = f"tally-{key}"
        self.topics: tuple[str, ...] = (topic,)
        self.table: str = f"tally_{key}"
        self.gate = asyncio.Event()
        if is_gate_open:
            self.gate.set()
        self.is_holding = asyncio.Event()
        self.calls = 0

    @property
    def tables(self) -> tuple[str, ...]:
        return (self.table,)

    def sharing_state(self) -> Tally:
        """Another instance of the same projection (as after a process restart)."""
        other = Tally(self.topics[0])
        other.name, other.table = self.name, self.table
        return other

    async def create(self, pool: asyncpg.Pool) -> Tally:
        await pool.execute(
            f'CREATE TABLE IF NOT EXISTS "{self.table}" (stream_id text NOT NULL,'
            " version integer NOT NULL, amount integer NOT NULL, times integer NOT NULL,"
            " txid bigint NOT NULL, PRIMARY KEY (stream_id, version))"
        )
        return self

    async def apply(self, conn: DbConnection, event: Envelope) -> None:
        self.calls += 1
        if event.data.get("hold"):
            self.is_holding.set()
            await self.gate.wait()
        await conn.execute(
            f'INSERT INTO "{self.table}" AS t (stream_id, version, amount, times, txid)'
            " VALUES ($1, $2, $3, 1, pg_current_xact_id()::text::bigint)"
            " ON CONFLICT (stream_id, version)"
            " DO UPDATE SET times = t.times + 1",
            event.subject,
            event.streamversion,
            int(event.data.get("amount", 0)),
        )
        if event.data.get("fail"):
            raise ValueError(f"cannot apply {event.subject} v{event.streamversion}")

    async def applied(self, pool: asyncpg.Pool) -> Applied:
        rows = await pool.fetch(f'SELECT stream_id, version, times FROM "{self.table}"')
        return {(r["stream_id"], r["version"]): r["times"] for r in rows}


def envelope(subject: str, version: int, **data: Any) -> Envelope:
    return Envelope(
        id=str(uuid.uuid4()),
        source=SOURCE,
        type=type_name("test", "Counted", 1),
        subject=subject,
        time=datetime.now(UTC),
        data={"amount": version, **data},
        streamversion=version,
        position=(position := next(_positions)),
        actor="tester",
        actorunit="rsj",
        correlationid=str(uuid.uuid4()),
        hash=f"h{position}",
        prevhash="p",
    )


def once(*events: Envelope) -> Applied:
    return {(e.subject, e.streamversion): 1 for e in events}


def new_topic() -> str:
    return f"qingqian.test.projections.{uuid.uuid4().hex[:10]}"


async def create_topic(bootstrap: str, topic: str) -> None:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        with contextlib.suppress(TopicAlreadyExistsError):
            await admin.create_topics(
                [NewTopic(topic, num_partitions=1, replication_factor=1)]
            )
    finally:
        await admin.close()


async def publish(
    bootstrap: str,
    topic: str,
    messages: Sequence[Envelope | bytes],
    *,
    epoch: str | None = None,
) -> None:
    """Send by hand, in order, to partition 0, with the relay's epoch header if given."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, enable_idempotence=False)
    await producer.start()
    try:
        headers = [(EPOCH_HEADER, epoch.encode())] if epoch else None
        for message in messages:
            if isinstance(message, Envelope):
                value, key = message.to_json(), message.subject.encode()
            else:
                value, key = message, None
            await producer.send_and_wait(
                topic, value=value, key=key, partition=0, headers=headers
            )
    finally:
        await producer.stop()


@contextlib.asynccontextmanager
async def running(
    runner: ProjectionRunner | Relay,
) -> AsyncIterator[asyncio.Task[None]]:
    task = asyncio.create_task(runner.run())
    try:
        if isinstance(runner, ProjectionRunner):
            await asyncio.wait_for(runner.is_started.wait(), 15)
        yield task
    finally:
        runner.stop()
        if isinstance(runner, ProjectionRunner) and isinstance(
            runner.projection, Tally
        ):
            runner.projection.gate.set()  # a failed test may have left it closed
        await asyncio.wait_for(task, 15)


async def checkpoint(pool: asyncpg.Pool, projection: str) -> int:
    """The next offset the projection will read (summed over its partitions)."""
    return int(
        await pool.fetchval(
            "SELECT coalesce(sum(next_offset), 0) FROM projection_offsets"
            " WHERE projection = $1",
            projection,
        )
    )


async def test_it_applies_each_event_and_stores_its_offset_in_the_same_transaction(
    pool: asyncpg.Pool, kafka_bootstrap: str
) -> None:
    topic = new_topic()
    await create_topic(kafka_bootstrap, topic)
    sid = f"ledger-{stream()}"
    events = [envelope(sid, v, hold=v == 8) for v in range(1, 11)]
    await publish(kafka_bootstrap, topic, events)
    first = await Tally(topic, is_gate_open=False).create(pool)
    runner = ProjectionRunner(pool, first, bootstrap=kafka_bootstrap, batch_size=3)
    task = asyncio.create_task(runner.run())
    try:
        await asyncio.wait_for(first.is_holding.wait(), 15)
        # The batch holding v8 is open: neither its events nor its offset are visible.
        seen = await pool.fetchrow(
            f'SELECT (SELECT count(*) FROM "{first.table}") AS rows, (SELECT'
            " next_offset FROM projection_offsets WHERE projection = $1) AS next_offset",
            first.name,
        )
    finally:
        task.cancel()  # a crash in the middle of the batch
        with contextlib.suppress(asyncio.CancelledError):
            await task

    assert seen is not None
    assert 5 <= seen["next_offset"] <= 7
    assert seen["rows"] == seen["next_offset"]
    assert len(await first.applied(pool)) == await checkpoint(pool, first.name)
    # Forget what dedupe knows: only the checkpoint keeps events from applying twice.
    await pool.execute(
        "DELETE FROM projection_streams WHERE projection = $1", first.name
    )

    restarted = first.sharing_state()
    async with running(ProjectionRunner(pool, restarted, bootstrap=kafka_bootstrap)):
        await eventually(lambda: _has(pool, restarted, once(*events)))

    assert await restarted.applied(pool) == once(*events)
    assert await checkpoint(pool, first.name) == len(events)
    # The offset row was last written by the transaction that applied the last event.
    assert await pool.fetchval(
        f'SELECT o.xmin::text::bigint = t.txid % 4294967296 FROM "{first.table}" t,'
        " projection_offsets o WHERE o.projection = $1 AND t.version = 10",
        first.name,
    )


async def test_duplicates_and_redeliveries_are_skipped(
    pool: asyncpg.Pool, kafka_bootstrap: str
) -> None:
    topic = new_topic()
    await create_topic(kafka_bootstrap, topic)
    a, b = f"ledger-{stream()}", f"ledger-{stream()}"
    a1, a2, a3, b1 = envelope(a, 1), envelope(a, 2), envelope(a, 3), envelope(b, 1)
    messages = [a1, a2, a1, a2, b1, a3, a3, b1]
    await publish(kafka_bootstrap, topic, messages)
    tally = await Tally(topic).create(pool)

    async with running(ProjectionRunner(pool, tally, bootstrap=kafka_bootstrap)):
        await eventually(lambda: _at(pool, tally.name, len(messages)))
    assert await tally.applied(pool) == once(a1, a2, a3, b1)
    await pool.execute(
        "DELETE FROM projection_offsets WHERE projection = $1", tally.name
    )
    async with running(ProjectionRunner(pool, tally, bootstrap=kafka_bootstrap)):
        await eventually(lambda: _at(pool, tally.name, len(messages)))

    assert await tally.applied(pool) == once(a1, a2, a3, b1)
    assert tally.calls == 4
    assert (
        await pool.fetchval(
            "SELECT applied_count FROM projection_progress WHERE projection = $1",
            tally.name,
        )
        == 4
    )


async def test_an_event_that_fails_to_apply_is_parked_and_later_events_still_apply(
    pool: asyncpg.Pool, kafka_bootstrap: str
) -> None:
    topic = new_topic()
    await create_topic(kafka_bootstrap, topic)
    a, b = f"ledger-{stream()}", f"ledger-{stream()}"
    a1, a2, a3, b1 = (
        envelope(a, 1),
        envelope(a, 2, fail=True),
        envelope(a, 3),
        envelope(b, 1),
    )
    await publish(kafka_bootstrap, topic, [a1, a2, b"not an envelope", a3, b1])
    tally = await Tally(topic).create(pool)

    async with running(ProjectionRunner(pool, tally, bootstrap=kafka_bootstrap)):
        await eventually(lambda: _at(pool, tally.name, 5))

    assert await tally.applied(pool) == once(a1, a3, b1)
    parked = await pool.fetch(
        "SELECT kafka_offset, stream_id, version, event_type, error, message"
        " FROM parked_events WHERE projection = $1 ORDER BY kafka_offset",
        tally.name,
    )
    assert [
        (p["kafka_offset"], p["stream_id"], p["version"], p["event_type"])
        for p in parked
    ] == [(1, a, 2, "Counted"), (2, None, None, None)]
    assert parked[0]["error"] == f"ValueError: cannot apply {a} v2"
    assert parked[0]["message"] == a2.to_json()
    assert parked[1]["error"].startswith("not a CloudEvents envelope")
    assert parked[1]["message"] == b"not an envelope"


class TransactionalTally(Tally):
    """A Tally that declares every effect of `apply` transactional."""

    is_transactional = True


async def test_a_transactional_projection_applies_the_batch_at_once_and_parks_a_failure(
    pool: asyncpg.Pool, kafka_bootstrap: str
) -> None:
    topic = new_topic()
    await create_topic(kafka_bootstrap, topic)
    a, b = f"ledger-{stream()}", f"ledger-{stream()}"
    a1, a2, a3, b1 = (
        envelope(a, 1),
        envelope(a, 2, fail=True),
        envelope(a, 3),
        envelope(b, 1),
    )
    await publish(kafka_bootstrap, topic, [a1, a2, b"not an envelope", a3, b1, a1])
    tally = await TransactionalTally(topic).create(pool)

    async with running(ProjectionRunner(pool, tally, bootstrap=kafka_bootstrap)):
        await eventually(lambda: _at(pool, tally.name, 6))

    # The first try of the batch was rolled back: every effect is there exactly once.
    assert await tally.applied(pool) == once(a1, a3, b1)
    assert tally.calls > 4
    parked = await pool.fetch(
        "SELECT kafka_offset, version FROM parked_events WHERE projection = $1"
        " ORDER BY kafka_offset",
        tally.name,
    )
    assert [(r["kafka_offset"], r["version"]) for r in parked] == [(1, 2), (2, None)]
    progress = await pool.fetchrow(
        "SELECT applied_count, last_position, last_hash FROM projection_progress"
        " WHERE projection = $1",
        tally.name,
    )
    assert progress is not None
    assert progress["applied_count"] == 3
    last = max((a1, a3, b1), key=lambda e: e.position)
    assert progress["last_position"] == last.position
    # The hash of the highest position applied: what a reader reconciles against.
    assert progress["last_hash"] == last.hash


class BatchTally(TransactionalTally):
    """A transactional Tally that applies each batch's new events in one call."""

    batches = 0

    async def apply_batch(self, conn: DbConnection, events: Sequence[Envelope]) -> None:
        self.batches += 1
        for event in events:
            await self.apply(conn, event)


async def test_a_batch_applying_projection_gets_the_new_events_once_and_falls_back_on_failure(
    pool: asyncpg.Pool, kafka_bootstrap: str
) -> None:
    topic = new_topic()
    await create_topic(kafka_bootstrap, topic)
    a = f"ledger-{stream()}"
    a1, a2, a3 = envelope(a, 1), envelope(a, 2, fail=True), envelope(a, 3)
    b = [envelope(f"ledger-{stream()}", 1) for _ in range(5)]
    await publish(kafka_bootstrap, topic, [*b, *b])
    tally = BatchTally(topic)
    await tally.create(pool)

    async with running(ProjectionRunner(pool, tally, bootstrap=kafka_bootstrap)):
        await eventually(lambda: _at(pool, tally.name, 10))
        assert tally.batches >= 1
        await publish(kafka_bootstrap, topic, [a1, a2, a3])
        await eventually(lambda: _at(pool, tally.name, 13))

    assert await tally.applied(pool) == once(*b, a1, a3)
    parked = await pool.fetch(
        "SELECT version FROM parked_events WHERE projection = $1", tally.name
    )
    assert [r["version"] for r in parked] == [2]


async def test_two_runners_of_one_projection_apply_each_event_once(
    pool: asyncpg.Pool, kafka_bootstrap: str
) -> None:
    topic = new_topic()
    await create_topic(kafka_bootstrap, topic)
    streams = [f"ledger-{stream()}" for _ in range(20)]
    events = [envelope(s, v) for v in range(1, 6) for s in streams]
    await publish(kafka_bootstrap, topic, events)
    first = await TransactionalTally(topic).create(pool)
    second = first.sharing_state()

    async with (
        running(ProjectionRunner(pool, first, bootstrap=kafka_bootstrap, batch_size=7)),
        running(
            ProjectionRunner(pool, second, bootstrap=kafka_bootstrap, batch_size=11)
        ),
    ):

        async def both_done() -> bool:
            rows = await pool.fetchval(
                "SELECT count(*) FROM projection_offsets WHERE projection = $1"
                " AND next_offset = $2",
                first.name,
                len(events),
            )
            return bool(rows)

        await eventually(both_done, timeout=30)
        await asyncio.sleep(1)

    assert await first.applied(pool) == once(*events)


async def test_a_rebuild_empties_the_tables_and_replays_everything_to_the_same_state(
    pool: asyncpg.Pool, kafka_bootstrap: str
) -> None:
    topic = new_topic()
    await create_topic(kafka_bootstrap, topic)
    a, b = f"ledger-{stream()}", f"ledger-{stream()}"
    events = [envelope(a, 1), envelope(a, 2), envelope(b, 1, fail=True), envelope(b, 2)]
    await publish(kafka_bootstrap, topic, events)
    tally = await Tally(topic).create(pool)
    runner = ProjectionRunner(pool, tally, bootstrap=kafka_bootstrap)

    async with running(runner):
        await eventually(lambda: _at(pool, tally.name, len(events)))
        before = await _rows(pool, tally)
        # A row no event wrote: a rebuild must not keep it.
        await pool.execute(
            f"INSERT INTO \"{tally.table}\" VALUES ('stray', 1, 0, 1, 0)"
        )
        runner.request_rebuild()
        await eventually(lambda: _rebuilt(pool, tally, before, len(events)))

    assert before == sorted([(a, 1, 1, 1), (a, 2, 2, 1), (b, 2, 2, 1)])
    assert tally.calls == 2 * len(events)
    assert await _parked(pool, tally.name) == 1


async def test_measure_reports_the_lag_and_the_parked_count(
    pool: asyncpg.Pool, kafka_bootstrap: str
) -> None:
    topic = new_topic()
    await create_topic(kafka_bootstrap, topic)
    sid = f"ledger-{stream()}"
    events = [
        envelope(sid, 1, hold=True),
        envelope(sid, 2),
        envelope(sid, 3, fail=True),
        envelope(sid, 4),
    ]
    await publish(kafka_bootstrap, topic, events)
    tally = await Tally(topic, is_gate_open=False).create(pool)
    runner = ProjectionRunner(pool, tally, bootstrap=kafka_bootstrap, batch_size=1)

    async with running(runner):
        await asyncio.wait_for(tally.is_holding.wait(), 15)
        await eventually(lambda: _lag_is(runner, len(events)))
        lag_while_held = _gauge(tally, "qingqian_projection_lag_messages", topic=topic)
        parked_while_held = _gauge(tally, "qingqian_parked_events")
        tally.gate.set()
        await eventually(lambda: _lag_is(runner, 0))

    assert (lag_while_held, parked_while_held) == (len(events), 0)
    assert _gauge(tally, "qingqian_projection_lag_messages", topic=topic) == 0
    assert _gauge(tally, "qingqian_parked_events") == 1


async def test_a_new_relay_epoch_replays_the_partition_and_applies_nothing_twice(
    pool: asyncpg.Pool, private_broker: Tansu
) -> None:
    bootstrap = private_broker.bootstrap
    topic = new_topic()
    await create_topic(bootstrap, topic)
    sid = f"ledger-{stream()}"
    events = [envelope(sid, v) for v in range(1, 8)]
    # Epoch A's log holds redeliveries (a relay crashed before saving its progress),
    # so the same events sit at other offsets than in the log republished later.
    old_log = [events[0], events[1], events[1], events[2], events[2], events[3]]
    await publish(bootstrap, topic, old_log, epoch="A")
    tally = await Tally(topic).create(pool)

    async with running(ProjectionRunner(pool, tally, bootstrap=bootstrap)):
        await eventually(lambda: _at(pool, tally.name, len(old_log)))
        assert await tally.applied(pool) == once(*events[:4])
        private_broker.stop()
        private_broker.start()  # it comes back empty
        await create_topic(bootstrap, topic)
        # The relay republishes everything from its store, then the events written since.
        await publish(bootstrap, topic, events, epoch="B")
        # Resuming at offset 6 would read only v7 and miss v5 and v6.
        await eventually(lambda: _has(pool, tally, once(*events)), timeout=30)
        await eventually(lambda: _at(pool, tally.name, len(events)))

    assert await tally.applied(pool) == once(*events)
    assert tally.calls == len(events)
    assert (
        await pool.fetchval(
            "SELECT epoch FROM projection_offsets WHERE projection = $1", tally.name
        )
        == "B"
    )


async def test_a_new_epoch_after_older_messages_kept_in_the_partition_replays_once(
    pool: asyncpg.Pool, kafka_bootstrap: str
) -> None:
    topic = new_topic()
    await create_topic(kafka_bootstrap, topic)
    sid = f"ledger-{stream()}"
    events = [envelope(sid, v) for v in range(1, 7)]
    kept = [events[0], events[1], events[1], events[2]]
    await publish(kafka_bootstrap, topic, kept, epoch="A")
    tally = await Tally(topic).create(pool)

    async with running(ProjectionRunner(pool, tally, bootstrap=kafka_bootstrap)):
        await eventually(lambda: _at(pool, tally.name, len(kept)))
        # The broker kept epoch A's messages (it lost only some partitions, or the
        # relay's loss check timed out): the relay's epoch B follows them in the log.
        await publish(kafka_bootstrap, topic, events, epoch="B")
        await eventually(lambda: _at(pool, tally.name, len(kept) + len(events)))

    assert await tally.applied(pool) == once(*events)
    assert tally.calls == len(events)
    assert (
        await pool.fetchval(
            "SELECT epoch FROM projection_offsets WHERE projection = $1", tally.name
        )
        == "B"
    )


async def test_the_relay_and_a_projection_together_apply_each_stored_event_exactly_once(
    fresh_pool: asyncpg.Pool, kafka_bootstrap: str
) -> None:
    store = EventStore(fresh_pool)
    topic = new_topic()
    entities = [stream() for _ in range(4)]
    for entity in entities:
        await execute(store, LEDGER, entity, AddAmount(amount=2), add_amount, context())
    last = await execute(
        store, LEDGER, entities[0], AddAmount(amount=5), add_amount, context()
    )
    stored = await store.read_all(limit=100)
    tally = await Tally(topic).create(fresh_pool)

    def relay() -> Relay:
        return Relay(
            store,
            bootstrap=kafka_bootstrap,
            service="test",
            source=SOURCE,
            topic=topic,
            seals_topic=f"{topic}.seals",
            signer=Ed25519Signer.from_pem(new_private_key_pem()),
        )

    runner = ProjectionRunner(fresh_pool, tally, bootstrap=kafka_bootstrap)
    async with running(runner):
        async with running(relay()):
            assert last.position is not None
            assert await wait_for_position(
                fresh_pool,
                tally.name,
                stream_id=last.stream,
                position=last.position,
                within=20,
            )
            assert await wait_for_position(
                fresh_pool,
                tally.name,
                stream_id=last.stream,
                position=last.version,
                is_version=True,
                within=1,
            )
            assert not await wait_for_position(
                fresh_pool,
                tally.name,
                stream_id=last.stream,
                position=last.version + 1,
                is_version=True,
                within=0.1,
            )
            await eventually(lambda: _at(fresh_pool, tally.name, len(stored)))
        # A relay that crashed before saving its progress publishes everything again.
        await fresh_pool.execute("UPDATE relay_state SET published_sequence = 0")
        async with running(relay()):
            await eventually(lambda: _at(fresh_pool, tally.name, 2 * len(stored)))

    assert await tally.applied(fresh_pool) == {
        (r.stream_id, r.version): 1 for r in stored
    }
    totals = await fresh_pool.fetch(
        f'SELECT stream_id, sum(amount) AS total FROM "{tally.table}"'
        " GROUP BY stream_id"
    )
    assert {r["stream_id"]: r["total"] for r in totals} == {
        LEDGER.stream_id(e): 7 if e == entities[0] else 2 for e in entities
    }


async def _has(pool: asyncpg.Pool, tally: Tally, expected: Applied) -> bool:
    return await tally.applied(pool) == expected


async def _at(pool: asyncpg.Pool, projection: str, offset: int) -> bool:
    return await checkpoint(pool, projection) >= offset


async def _rows(pool: asyncpg.Pool, tally: Tally) -> list[tuple[Any, ...]]:
    rows = await pool.fetch(
        f'SELECT stream_id, version, amount, times FROM "{tally.table}"'
    )
    return sorted(tuple(r.values()) for r in rows)


async def _parked(pool: asyncpg.Pool, projection: str) -> int:
    return int(
        await pool.fetchval(
            "SELECT count(*) FROM parked_events WHERE projection = $1", projection
        )
    )


async def _rebuilt(
    pool: asyncpg.Pool, tally: Tally, before: list[tuple[Any, ...]], messages: int
) -> bool:
    return (
        await _rows(pool, tally) == before
        and await checkpoint(pool, tally.name) == messages
        and tally.calls == 2 * messages
    )


async def _lag_is(runner: ProjectionRunner, lag: int) -> bool:
    return await runner.measure() == lag


def _gauge(tally: Tally, metric: str, **labels: str) -> float | None:
    return REGISTRY.get_sample_value(metric, {"projection": tally.name, **labels})
