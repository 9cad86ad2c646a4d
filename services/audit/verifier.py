"""The Merkle side of verification, as the events of a service's published order come
in (on several partitions, so not in order): the tree over the order as far as it is
contiguous, each seal's root against it once its range is all here, and a sealed
range still missing an event after the grace period as a finding."""

from __future__ import annotations

import asyncio

import asyncpg
import structlog

from services.audit.checks import Finding, FindingKind
from services.audit.findings import record_findings
from services.audit.settings import AuditSettings
from services.audit.witness import witness_held
from shared.chain import Signer
from shared.db import DbConnection
from shared.loops import LoopState, LoopStatus
from shared.merkle import Frontier
from shared.store import EventStore
from shared.tree_head import event_leaf

log = structlog.get_logger()

_PAGE = 5000


class TreeVerifier:
    """Checks every followed service's seals against the events received."""

    def __init__(
        self,
        pool: asyncpg.Pool,
        store: EventStore,
        settings: AuditSettings,
        *,
        witness: Signer,
    ) -> None:
        self.pool = pool
        self.store = store
        self.settings = settings
        self.witness = witness
        self.status = LoopStatus(name="audit_verifier")

    async def run(self) -> None:
        """Verify every service, then again after the interval; until cancelled."""
        self.status.set(LoopState.RUNNING)
        while True:
            for service in self.settings.audited_services:
                await self.verify(service)
            await asyncio.sleep(self.settings.verify_interval_seconds)

    async def verify(self, service: str) -> None:
        """Grow the service's tree over what came, judge its pending seals, co-sign
        those that held."""
        async with self.pool.acquire() as conn, conn.transaction():
            frontier = await _grow(conn, service)
            found = await _judge_seals(conn, service, frontier.size)
            found += await _overdue(
                conn, service, frontier.size, self.settings.gap_grace_seconds
            )
            await record_findings(conn, self.store, service, found)
            await witness_held(conn, service, self.witness)


async def _grow(conn: DbConnection, service: str) -> Frontier:
    row = await conn.fetchrow(
        "SELECT size, frontier FROM audit_trees WHERE service = $1 FOR UPDATE", service
    )
    frontier = (
        Frontier() if row is None else Frontier.from_bytes(row["size"], row["frontier"])
    )
    before = frontier.size
    while True:
        rows = await conn.fetch(
            "SELECT DISTINCT ON (sequence) sequence, position, hash FROM audit_events"
            " WHERE service = $1 AND sequence > $2 ORDER BY sequence, position"
            " LIMIT $3",
            service,
            frontier.size,
            _PAGE,
        )
        positions: list[int] = []
        roots: list[bytes] = []
        for r in rows:
            if r["sequence"] != frontier.size + 1:
                break
            frontier.append(event_leaf(r["hash"]))
            positions.append(r["position"])
            roots.append(frontier.root())
        if positions:
            await conn.execute(
                "UPDATE audit_events e SET tree_root = r.root"
                " FROM unnest($2::bigint[], $3::bytea[]) AS r(position, root)"
                " WHERE e.service = $1 AND e.position = r.position",
                service,
                positions,
                roots,
            )
        if len(positions) < _PAGE:
            break
    if frontier.size != before:
        await conn.execute(
            "INSERT INTO audit_trees (service, size, frontier) VALUES ($1, $2, $3)"
            " ON CONFLICT (service) DO UPDATE SET size = excluded.size,"
            " frontier = excluded.frontier",
            service,
            frontier.size,
            frontier.to_bytes(),
        )
    return frontier


async def _judge_seals(conn: DbConnection, service: str, size: int) -> list[Finding]:
    """Each pending seal whose range is all here: held when its root is the root of
    the events received up to its tree size."""
    rows = await conn.fetch(
        "SELECT s.seal_hash, s.seal_no, s.tree_size, s.root_hash, s.body->>'key_id' AS kid,"
        " (SELECT e.tree_root FROM audit_events e WHERE e.service = s.service"
        "  AND e.sequence = s.tree_size AND e.tree_root IS NOT NULL LIMIT 1) AS root"
        " FROM audit_seals s WHERE s.service = $1 AND s.status IN ('pending', 'gap')"
        " AND s.tree_size <= $2 ORDER BY s.seal_no",
        service,
        size,
    )
    found: list[Finding] = []
    for r in rows:
        holds = r["root"] is not None and bytes(r["root"]).hex() == r["root_hash"]
        if not holds:
            found.append(
                Finding(
                    FindingKind.SEAL_ROOT,
                    f"the root of the events received up to {r['tree_size']} is not"
                    " the seal's: sealed events were altered, removed or reordered",
                    seal_no=r["seal_no"],
                    key_id=r["kid"],
                )
            )
        await conn.execute(
            "UPDATE audit_seals SET status = $3, checked_at = now()"
            " WHERE service = $1 AND seal_hash = $2",
            service,
            r["seal_hash"],
            "held" if holds else "failed",
        )
    return found


async def _overdue(
    conn: DbConnection, service: str, size: int, grace: float
) -> list[Finding]:
    """Seals whose range still misses event `size + 1` after the grace period: one
    finding for the missing event, the seals set aside."""
    rows = await conn.fetch(
        "UPDATE audit_seals SET status = 'gap', checked_at = now()"
        " WHERE service = $1 AND status = 'pending' AND tree_size > $2"
        " AND received_at < now() - make_interval(secs => $3)"
        " RETURNING seal_no, tree_size",
        service,
        size,
        grace,
    )
    if not rows:
        return []
    missing = size + 1
    reported = await conn.fetchval(
        "SELECT 1 FROM audit_findings WHERE service = $1 AND kind = $2"
        " AND sequence = $3 AND stream_id IS NULL",
        service,
        FindingKind.MISSING.value,
        missing,
    )
    if reported is not None:
        return []
    first = min(rows, key=lambda r: r["seal_no"])
    return [
        Finding(
            FindingKind.MISSING,
            f"event {missing} of the published order never came, and seal"
            f" {first['seal_no']} covers up to {first['tree_size']}",
            sequence=missing,
            seal_no=first["seal_no"],
        )
    ]
