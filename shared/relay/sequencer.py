"""Sequencing: commit order → the contiguous published order."""

from __future__ import annotations

import asyncpg

from shared.db import DbConnection
from shared.store import Cursor

# One statement: the next committed events in commit order (below the oldest running
# transaction, as `read_all` reads), numbered on from the last sequence.
_NUMBER_NEXT = (
    "WITH next AS (SELECT e.txid, e.position FROM events e"
    " WHERE (e.txid, e.position) > ($1::text::xid8, $2)"
    " AND e.txid < pg_snapshot_xmin(pg_current_snapshot())"
    " ORDER BY e.txid, e.position LIMIT $3),"
    " numbered AS (SELECT $4::bigint + row_number() OVER (ORDER BY txid, position)"
    " AS sequence, txid, position FROM next),"
    " ins AS (INSERT INTO event_sequence (sequence, position)"
    " SELECT sequence, position FROM numbered)"
    " SELECT count(*) AS n, max(sequence) AS last,"
    " (array_agg(txid::text::bigint ORDER BY sequence DESC))[1] AS txid,"
    " (array_agg(position ORDER BY sequence DESC))[1] AS position FROM numbered"
)


class Sequencer:
    """Numbers committed events in commit order; the relay that leads is the only one
    that writes the order."""

    def __init__(self, pool: asyncpg.Pool, *, batch_size: int) -> None:
        self.pool = pool
        self.batch_size = batch_size
        self._cursor: Cursor | None = None
        self._last_sequence = 0

    def forget(self) -> None:
        """Read where the order stands afresh next time (a numbering may have
        committed without this one learning of it)."""
        self._cursor = None

    async def sequence_once(self, db: DbConnection | None = None) -> int:
        """Give the next committed events their sequence numbers, on `db` (the leader's
        connection) or the pool; returns how many."""
        on = self.pool if db is None else db
        if self._cursor is None:
            row = await on.fetchrow(
                "SELECT s.sequence, e.txid::text::bigint AS txid, e.position"
                " FROM event_sequence s JOIN events e ON e.position = s.position"
                " ORDER BY s.sequence DESC LIMIT 1"
            )
            self._cursor = Cursor(row["txid"], row["position"]) if row else Cursor()
            self._last_sequence = row["sequence"] if row else 0
        row = await on.fetchrow(
            _NUMBER_NEXT,
            str(self._cursor.txid),
            self._cursor.position,
            self.batch_size,
            self._last_sequence,
        )
        if row is None or not row["n"]:
            return 0
        self._last_sequence = row["last"]
        self._cursor = Cursor(row["txid"], row["position"])
        return int(row["n"])
