"""Writer tags: an event inserted by someone holding a database account but not the
service's key is reported by verify at its position and never sequenced, sealed or
published; keys added to the database do not make a re-signed log verify."""

from __future__ import annotations

import asyncpg
import pytest
from prometheus_client import REGISTRY

from shared.chain import Ed25519Signer, tag_message
from shared.handling import execute
from shared.relay import Relay
from shared.store import EventStore
from shared.verify import verify
from tests.forgery import insert_forged
from tests.support import LEDGER, AddAmount, add_amount, context, run_trust, stream

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]


def relay_for(store: EventStore) -> Relay:
    return Relay(
        store,
        bootstrap="127.0.0.1:1",
        service="test",
        source="/qingqian/test/test",
        topic="t",
        seals_topic="t.seals",
        signer=store.signer,
        seal_block_size=2,
        seal_interval_seconds=3600,
    )


async def add(store: EventStore, entity: str) -> None:
    await execute(store, LEDGER, entity, AddAmount(amount=1), add_amount, context())


async def ledger_stream(pool: asyncpg.Pool) -> str:
    return str(await pool.fetchval("SELECT stream_id FROM events LIMIT 1"))


async def sequence_all(relay: Relay) -> None:
    while await relay.sequence_once():
        pass


def parked_total() -> float:
    return REGISTRY.get_sample_value("qingqian_unauthenticated_events_total") or 0.0


async def test_an_event_appended_by_the_store_carries_a_tag_by_its_key(
    fresh_pool: asyncpg.Pool,
) -> None:
    store = EventStore(fresh_pool)

    await add(store, stream())
    rows = await fresh_pool.fetch("SELECT hash, tag, tag_kid FROM events")

    assert len(rows) == 2
    for row in rows:
        assert row["tag_kid"] == store.signer.key_id
        assert store.signer.verifier().verify(tag_message(row["hash"]), row["tag"])


async def test_an_inserted_event_with_a_recomputed_chain_is_reported_at_its_position(
    fresh_pool: asyncpg.Pool,
) -> None:
    store = EventStore(fresh_pool)
    await add(store, stream())
    entity = await ledger_stream(fresh_pool)

    forged = await insert_forged(fresh_pool, entity, "AmountAdded", {"amount": 1000})
    report = await verify(fresh_pool, trust=run_trust())

    assert not report.intact
    assert report.first_broken_position == forged
    assert [(p.kind, p.position) for p in report.problems] == [
        ("unauthenticated", forged)
    ]
    assert report.problems[0].detail == "the event carries no writer tag"


async def test_a_tag_made_with_a_key_the_trust_does_not_hold_is_reported(
    fresh_pool: asyncpg.Pool,
) -> None:
    store = EventStore(fresh_pool)
    await add(store, stream())
    entity = await ledger_stream(fresh_pool)
    forger = Ed25519Signer.generate()

    forged = await insert_forged(
        fresh_pool, entity, "AmountAdded", {"amount": 1000}, signer=forger
    )
    report = await verify(fresh_pool, trust=run_trust())

    assert [(p.kind, p.position) for p in report.problems] == [
        ("unauthenticated", forged)
    ]
    assert forger.key_id in report.problems[0].detail


async def test_a_tag_copied_from_another_event_does_not_verify(
    fresh_pool: asyncpg.Pool,
) -> None:
    store = EventStore(fresh_pool)
    await add(store, stream())
    entity = await ledger_stream(fresh_pool)
    forged = await insert_forged(fresh_pool, entity, "AmountAdded", {"amount": 9})
    copied = await fresh_pool.fetchrow("SELECT tag, tag_kid FROM events LIMIT 1")
    assert copied is not None

    async with fresh_pool.acquire() as conn, conn.transaction():
        await conn.execute("SET LOCAL session_replication_role = replica")
        await conn.execute(
            "UPDATE events SET tag = $2, tag_kid = $3 WHERE position = $1",
            forged,
            copied["tag"],
            copied["tag_kid"],
        )
    report = await verify(fresh_pool, trust=run_trust())

    assert [(p.kind, p.position, p.detail) for p in report.problems] == [
        ("unauthenticated", forged, "the writer tag does not verify")
    ]


