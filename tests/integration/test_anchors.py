"""Anchors outside the database: the seals the relay published on Kafka catch what a
database account alone can hide — a deleted tail with its seal, a forked seal, a
history rewritten and re-sealed with the service's own key."""

from __future__ import annotations

from datetime import UTC, datetime

import asyncpg
import pytest
from aiokafka import AIOKafkaProducer

from shared.anchors import published_anchors, seals_on_kafka
from shared.chain import Ed25519Signer, new_private_key_pem, sha256_hex
from shared.merkle import consistency_proof, root_of
from shared.tree_head import Seal, event_leaf, seal_message, tree_head_bytes
from shared.trust import Jwks
from shared.verify import verify
from tests.published_log import Published, publish_log

pytestmark = [
    pytest.mark.integration,
    pytest.mark.asyncio(loop_scope="session"),
    pytest.mark.timeout(60),
]

SIGNER = Ed25519Signer.from_pem(new_private_key_pem())
TRUST = Jwks.of_signers(SIGNER)


async def tamper(pool: asyncpg.Pool, *statements: str) -> None:
    async with pool.acquire() as conn, conn.transaction():
        # Only a superuser bypassing triggers can do this: exactly what verify must catch.
        await conn.execute("SET LOCAL session_replication_role = replica")
        for statement in statements:
            await conn.execute(statement)


async def send(published: Published, seal: Seal) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=published.bootstrap)
    try:
        await producer.start()
        await producer.send_and_wait(
            published.seals_topic,
            seal_message(seal.model_dump(), source="/qingqian/test/test"),
        )
    finally:
        await producer.stop()


def signed(seal: Seal, **changes: object) -> Seal:
    """The seal with `changes`, hashed and signed again with the service's key."""
    draft = seal.model_copy(update=changes)
    head = draft.signed_bytes()
    return draft.model_copy(
        update={"seal_hash": sha256_hex(head), "signature": SIGNER.sign(head)}
    )


async def test_the_published_seals_are_read_back_as_anchors(
    fresh_pool: asyncpg.Pool, kafka_bootstrap: str
) -> None:
    published = await publish_log(fresh_pool, kafka_bootstrap, SIGNER)

    anchors = await seals_on_kafka(published.bootstrap, published.seals_topic)
    report = await verify(fresh_pool, trust=TRUST, anchors=anchors)

    assert [a.tree_size for a in anchors] == [4, 8, 12]
    assert report.intact, report.problems


async def test_a_deleted_tail_with_its_seal_is_reported_against_the_anchors(
    fresh_pool: asyncpg.Pool, kafka_bootstrap: str
) -> None:
    published = await publish_log(fresh_pool, kafka_bootstrap, SIGNER)

    # The forgery of issue 12: the last seal and the events it covered, gone.
    await tamper(
        fresh_pool,
        "DELETE FROM seals WHERE seal_no = 3",
        "CREATE TEMP TABLE gone AS SELECT position FROM event_sequence"
        " WHERE sequence > 8",
        "DELETE FROM event_sequence WHERE sequence > 8",
        "DELETE FROM events WHERE position IN (SELECT position FROM gone)",
    )
    alone = await verify(fresh_pool, trust=TRUST)
    anchors = await seals_on_kafka(published.bootstrap, published.seals_topic)
    report = await verify(fresh_pool, trust=TRUST, anchors=anchors)

    assert alone.intact, "the database by itself cannot show a clean cut"
    assert not report.intact
    tail = next(p for p in report.problems if p.kind == "missing-tail")
    assert (tail.sequence, tail.seal) == (9, 3)
    assert "9..12" in tail.detail
    assert ("seal-missing", 3) in {(p.kind, p.seal) for p in report.problems}
    assert report.summary().startswith("BROKEN at sequence 9")


