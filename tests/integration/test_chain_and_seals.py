"""Tamper evidence: hash chains, the published order and signed tree heads, checked
by verify with the pinned keys (and against the seals on Kafka: test_anchors.py)."""

from __future__ import annotations

import asyncpg
import pytest

from shared.chain import GENESIS, Ed25519Signer, new_private_key_pem, run_signer
from shared.handling import execute
from shared.merkle import root_of
from shared.relay import Relay
from shared.store import EventStore
from shared.tree_head import event_leaf
from shared.trust import Jwks
from shared.verify import verify
from tests.support import LEDGER, AddAmount, add_amount, context, stream

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]


# What a store made without a key signs events with; the relay seals with it too.
SIGNER = run_signer()
TRUST = Jwks.of_signers(SIGNER)


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

    report = await verify(fresh_pool, trust=TRUST)

    assert report.intact, report.problems
    assert report.events_checked == 3 * 4
    assert report.seals_checked == 3
    assert report.summary().startswith("intact")


async def test_seals_cover_the_published_order_in_contiguous_blocks(
    fresh_pool: asyncpg.Pool,
) -> None:
    await fill(fresh_pool)

    rows = await fresh_pool.fetch("SELECT * FROM seals ORDER BY seal_no")
    hashes = await fresh_pool.fetch(
        "SELECT s.sequence, e.hash FROM event_sequence s"
        " JOIN events e ON e.position = s.position ORDER BY s.sequence"
    )
    leaves = [event_leaf(r["hash"]) for r in hashes]

    assert [r["sequence"] for r in hashes] == list(range(1, 13))
    assert [r["tree_size"] for r in rows] == [4, 8, 12]
    assert [r["root_hash"] for r in rows] == [
        root_of(leaves[:size]).hex() for size in (4, 8, 12)
    ]
    assert [r["prev_seal_hash"] for r in rows] == [
        GENESIS,
        rows[0]["seal_hash"],
        rows[1]["seal_hash"],
    ]


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
    report = await verify(fresh_pool, trust=TRUST)

    assert not report.intact
    assert report.first_broken_position == target
    assert report.problems[0].kind == "altered"


@pytest.mark.parametrize(
    "change",
    [
        "SET is_backdated = true",
        "SET business_date = '2020-01-01'",
    ],
)
async def test_a_business_date_mark_the_data_does_not_support_is_reported(
    fresh_pool: asyncpg.Pool, change: str
) -> None:
    """The mark is outside the hash, but the hashed data decides the business date:
    setting one the data does not hold, or back-dating an undated event, shows."""
    await fill(fresh_pool)
    target = await nth_position(fresh_pool, 4)

    await tamper(fresh_pool, f"UPDATE events {change} WHERE position = $1", target)
    report = await verify(fresh_pool, trust=TRUST)

    assert not report.intact
    assert [(p.kind, p.position) for p in report.problems] == [("misdated", target)]


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
    report = await verify(fresh_pool, trust=TRUST)

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
    report = await verify(fresh_pool, trust=TRUST)

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
    report = await verify(fresh_pool, trust=TRUST)

    assert not report.intact
    # Without the key, the forger cannot sign the new hash either.
    assert {p.kind for p in report.problems} == {"seal-block", "unauthenticated"}


async def test_a_seal_signed_by_a_key_not_pinned_is_invalid(
    fresh_pool: asyncpg.Pool,
) -> None:
    await fill(fresh_pool)
    stranger = Jwks.of_signers(Ed25519Signer.from_pem(new_private_key_pem()))

    report = await verify(fresh_pool, trust=stranger)

    assert not report.intact
    # The events' writer tags are by that key too: none of them verifies either.
    assert {p.kind for p in report.problems} == {"seal-invalid", "unauthenticated"}
    invalid = [p for p in report.problems if p.kind == "seal-invalid"]
    assert [p.seal for p in invalid] == [1, 2, 3]
    assert "pinned keys do not hold" in invalid[0].detail


async def test_a_seal_whose_chain_was_cut_is_invalid(
    fresh_pool: asyncpg.Pool,
) -> None:
    await fill(fresh_pool)

    await tamper(fresh_pool, "DELETE FROM seals WHERE seal_no = 2")
    report = await verify(fresh_pool, trust=TRUST)

    assert not report.intact
    kinds = {(p.kind, p.seal) for p in report.problems}
    assert ("seal-range", 3) in kinds
    assert ("seal-invalid", 3) in kinds
