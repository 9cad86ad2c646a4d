"""Audit as a witness: it co-signs each seal it holds (its root the root of the events
received, its signature by the pinned key, chained to the seal it witnessed before)
with its own Ed25519 key, published at its `/.well-known/jwks.json`. Whoever holds a
co-signature knows audit saw that tree head: a later log that does not extend it —
a database restored below it, a topic truncated — shows. The signed bytes are in
docs/audit-api.md (`shared.witness`, where verifiers check them)."""

from __future__ import annotations

from datetime import UTC, datetime

from shared.chain import Signer
from shared.db import DbConnection
from shared.tree_head import Seal
from shared.witness import witness_bytes


async def witness_held(conn: DbConnection, service: str, signer: Signer) -> int:
    """Co-sign, in order, the held seals that follow the last one witnessed and chain
    to it (of two for one number, the first received); stops at the first that is
    missing or not yet held. Returns how many."""
    last = await conn.fetchrow(
        "SELECT seal_no, seal_hash FROM audit_witnesses WHERE service = $1"
        " ORDER BY seal_no DESC LIMIT 1",
        service,
    )
    number = 0 if last is None else last["seal_no"]
    prev = "0" * 64 if last is None else last["seal_hash"]
    rows = await conn.fetch(
        "SELECT body FROM audit_seals WHERE service = $1 AND status = 'held'"
        " AND seal_no > $2 ORDER BY seal_no, received_no",
        service,
        number,
    )
    made = 0
    for row in rows:
        seal = Seal.model_validate(row["body"])
        if seal.seal_no != number + 1:
            break
        if seal.prev_seal_hash != prev:
            # A second seal for this number (a fork) that does not chain: never.
            continue
        now = datetime.now(UTC)
        signed = witness_bytes(
            service=service, seal_hash=seal.seal_hash, witnessed_at=now
        )
        await conn.execute(
            "INSERT INTO audit_witnesses (service, seal_no, seal_hash, witnessed_at,"
            " key_id, signature) VALUES ($1, $2, $3, $4, $5, $6)",
            service,
            seal.seal_no,
            seal.seal_hash,
            now,
            signer.key_id,
            signer.sign(signed),
        )
        number, prev, made = seal.seal_no, seal.seal_hash, made + 1
    return made