async def test_the_relay_parks_an_unauthenticated_event_and_numbers_the_rest(
    fresh_pool: asyncpg.Pool,
) -> None:
    store = EventStore(fresh_pool)
    relay = relay_for(store)
    await add(store, stream())
    entity = await ledger_stream(fresh_pool)
    forged = await insert_forged(fresh_pool, entity, "AmountAdded", {"amount": 1000})
    await add(store, stream())
    alarms = parked_total()

    await sequence_all(relay)
    await relay.seal_once()
    sequenced = await fresh_pool.fetch(
        "SELECT sequence, position FROM event_sequence ORDER BY sequence"
    )
    parked = await fresh_pool.fetch("SELECT * FROM unauthenticated_events")
    sealed = await fresh_pool.fetchval("SELECT max(tree_size) FROM seals")

    assert [r["sequence"] for r in sequenced] == [1, 2, 3, 4]
    assert forged not in {r["position"] for r in sequenced}
    assert [(r["position"], r["stream_id"]) for r in parked] == [(forged, entity)]
    assert parked[0]["reason"] == "the event carries no writer tag"
    assert sealed == 4
    assert parked_total() == alarms + 1


async def test_a_relay_that_starts_again_parks_nothing_twice_and_numbers_on(
    fresh_pool: asyncpg.Pool,
) -> None:
    store = EventStore(fresh_pool)
    await add(store, stream())
    entity = await ledger_stream(fresh_pool)
    await insert_forged(fresh_pool, entity, "AmountAdded", {"amount": 1000})
    first = relay_for(store)
    await sequence_all(first)
    alarms = parked_total()
    # Parked at the tail is not pending: not the relay's lag (readiness waits on that).
    assert await first.measure_lag() == 2

    await add(store, stream())
    await sequence_all(relay_for(store))
    sequences = await fresh_pool.fetch(
        "SELECT sequence FROM event_sequence ORDER BY sequence"
    )

    assert [r["sequence"] for r in sequences] == [1, 2, 3, 4]
    assert await fresh_pool.fetchval("SELECT count(*) FROM unauthenticated_events") == 1
    assert parked_total() == alarms


async def test_a_log_re_signed_with_a_key_added_to_the_database_does_not_verify(
    fresh_pool: asyncpg.Pool,
) -> None:
    store = EventStore(fresh_pool)
    relay = relay_for(store)
    for _ in range(2):
        await add(store, stream())
    await relay.register_key()
    await sequence_all(relay)
    await relay.seal_once()
    forger = Ed25519Signer.generate()

    # The attack as filed: add one's own key to the key table, re-sign every seal.
    async with fresh_pool.acquire() as conn, conn.transaction():
        await conn.execute("SET LOCAL session_replication_role = replica")
        await conn.execute(
            "INSERT INTO seal_keys (key_id, algorithm, public_key) VALUES ($1, $2, $3)",
            forger.key_id,
            forger.algorithm,
            forger.public_pem(),
        )
        for seal in await conn.fetch("SELECT seal_no, seal_hash FROM seals"):
            await conn.execute(
                "UPDATE seals SET key_id = $2, signature = $3 WHERE seal_no = $1",
                seal["seal_no"],
                forger.key_id,
                forger.sign(seal["seal_hash"].encode()),
            )
    report = await verify(fresh_pool, trust=run_trust())

    assert report.seals_checked == 2
    assert [(p.kind, p.seal) for p in report.problems] == [
        ("seal-invalid", 1),
        ("seal-invalid", 2),
    ]


async def test_an_event_in_a_verified_seal_is_vouched_for_by_the_seal(
    fresh_pool: asyncpg.Pool,
) -> None:
    store = EventStore(fresh_pool)
    relay = relay_for(store)
    await add(store, stream())
    await sequence_all(relay)
    await relay.seal_once()
    await add(store, stream())
    positions = [
        r["position"]
        for r in await fresh_pool.fetch("SELECT position FROM events ORDER BY position")
    ]

    # The tags dropped from every event: the sealed ones are still vouched for by the
    # seal's signature; the two not sealed yet are not.
    async with fresh_pool.acquire() as conn, conn.transaction():
        await conn.execute("SET LOCAL session_replication_role = replica")
        await conn.execute("UPDATE events SET tag = NULL, tag_kid = NULL")
    report = await verify(fresh_pool, trust=run_trust())

    assert [(p.kind, p.position) for p in report.problems] == [
        ("unauthenticated", positions[2]),
        ("unauthenticated", positions[3]),
    ]
