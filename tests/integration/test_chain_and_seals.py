"""Tamper evidence: hash chains, the published order and signed seals, checked by verify."""

from __future__ import annotations

import asyncpg
import pytest

from shared.handling import execute
from shared.relay import Relay
from shared.store import EventStore
from shared.verify import verify
from tests.support import LEDGER, AddAmount, add_amount, context, run_trust, stream

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]


def relay_for(store: EventStore, block: int = 4) -> Relay:
    return Relay(
        store,
        bootstrap="127.0.0.1:1",
        service="test",
        source="/qingqian/test/test",
        topic="t",
        seals_topic="t.seals",
        signer=store.signer,
        seal_block_size=block,
        seal_interval_seconds=3600,
    )


async def fill(pool: asyncpg.Pool, streams: int = 3, per_stream: int = 3) -> Relay:
    store = EventStore(pool)
    for _ in range(streams):
        entity = stream()
        for _ in range(per_stream):
            await execute(
                store, LEDGER, entity, AddAmount(amount=1), add_amount, context()
            )
    relay = relay_for(store)
    await relay.register_key()
    await relay.sequence_once()
    await relay.seal_once()
    return relay


async def tamper(pool: asyncpg.Pool, statement: str, *args: object) -> None:
    async with pool.acquire() as conn, conn.transaction():
        # Only a superuser bypassing triggers can do this: exactly what verify must catch.
        await conn.execute("SET LOCAL session_replication_role = replica")
        await conn.execute(statement, *args)


async def nth_position(pool: asyncpg.Pool, n: int) -> int:
    return int(
        await pool.fetchval(
            "SELECT position FROM events ORDER BY position OFFSET $1 LIMIT 1", n
        )
    )


async def test_an_untouched_log_verifies_intact(fresh_pool: asyncpg.Pool) -> None:
    await fill(fresh_pool)

    report = await verify(fresh_pool, trust=run_trust())

    assert report.intact, report.problems
    assert report.events_checked == 3 * 4
    assert report.seals_checked == 3
    assert report.summary().startswith("intact")


async def test_seals_cover_the_published_order_in_contiguous_blocks(
    fresh_pool: asyncpg.Pool,
) -> None:
    await fill(fresh_pool)

    rows = await fresh_pool.fetch(
        "SELECT first_sequence, last_sequence, event_count FROM seals ORDER BY seal_no"
    )
    sequences = await fresh_pool.fetch(
        "SELECT sequence FROM event_sequence ORDER BY sequence"
    )

    assert [tuple(r) for r in rows] == [(1, 4, 4), (5, 8, 4), (9, 12, 4)]
    assert [r["sequence"] for r in sequences] == list(range(1, 13))


async def test_an_altered_event_is_reported_at_its_position(
    fresh_pool: asyncpg.Pool,
) -> None:
    await fill(fresh_pool)
    target = await nth_position(fresh_pool, 5)

    await tamper(
        fresh_pool,
        "UPDATE events SET data = '{\"amount\": 1000}'::jsonb WHERE position = $1",
        target,
    )
    report = await verify(fresh_pool, trust=run_trust())

    assert not report.intact
    assert report.first_broken_position == target
    assert report.problems[0].kind == "altered"


async def test_a_deleted_event_is_reported_at_its_position(
    fresh_pool: asyncpg.Pool,
) -> None:
    await fill(fresh_pool)
    target = await nth_position(fresh_pool, 6)

    await tamper(
        fresh_pool,
        "ALTER TABLE event_sequence DROP CONSTRAINT event_sequence_position_fkey",
    )
    await tamper(fresh_pool, "DELETE FROM events WHERE position = $1", target)
    report = await verify(fresh_pool, trust=run_trust())

    assert not report.intact
    assert report.first_broken_position == target
    assert {p.kind for p in report.problems} >= {"missing"}


async def test_reordered_events_are_reported_at_the_first_moved_position(
    fresh_pool: asyncpg.Pool,
) -> None:
    await fill(fresh_pool)
    first = await nth_position(fresh_pool, 0)
    second = await nth_position(fresh_pool, 1)

    # Swap the contents of two events of one stream, keeping positions and versions.
    await tamper(
        fresh_pool,
        "UPDATE events e SET data = o.data, event_type = o.event_type FROM events o"
        " WHERE (e.position, o.position) IN (($1, $2), ($2, $1))",
        first,
        second,
    )
    report = await verify(fresh_pool, trust=run_trust())

    assert not report.intact
    assert report.first_broken_position == first


async def test_a_rewritten_chain_is_still_caught_by_the_seal(
    fresh_pool: asyncpg.Pool,
) -> None:
    await fill(fresh_pool, streams=1, per_stream=3)
    last = await fresh_pool.fetchrow(
        "SELECT * FROM events ORDER BY position DESC LIMIT 1"
    )
    assert last is not None
    from shared.chain import event_hash

    # A forger who recomputes the hash of the event they changed still breaks the seal.
    forged = event_hash(
        event_id=str(last["event_id"]),
        stream_id=last["stream_id"],
        version=last["version"],
        event_type=last["event_type"],
        schema_version=last["schema_version"],
        recorded_at=last["recorded_at"],
        data={"amount": 999},
        actor=last["actor"],
        actor_unit=last["actor_unit"],
        correlation_id=last["correlation_id"],
        causation_id=last["causation_id"],
        prevhash=last["prevhash"],
    )
    await tamper(
        fresh_pool,
        "UPDATE events SET data = '{\"amount\": 999}'::jsonb, hash = $2 WHERE position = $1",
        last["position"],
        forged,
    )
    report = await verify(fresh_pool, trust=run_trust())

    assert not report.intact
    # Without the key, the forger cannot sign the new hash either.
    assert {p.kind for p in report.problems} == {"seal-block", "unauthenticated"}
    assert report.first_broken_position == last["position"]