async def test_two_different_seals_for_one_number_are_a_fork(
    fresh_pool: asyncpg.Pool, kafka_bootstrap: str
) -> None:
    published = await publish_log(fresh_pool, kafka_bootstrap, SIGNER)
    anchors = await seals_on_kafka(published.bootstrap, published.seals_topic)

    await send(published, signed(anchors[1], root_hash="ab" * 32))
    report = await verify(
        fresh_pool,
        trust=TRUST,
        anchors=await seals_on_kafka(published.bootstrap, published.seals_topic),
    )

    assert not report.intact
    assert {(p.kind, p.seal) for p in report.problems} >= {
        ("seal-fork", 2),
        ("seal-inconsistent", 2),
    }


async def test_a_history_rewritten_and_sealed_again_with_the_key_is_caught(
    fresh_pool: asyncpg.Pool, kafka_bootstrap: str
) -> None:
    published = await publish_log(fresh_pool, kafka_bootstrap, SIGNER)
    anchors = await seals_on_kafka(published.bootstrap, published.seals_topic)
    last = await fresh_pool.fetchrow(
        "SELECT s.position, e.hash FROM event_sequence s"
        " JOIN events e ON e.position = s.position WHERE s.sequence = 12"
    )
    assert last is not None

    # Someone with the key and the database: the last event swapped for another hash
    # and the last seal made again over it, so the database agrees with itself.
    forged_hash = sha256_hex(b"another event")
    await tamper(
        fresh_pool,
        f"UPDATE events SET hash = '{forged_hash}' WHERE position = {last['position']}",
        "DELETE FROM seals WHERE seal_no = 3",
    )
    await reseal_last(fresh_pool, anchors[1], forged_hash)
    report = await verify(fresh_pool, trust=TRUST, anchors=anchors)

    kinds = {(p.kind, p.seal) for p in report.problems}
    assert ("seal-fork", 3) in kinds
    assert ("seal-inconsistent", 3) in kinds
    assert ("seal-block", 3) not in kinds, "the forger's own seal holds by itself"


async def reseal_last(pool: asyncpg.Pool, before: Seal, forged_hash: str) -> None:
    hashes = await pool.fetch(
        "SELECT e.hash FROM event_sequence s JOIN events e ON e.position = s.position"
        " ORDER BY s.sequence"
    )
    leaves = [event_leaf(r["hash"]) for r in hashes]
    root = root_of(leaves).hex()
    now = datetime.now(UTC)
    head = tree_head_bytes(
        seal_no=3,
        tree_size=12,
        root_hash=root,
        prev_seal_hash=before.seal_hash,
        sealed_at=now,
        key_id=SIGNER.key_id,
    )
    await pool.execute(
        "INSERT INTO seals (seal_no, tree_size, root_hash, prev_seal_hash, sealed_at,"
        " key_id, algorithm, seal_hash, signature, frontier, consistency)"
        " VALUES (3, 12, $1, $2, $3, $4, 'Ed25519', $5, $6, ''::bytea, $7)",
        root,
        before.seal_hash,
        now,
        SIGNER.key_id,
        sha256_hex(head),
        SIGNER.sign(head),
        b"".join(consistency_proof(leaves, before.tree_size)),
    )


async def test_a_seal_on_kafka_not_signed_by_a_pinned_key_is_no_anchor(
    fresh_pool: asyncpg.Pool, kafka_bootstrap: str
) -> None:
    published = await publish_log(fresh_pool, kafka_bootstrap, SIGNER, streams=1)
    anchors = await seals_on_kafka(published.bootstrap, published.seals_topic)
    stranger = Ed25519Signer.from_pem(new_private_key_pem())
    draft = anchors[0].model_copy(update={"seal_no": 2, "tree_size": 99})
    head = draft.signed_bytes()

    await send(
        published,
        draft.model_copy(
            update={"seal_hash": sha256_hex(head), "signature": stranger.sign(head)}
        ),
    )
    report = await verify(
        fresh_pool,
        trust=TRUST,
        anchors=await seals_on_kafka(published.bootstrap, published.seals_topic),
    )

    assert [p.kind for p in report.problems] == ["anchor-invalid"]


async def test_without_a_broker_verify_is_told_it_has_no_anchors() -> None:
    anchors, why_not = await published_anchors(
        "127.0.0.1:1", "qingqian.test.seals", timeout_seconds=2
    )

    assert anchors == []
    assert why_not is not None
    assert "127.0.0.1:1" in why_not
