"""The national-algorithm suite end to end (`SIGNATURE_SUITE=sm2-sm3`): a store that
signs its writer tags with SM2 and a relay that seals with it; verify, given the
pinned SM2 key set, finds the log intact, and a forged seal or writer tag fails."""

from __future__ import annotations

import asyncpg
import pytest

from shared.chain import Ed25519Signer, tag_message
from shared.handling import execute
from shared.relay import Relay
from shared.sm2 import Sm2Signer
from shared.store import EventStore
from shared.tree_head import Seal
from shared.trust import Jwks
from shared.verify import verify
from tests.forgery import insert_forged
from tests.support import LEDGER, AddAmount, add_amount, context, stream

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]

SIGNER = Sm2Signer.generate()
TRUST = Jwks.of_signers(SIGNER)


async def fill(pool: asyncpg.Pool) -> EventStore:
    """Two streams of three events (six with their openings), sealed in blocks of 4."""
    store = EventStore(pool, signer=SIGNER)
    for _ in range(2):
        entity = stream()
        for _ in range(2):
            await execute(
                store, LEDGER, entity, AddAmount(amount=1), add_amount, context()
            )
    relay = Relay(
        store,
        bootstrap="127.0.0.1:1",
        service="test",
        source="/qingqian/test/test",
        topic="t",
        seals_topic="t.seals",
        signer=SIGNER,
        seal_block_size=4,
        seal_interval_seconds=3600,
    )
    await relay.register_key()
    while await relay.sequence_once():
        pass
    await relay.seal_once()
    return store


async def test_an_sm2_signed_log_verifies_intact(fresh_pool: asyncpg.Pool) -> None:
    await fill(fresh_pool)

    report = await verify(fresh_pool, trust=TRUST)
    seals = await fresh_pool.fetch("SELECT * FROM seals ORDER BY seal_no")
    tags = await fresh_pool.fetch("SELECT hash, tag, tag_kid FROM events")

    assert report.intact, report.problems
    assert report.seals_checked == len(seals) >= 1
    assert {s["algorithm"] for s in seals} == {"SM2"}
    assert {s["key_id"] for s in seals} == {SIGNER.key_id}
    assert all(SIGNER.verifier().verify(tag_message(t["hash"]), t["tag"]) for t in tags)
    key = await fresh_pool.fetchrow("SELECT algorithm, public_key FROM seal_keys")
    assert key is not None
    assert (key["algorithm"], key["public_key"]) == ("SM2", SIGNER.public_pem())


async def test_an_sm2_log_does_not_verify_with_an_ed25519_trust(
    fresh_pool: asyncpg.Pool,
) -> None:
    await fill(fresh_pool)

    report = await verify(fresh_pool, trust=Jwks.of_signers(Ed25519Signer.generate()))

    assert not report.intact
    assert {p.kind for p in report.problems} >= {"unauthenticated", "seal-invalid"}


async def test_a_seal_signed_by_another_sm2_key_fails(
    fresh_pool: asyncpg.Pool,
) -> None:
    await fill(fresh_pool)
    row = await fresh_pool.fetchrow("SELECT * FROM seals ORDER BY seal_no LIMIT 1")
    assert row is not None
    seal = Seal.from_row(dict(row))

    forged = Sm2Signer.generate().sign(seal.signed_bytes())
    async with fresh_pool.acquire() as conn, conn.transaction():
        await conn.execute("SET LOCAL session_replication_role = replica")
        await conn.execute(
            "UPDATE seals SET signature = $2 WHERE seal_no = $1", seal.seal_no, forged
        )
    report = await verify(fresh_pool, trust=TRUST)

    assert [(p.kind, p.detail) for p in report.problems][:1] == [
        (
            "seal-invalid",
            "the signature does not verify with the pinned key",
        )
    ]


async def test_a_writer_tag_by_a_key_not_pinned_is_reported(
    fresh_pool: asyncpg.Pool,
) -> None:
    await fill(fresh_pool)
    entity = str(await fresh_pool.fetchval("SELECT stream_id FROM events LIMIT 1"))
    forger = Sm2Signer.generate()

    forged = await insert_forged(
        fresh_pool, entity, "AmountAdded", {"amount": 1000}, signer=forger
    )
    report = await verify(fresh_pool, trust=TRUST)

    assert [(p.kind, p.position) for p in report.problems] == [
        ("unauthenticated", forged)
    ]
    assert forger.key_id in report.problems[0].detail
