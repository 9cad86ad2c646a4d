"""Making an evidence bundle (`GET /bundles?subject=`): the events about one subject
from audit's store, each with its inclusion proof in the smallest seal audit
WITNESSED that covers it, those seals with the co-signatures, the pinned keys, all
signed as one DSSE envelope with audit's key. The format is services/audit/
bundle_format.py and docs/bundle-format.md."""

from __future__ import annotations

import bisect
from collections import defaultdict
from datetime import UTC, datetime
from typing import Any

import asyncpg

from services.audit.bundle_format import (
    BUNDLE_FORMAT,
    MAX_BUNDLE_EVENTS,
    BundleKeys,
    BundlePayload,
    DsseEnvelope,
    Inclusion,
    SealEntry,
    Witness,
)
from services.audit.bundle_tree import ProofTree
from shared.chain import Signer, timestamp
from shared.db import DbConnection
from shared.errors import InvalidInput, NotFound, RuleViolated
from shared.tree_head import event_leaf
from shared.trust import Jwk, Jwks

# A subject is a stream id, an employer's USCC (every stream naming it) or a
# correlation id: the three never look alike, so one query asks for all three (a
# union, so that each uses its index).
_EVENTS = (
    "SELECT e.service, e.position, e.sequence, e.envelope FROM audit_events e"
    " WHERE (e.service, e.position) IN ("
    "  SELECT service, position FROM audit_events WHERE stream_id = $1"
    "  UNION SELECT service, position FROM audit_events WHERE correlation_id = $1"
    "  UNION SELECT a.service, a.position FROM audit_events a"
    "  JOIN audit_stream_usccs u ON u.service = a.service AND u.stream_id = a.stream_id"
    "  WHERE u.uscc = $1)"
    " ORDER BY e.recorded_at, e.service, e.position LIMIT $2"
)
_WITNESSED = (
    "SELECT s.seal_no, s.tree_size, s.body, w.witnessed_at, w.key_id, w.signature"
    " FROM audit_witnesses w JOIN audit_seals s"
    " ON s.service = w.service AND s.seal_hash = w.seal_hash"
    " WHERE w.service = $1 AND s.tree_size >= $2 ORDER BY s.tree_size"
)
_LEAVES = (
    "SELECT DISTINCT ON (sequence) hash FROM audit_events WHERE service = $1"
    " AND sequence BETWEEN 1 AND $2 ORDER BY sequence, position"
)


async def make_bundle(
    pool: asyncpg.Pool, subject: str, *, signer: Signer, audit_keys: Jwks
) -> DsseEnvelope:
    """The signed bundle of every event about `subject`: 404 when there is none, 422
    past `MAX_BUNDLE_EVENTS`, 409 while one is not yet under a witnessed seal."""
    rows = await pool.fetch(_EVENTS, subject, MAX_BUNDLE_EVENTS + 1)
    if not rows:
        raise NotFound("audit holds no event about this subject")
    if len(rows) > MAX_BUNDLE_EVENTS:
        raise InvalidInput(
            "subject",
            "bundle_size",
            f"more than {MAX_BUNDLE_EVENTS} events are about this subject: ask"
            " for one stream at a time",
        )
    by_service: dict[str, list[asyncpg.Record]] = defaultdict(list)
    for row in rows:
        by_service[row["service"]].append(row)
    proofs: dict[tuple[str, int], Inclusion] = {}
    seals: list[SealEntry] = []
    async with pool.acquire() as conn:
        for service, events in by_service.items():
            found, used = await _prove(conn, service, events)
            proofs |= {(service, p): proof for p, proof in found.items()}
            seals += used
    payload = BundlePayload(
        format=BUNDLE_FORMAT,
        subject=subject,
        made_at=timestamp(datetime.now(UTC)),
        events=tuple(r["envelope"] for r in rows),
        proofs=tuple(proofs[(r["service"], r["position"])] for r in rows),
        seals=tuple(seals),
        keys=BundleKeys(sets=await _key_sets(pool, by_service, audit_keys)),
    )
    return DsseEnvelope.sign(payload.model_dump_json().encode(), signer)


async def _prove(
    conn: DbConnection, service: str, events: list[asyncpg.Record]
) -> tuple[dict[int, Inclusion], list[SealEntry]]:
    """Each event's proof (by position) in the smallest witnessed seal covering it,
    and those seals with their co-signatures."""
    if any(e["sequence"] is None for e in events):
        raise _not_witnessed(service)
    witnessed = await conn.fetch(
        _WITNESSED, service, min(e["sequence"] for e in events)
    )
    sizes = [w["tree_size"] for w in witnessed]
    chosen: dict[int, asyncpg.Record] = {}
    for event in events:
        at = bisect.bisect_left(sizes, event["sequence"])
        if at == len(witnessed):
            raise _not_witnessed(service)
        chosen[event["position"]] = witnessed[at]
    largest = max(w["tree_size"] for w in chosen.values())
    hashes = [r["hash"] for r in await conn.fetch(_LEAVES, service, largest)]
    if len(hashes) < largest:
        raise _not_witnessed(service)
    tree = ProofTree([event_leaf(h) for h in hashes])
    proofs = {
        e["position"]: Inclusion(
            service=service,
            seal_no=chosen[e["position"]]["seal_no"],
            leaf_index=e["sequence"] - 1,
            path=tuple(
                p.hex()
                for p in tree.path(
                    e["sequence"] - 1, chosen[e["position"]]["tree_size"]
                )
            ),
        )
        for e in events
    }
    used = {w["seal_no"]: w for w in chosen.values()}
    return proofs, [_seal_entry(service, used[n]) for n in sorted(used)]


def _seal_entry(service: str, row: asyncpg.Record) -> SealEntry:
    witness = Witness(
        key_id=row["key_id"],
        witnessed_at=timestamp(row["witnessed_at"]),
        signature=row["signature"],
    )
    return SealEntry(service=service, seal=row["body"], witnesses=(witness,))


def _not_witnessed(service: str) -> RuleViolated:
    return RuleViolated(
        "not-yet-witnessed",
        f"an event of {service} about this subject is not yet under a seal audit"
        " witnessed: ask again after the service's next seal",
    )


async def _key_sets(
    pool: asyncpg.Pool, services: dict[str, Any], audit_keys: Jwks
) -> dict[str, Jwks]:
    """The keys audit pinned for each service, and its own published set."""
    rows = await pool.fetch(
        "SELECT service, jwk FROM pinned_keys WHERE service = ANY($1::text[])"
        " ORDER BY service, pinned_at, kid",
        list(services),
    )
    sets: dict[str, list[Jwk]] = defaultdict(list)
    for row in rows:
        sets[row["service"]].append(Jwk.model_validate(row["jwk"]))
    return {
        **{s: Jwks(keys=tuple(keys)) for s, keys in sets.items()},
        "audit": audit_keys,
    }
