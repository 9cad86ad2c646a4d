"""Sequencing: commit order → the contiguous published order, of authenticated events
only: one whose writer tag does not verify is parked and never numbered."""

from __future__ import annotations

import asyncpg
import structlog

from shared import metrics
from shared.db import DbConnection
from shared.store import Cursor
from shared.store.tags import TagChecker

log = structlog.get_logger()

# The next committed events in commit order (below the oldest running transaction, as
# `read_all` reads), with what their writer tags are checked on.
_READ_NEXT = (
    "SELECT e.txid::text::bigint AS txid, e.position, e.stream_id, e.version, e.hash,"
    " e.tag, e.tag_mac, e.tag_kid, e.recorded_at FROM events e"
    " WHERE (e.txid, e.position) > ($1::text::xid8, $2)"
    " AND e.txid < pg_snapshot_xmin(pg_current_snapshot())"
    " ORDER BY e.txid, e.position LIMIT $3"
)
_NUMBER = (
    "INSERT INTO event_sequence (sequence, position)"
    " SELECT $1::bigint + u.n, u.position"
    " FROM unnest($2::bigint[]) WITH ORDINALITY AS u(position, n)"
)
# Parking again what a run before this one parked changes nothing.
_PARK = (
    "INSERT INTO unauthenticated_events (position, stream_id, version, tag_kid, reason)"
    " SELECT * FROM unnest($1::bigint[], $2::text[], $3::int[], $4::text[], $5::text[])"
    " ON CONFLICT (position) DO NOTHING RETURNING position"
)


class Sequencer:
    """Numbers committed events in commit order; the relay that leads is the only one
    that writes the order. Each event's writer tag is checked first (`tags`: the
    service's keys): one that fails is parked, alarmed, and the order goes on without
    it, so it is never sealed or published."""

    def __init__(
        self, pool: asyncpg.Pool, *, batch_size: int, tags: TagChecker
    ) -> None:
        self.pool = pool
        self.batch_size = batch_size
        self._tags = tags
        self._cursor: Cursor | None = None
        self._last_sequence = 0

    def forget(self) -> None:
        """Read where the order stands afresh next time (a numbering may have
        committed without this one learning of it)."""
        self._cursor = None

    async def sequence_once(self, db: DbConnection | None = None) -> int:
        """Give the next committed events their sequence numbers (parking those whose
        tag fails), on `db` (the leader's connection) or the pool; returns how many
        events it went past."""
        on = self.pool if db is None else db
        if self._cursor is None:
            # Parked events after the last numbered one are checked (and parked) again.
            row = await on.fetchrow(
                "SELECT s.sequence, e.txid::text::bigint AS txid, e.position"
                " FROM event_sequence s JOIN events e ON e.position = s.position"
                " ORDER BY s.sequence DESC LIMIT 1"
            )
            self._cursor = Cursor(row["txid"], row["position"]) if row else Cursor()
            self._last_sequence = row["sequence"] if row else 0
        rows = await on.fetch(
            _READ_NEXT, str(self._cursor.txid), self._cursor.position, self.batch_size
        )
        if not rows:
            return 0
        good: list[int] = []
        bad: list[tuple[asyncpg.Record, str]] = []
        for row in rows:
            reason = self._tags.problem(
                event_hash=row["hash"],
                tag=row["tag"],
                kid=row["tag_kid"],
                recorded_at=row["recorded_at"],
                mac=row["tag_mac"],
            )
            if reason is None:
                good.append(row["position"])
            else:
                bad.append((row, reason))
        if bad:
            await self._park(on, bad)
        if good:
            await on.execute(_NUMBER, self._last_sequence, good)
            self._last_sequence += len(good)
        self._cursor = Cursor(rows[-1]["txid"], rows[-1]["position"])
        return len(rows)

    async def _park(
        self, on: DbConnection | asyncpg.Pool, bad: list[tuple[asyncpg.Record, str]]
    ) -> None:
        parked = await on.fetch(
            _PARK,
            [r["position"] for r, _ in bad],
            [r["stream_id"] for r, _ in bad],
            [r["version"] for r, _ in bad],
            [r["tag_kid"] for r, _ in bad],
            [reason for _, reason in bad],
        )
        if parked:
            metrics.UNAUTHENTICATED_EVENTS.inc(len(parked))
            # An insert that bypassed the service: someone holds a database account
            # they should not, or a key is missing from the service's settings.
            log.error(
                "unauthenticated_events_parked",
                count=len(parked),
                positions=[r["position"] for r in parked][:20],
            )
