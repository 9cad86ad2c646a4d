"""The projection runner through faults: a broker that restarts empty, a database that
goes away, a rebuild asked while it cannot run, and two processes of one service."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

import asyncpg
import pytest
from aiokafka import ConsumerRecord, TopicPartition

from qingqian_local.embedded import Tansu
from shared.chain import Ed25519Signer, new_private_key_pem
from shared.db import create_pool
from shared.envelope import Envelope
from shared.handling import execute
from shared.loops import Backoff, LoopState
from shared.projections import ProjectionRunner
from shared.projections.batches import BatchApplier
from shared.projections.leadership import lock_key
from shared.projections.rebuilds import RebuildState
from shared.relay import Relay
from shared.store import EventStore
from tests.integration.test_projections import (
    SOURCE,
    Tally,
    checkpoint,
    create_topic,
    envelope,
    new_topic,
    once,
    publish,
)
from tests.support import LEDGER, AddAmount, add_amount, context, eventually, stream
from tests.tcp_proxy import PostgresProxy

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]

FAST = Backoff(first=0.1, cap=0.5)


def runner_of(
    pool: asyncpg.Pool, tally: Tally, bootstrap: str, *, batch_size: int = 500
) -> ProjectionRunner:
    """A runner that checks and retries often (the defaults are for production)."""
    return ProjectionRunner(
        pool,
        tally,
        bootstrap=bootstrap,
        batch_size=batch_size,
        backoff=FAST,
        check_interval=0.3,
        broker_timeout=2.0,
    )


@contextlib.asynccontextmanager
async def running(runner: ProjectionRunner) -> AsyncIterator[asyncio.Task[None]]:
    task = asyncio.create_task(runner.run())
    try:
        yield task
    finally:
        runner.stop()
        if isinstance(runner.projection, Tally):
            runner.projection.gate.set()  # a failed test may have left it closed
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.wait_for(task, 15)


async def test_a_broker_that_restarts_empty_and_holds_fewer_messages_is_followed(
    pool: asyncpg.Pool, private_broker: Tansu
) -> None:
    bootstrap = private_broker.bootstrap
    topic = new_topic()
    await create_topic(bootstrap, topic)
    sid = f"ledger-{stream()}"
    events = [envelope(sid, v, hold=v == 5) for v in range(1, 6)]
    # Epoch A's log holds redeliveries: it is longer than the one republished later.
    old_log = [events[0], events[1], events[1], events[2], events[2], events[3]]
    await publish(bootstrap, topic, old_log, epoch="A")
    tally = await Tally(topic, is_gate_open=False).create(pool)
    runner = runner_of(pool, tally, bootstrap)

    async with running(runner):
        await eventually(lambda: checkpoint_is(pool, tally, len(old_log)), timeout=15)
        await eventually(lambda: is_caught_up(runner))
        private_broker.stop()
        private_broker.start()  # it comes back empty
        await create_topic(bootstrap, topic)
        await publish(bootstrap, topic, events, epoch="B")
        # Five messages where six were read: a consumer at offset 6 waits for ever.
        await asyncio.wait_for(tally.is_holding.wait(), 20)
        lag_while_held = await runner.measure()
        caught_up_while_held = runner.is_caught_up.is_set()
        tally.gate.set()
        await eventually(lambda: has(pool, tally, once(*events)), timeout=15)
        await eventually(lambda: is_caught_up(runner), timeout=15)

    assert lag_while_held >= 1
    assert not caught_up_while_held
    assert tally.calls == len(events)
    assert await checkpoint(pool, tally.name) == len(events)


async def test_a_broker_that_goes_away_shows_as_retrying_and_the_runner_comes_back(
    pool: asyncpg.Pool, private_broker: Tansu
) -> None:
    bootstrap = private_broker.bootstrap
    topic = new_topic()
    await create_topic(bootstrap, topic)
    events = [envelope(f"ledger-{stream()}", 1) for _ in range(3)]
    await publish(bootstrap, topic, events[:1], epoch="A")
    tally = await Tally(topic).create(pool)
    runner = runner_of(pool, tally, bootstrap)

    async with running(runner) as task:
        await eventually(lambda: has(pool, tally, once(*events[:1])), timeout=15)
        await eventually(lambda: is_caught_up(runner))
        private_broker.stop()
        await eventually(lambda: is_retrying(runner), timeout=20)
        caught_up_while_away = runner.is_caught_up.is_set()
        error = runner.status.last_error
        private_broker.start()  # empty
        await create_topic(bootstrap, topic)
        await publish(bootstrap, topic, events, epoch="B")
        await eventually(lambda: has(pool, tally, once(*events)), timeout=20)
        await eventually(lambda: is_running(runner))
        is_alive = not task.done()

    assert not caught_up_while_away
    assert error is not None
    assert is_alive
    assert tally.calls == len(events)


async def test_a_rebuild_asked_while_the_broker_is_away_waits_says_why_and_runs(
    pool: asyncpg.Pool, private_broker: Tansu
) -> None:
    bootstrap = private_broker.bootstrap
    topic = new_topic()
    await create_topic(bootstrap, topic)
    sid = f"ledger-{stream()}"
    events = [envelope(sid, v) for v in range(1, 4)]
    await publish(bootstrap, topic, events, epoch="A")
    tally = await Tally(topic).create(pool)
    async with running(runner_of(pool, tally, bootstrap)):
        await eventually(lambda: has(pool, tally, once(*events)), timeout=15)
    private_broker.stop()
    runner = runner_of(pool, tally, bootstrap)

    async with running(runner):
        runner.request_rebuild()
        await eventually(lambda: is_retrying(runner), timeout=15)
        waiting = (runner.rebuild.state, runner.rebuild.waiting_for)
        private_broker.start()  # empty: the relay publishes everything again
        await create_topic(bootstrap, topic)
        await publish(bootstrap, topic, events, epoch="B")
        await eventually(lambda: is_rebuilt(runner), timeout=20)
        await eventually(lambda: has(pool, tally, once(*events)), timeout=15)

    assert waiting[0] is RebuildState.PENDING
    assert "retrying" in (waiting[1] or "")
    assert runner.status.last_error is not None
    # Applied twice in all: before, and once more after the read model was emptied.
    assert tally.calls == 2 * len(events)


async def test_the_runner_outlives_a_lost_database_and_resumes_where_it_stopped(
    database_url: str, kafka_bootstrap: str
) -> None:
    proxy = PostgresProxy(database_url)
    await proxy.start()
    pool = await create_pool(proxy.url, min_size=1, max_size=4)
    try:
        topic = new_topic()
        await create_topic(kafka_bootstrap, topic)
        streams = [f"ledger-{stream()}" for _ in range(3)]
        first = [envelope(s, v) for s in streams for v in (1, 2)]
        later = [envelope(s, 3) for s in streams]
        await publish(kafka_bootstrap, topic, first)
        tally = await Tally(topic).create(pool)
        runner = runner_of(pool, tally, kafka_bootstrap, batch_size=2)

        async with running(runner):
            await eventually(lambda: has(pool, tally, once(*first)), timeout=15)
            await proxy.cut()
            await publish(kafka_bootstrap, topic, later)
            await eventually(lambda: is_retrying(runner), timeout=15)
            error = runner.status.last_error
            await proxy.start()
            await eventually(lambda: has(pool, tally, once(*first, *later)), timeout=20)
            await eventually(lambda: is_running(runner))
    finally:
        await proxy.close()
        await pool.close()

    assert error is not None
    assert tally.calls == len(first) + len(later)


async def test_one_projection_in_two_processes_has_one_active_runner_and_a_standby_takes_over(
    database_url: str, kafka_bootstrap: str
) -> None:
    topic = new_topic()
    await create_topic(kafka_bootstrap, topic)
    streams = [f"ledger-{stream()}" for _ in range(10)]
    held = (streams[4], 3)
    events = [envelope(s, v, hold=(s, v) == held) for v in range(1, 6) for s in streams]
    # Each "process" has its own pool, as two replicas of a service do.
    pools = [await create_pool(database_url, min_size=1, max_size=4) for _ in range(2)]
    try:
        first = await Tally(topic, is_gate_open=False).create(pools[0])
        second = first.sharing_state()
        leader = runner_of(pools[0], first, kafka_bootstrap, batch_size=7)
        standby = runner_of(pools[1], second, kafka_bootstrap, batch_size=11)
        leader_task = asyncio.create_task(leader.run())
        try:
            await eventually(lambda: leads(leader))
            async with running(standby):
                await eventually(lambda: is_running(standby))
                await publish(kafka_bootstrap, topic, events)
                await asyncio.wait_for(first.is_holding.wait(), 15)
                standby_calls_before = second.calls
                was_standby_leading = standby.is_leader
                leader_task.cancel()  # the leader dies in the middle of a batch
                with contextlib.suppress(asyncio.CancelledError):
                    await leader_task
                await eventually(lambda: leads(standby), timeout=10)
                await eventually(
                    lambda: has(pools[1], second, once(*events)), timeout=20
                )
        finally:
            first.gate.set()
            leader_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await leader_task
        applied = await second.applied(pools[1])
    finally:
        for pool in pools:
            await pool.close()

    assert (standby_calls_before, was_standby_leading) == (0, False)
    assert applied == once(*events)
    assert first.calls >= 1
    assert second.calls >= 1


async def test_two_batches_of_one_projection_never_apply_at_once(
    pool: asyncpg.Pool,
) -> None:
    topic = new_topic()
    tp = TopicPartition(topic, 0)
    held = envelope(f"ledger-{stream()}", 1, hold=True)
    other = envelope(f"ledger-{stream()}", 1)
    first = await Tally(topic, is_gate_open=False).create(pool)
    second = first.sharing_state()
    appliers = BatchApplier(pool, first), BatchApplier(pool, second)

    applying = asyncio.create_task(appliers[0].apply(tp, [record(held, 0)], "A"))
    await asyncio.wait_for(first.is_holding.wait(), 5)
    waiting = asyncio.create_task(appliers[1].apply(tp, [record(other, 1)], "A"))
    # Other streams, no row in common: only the projection's batch lock stops it.
    await eventually(lambda: waits_for_advisory_lock(pool))
    is_done_while_held = waiting.done()
    first.gate.set()
    await asyncio.gather(applying, waiting)

    assert not is_done_while_held
    assert await first.applied(pool) == once(held, other)
    assert await checkpoint(pool, first.name) == 2


def record(event: Envelope, offset: int) -> ConsumerRecord[bytes, bytes]:
    """The message a broker would hand over for the event."""
    value = event.to_json()
    return ConsumerRecord(
        topic="",
        partition=0,
        offset=offset,
        timestamp=0,
        timestamp_type=0,
        key=None,
        value=value,
        checksum=None,
        serialized_key_size=0,
        serialized_value_size=len(value),
        headers=[],
    )


async def waits_for_advisory_lock(pool: asyncpg.Pool) -> bool:
    return bool(
        await pool.fetchval(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
        )
    )


async def has(
    pool: asyncpg.Pool, tally: Tally, expected: dict[tuple[str, int], int]
) -> bool:
    return await tally.applied(pool) == expected


async def checkpoint_is(pool: asyncpg.Pool, tally: Tally, offset: int) -> bool:
    return await checkpoint(pool, tally.name) == offset


async def is_caught_up(runner: ProjectionRunner) -> bool:
    await runner.measure()
    return runner.is_caught_up.is_set()


async def is_retrying(runner: ProjectionRunner) -> bool:
    return runner.status.state is LoopState.RETRYING


async def is_running(runner: ProjectionRunner) -> bool:
    return runner.status.state is LoopState.RUNNING


async def is_rebuilt(runner: ProjectionRunner) -> bool:
    return runner.rebuild.state is RebuildState.DONE


async def leads(runner: ProjectionRunner) -> bool:
    return runner.is_leader


async def has_one_leader(runners: list[ProjectionRunner]) -> bool:
    return sum(r.is_leader for r in runners) == 1


async def test_with_the_relay_a_broker_restart_is_followed_and_the_lag_is_the_stores(
    fresh_pool: asyncpg.Pool, private_broker: Tansu
) -> None:
    bootstrap = private_broker.bootstrap
    store = EventStore(fresh_pool)
    topic = new_topic()
    entities = [stream() for _ in range(6)]
    for entity in entities:
        await execute(store, LEDGER, entity, AddAmount(amount=2), add_amount, context())
    tally = await Tally(topic).create(fresh_pool)
    relay = Relay(
        store,
        bootstrap=bootstrap,
        service="test",
        source=SOURCE,
        topic=topic,
        seals_topic=f"{topic}.seals",
        signer=Ed25519Signer.from_pem(new_private_key_pem()),
    )
    runner = ProjectionRunner(
        fresh_pool,
        tally,
        bootstrap=bootstrap,
        home_topics=(topic,),
        backoff=FAST,
        check_interval=0.3,
    )

    async with running(runner), running_relay(relay):
        # Each ledger's first command opens it: two events each.
        await eventually(lambda: applied_count(fresh_pool, tally, 12), timeout=20)
        await eventually(lambda: is_caught_up(runner), timeout=10)
        epoch_before = await relay_epoch(fresh_pool, topic)
        private_broker.stop()
        private_broker.start()  # empty: the relay republishes under a new epoch
        await eventually(
            lambda: relay_epoch_differs(fresh_pool, topic, epoch_before), timeout=30
        )
        # Written while the runner still reads the old epoch: the lag says so.
        await execute(
            store, LEDGER, entities[0], AddAmount(amount=5), add_amount, context()
        )
        await eventually(lambda: applied_count(fresh_pool, tally, 13), timeout=30)
        await eventually(lambda: is_caught_up(runner), timeout=15)
        lag = await runner.measure()
        stored_epochs = await fresh_pool.fetch(
            "SELECT DISTINCT epoch FROM projection_offsets WHERE projection = $1"
            " AND next_offset > 0",
            tally.name,
        )

    assert lag == 0
    assert {r["epoch"] for r in stored_epochs} == {await relay_epoch(fresh_pool, topic)}
    assert tally.calls == 13
    totals = await fresh_pool.fetch(
        f'SELECT stream_id, sum(amount) AS total FROM "{tally.table}" GROUP BY stream_id'
    )
    assert {r["stream_id"]: r["total"] for r in totals} == {
        LEDGER.stream_id(e): 7 if e == entities[0] else 2 for e in entities
    }


@contextlib.asynccontextmanager
async def running_relay(relay: Relay) -> AsyncIterator[None]:
    task = asyncio.create_task(relay.run())
    try:
        yield
    finally:
        relay.stop()
        await asyncio.wait_for(task, 15)


async def relay_epoch(pool: asyncpg.Pool, topic: str) -> str:
    return str(
        await pool.fetchval("SELECT epoch FROM relay_state WHERE topic = $1", topic)
    )


async def relay_epoch_differs(pool: asyncpg.Pool, topic: str, before: str) -> bool:
    return await relay_epoch(pool, topic) != before


async def applied_count(pool: asyncpg.Pool, tally: Tally, count: int) -> bool:
    return len(await tally.applied(pool)) == count


async def test_a_rebuild_asked_of_the_standby_is_run_by_the_leader(
    database_url: str, kafka_bootstrap: str
) -> None:
    topic = new_topic()
    await create_topic(kafka_bootstrap, topic)
    sid = f"ledger-{stream()}"
    events = [envelope(sid, v) for v in range(1, 4)]
    await publish(kafka_bootstrap, topic, events)
    pools = [await create_pool(database_url, min_size=1, max_size=4) for _ in range(2)]
    try:
        first = await Tally(topic).create(pools[0])
        second = first.sharing_state()
        leader = runner_of(pools[0], first, kafka_bootstrap)
        standby = runner_of(pools[1], second, kafka_bootstrap)
        async with running(leader):
            await eventually(lambda: leads(leader))
            async with running(standby):
                await eventually(
                    lambda: has(pools[0], first, once(*events)), timeout=15
                )
                await eventually(lambda: is_running(standby))
                standby.request_rebuild()
                await eventually(lambda: is_rebuilt(standby), timeout=15)
                await eventually(
                    lambda: has(pools[0], first, once(*events)), timeout=15
                )
    finally:
        for pool in pools:
            await pool.close()

    assert standby.rebuild.finished_at is not None
    assert leader.rebuild.state is RebuildState.NONE
    assert (first.calls, second.calls) == (2 * len(events), 0)


async def test_a_leader_whose_lock_connection_dies_notices_and_the_lead_is_taken_again(
    database_url: str, kafka_bootstrap: str
) -> None:
    topic = new_topic()
    await create_topic(kafka_bootstrap, topic)
    streams = [f"ledger-{stream()}" for _ in range(4)]
    first_events = [envelope(s, 1) for s in streams]
    later = [envelope(s, 2) for s in streams]
    await publish(kafka_bootstrap, topic, first_events)
    pools = [await create_pool(database_url, min_size=1, max_size=4) for _ in range(2)]
    try:
        first = await Tally(topic).create(pools[0])
        second = first.sharing_state()
        leader = runner_of(pools[0], first, kafka_bootstrap)
        standby = runner_of(pools[1], second, kafka_bootstrap)
        async with running(leader):
            await eventually(lambda: leads(leader))
            async with running(standby):
                await eventually(lambda: has(pools[0], first, once(*first_events)))
                await eventually(lambda: is_running(standby))
                # The connection holding the lead is cut (a network fault, a restart).
                assert await pools[1].fetchval(
                    "SELECT pg_terminate_backend(pid) FROM pg_locks"
                    " WHERE locktype = 'advisory' AND granted"
                    " AND ((classid::bigint << 32) | objid::bigint) = $1",
                    lock_key("projection-leader", first.name),
                )
                await eventually(lambda: has_error(leader, "LeadershipLost"))
                await publish(kafka_bootstrap, topic, later)
                await eventually(lambda: has_one_leader([leader, standby]), timeout=10)
                await eventually(
                    lambda: has(pools[0], first, once(*first_events, *later)),
                    timeout=15,
                )
    finally:
        for pool in pools:
            await pool.close()

    assert first.calls + second.calls == len(first_events) + len(later)


async def has_error(runner: ProjectionRunner, name: str) -> bool:
    return (runner.status.last_error or "").startswith(name)
