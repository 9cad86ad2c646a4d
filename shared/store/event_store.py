"""The event store: what `Appending` writes, read back by stream and in commit order."""

from __future__ import annotations

import uuid
from datetime import datetime

from shared.db import DbConnection
from shared.store.appending import Appending
from shared.store.records import Cursor, Recorded, Snapshot, StoredEvent, recorded_from
from shared.store.statements import COLUMNS, LOAD_WITH_SNAPSHOT, WITH_SEQUENCE


class EventStore(Appending):
    """One service's event log in its own PostgreSQL database; with a vault, personal
    data in the events is stored sealed (never decrypted on read: see `vault.reveal`)."""

    async def command_stream(
        self, command_id: uuid.UUID, *, conn: DbConnection | None = None
    ) -> str | None:
        """The stream a command id was first used on (None if never used)."""
        value = await (conn or self.pool).fetchval(
            "SELECT stream_id FROM commands WHERE command_id = $1", command_id
        )
        return None if value is None else str(value)

    async def load(
        self,
        stream_id: str,
        *,
        after_version: int = 0,
        conn: DbConnection | None = None,
    ) -> list[Recorded]:
        """The stream's events in version order (what an aggregate is rebuilt from)."""
        rows = await (conn or self.pool).fetch(
            f"SELECT {COLUMNS} FROM events e"  # noqa: S608 - constant columns
            " WHERE e.stream_id = $1 AND e.version > $2 ORDER BY e.version",
            stream_id,
            after_version,
        )
        return [recorded_from(r) for r in rows]

    async def load_latest(
        self, stream_id: str, fingerprint: str, *, conn: DbConnection | None = None
    ) -> tuple[Snapshot | None, list[StoredEvent]]:
        """The stream's snapshot taken with this fingerprint (if any) and its events
        after it, in version order: one round trip (on `conn` when given)."""
        rows = await (conn or self.pool).fetch(
            LOAD_WITH_SNAPSHOT, stream_id, fingerprint
        )
        snapshot = None
        if rows and rows[0][5] is not None:
            first, rows = rows[0], rows[1:]
            snapshot = Snapshot(first[0], first[4], first[5])
        return snapshot, [StoredEvent(r[0], r[1], r[2], r[3], r[4]) for r in rows]

    async def save_snapshot(
        self,
        stream_id: str,
        fingerprint: str,
        snapshot: Snapshot,
        *,
        conn: DbConnection | None = None,
    ) -> None:
        """Keep the stream's state at a version (a later one replaces an earlier)."""
        await (conn or self.pool).execute(
            "INSERT INTO snapshots (stream_id, version, hash, fingerprint, state)"
            " VALUES ($1, $2, $3, $4, $5) ON CONFLICT (stream_id) DO UPDATE"
            " SET version = excluded.version, hash = excluded.hash,"
            " fingerprint = excluded.fingerprint, state = excluded.state, taken_at = now()"
            " WHERE snapshots.version < excluded.version"
            " OR snapshots.fingerprint <> excluded.fingerprint",
            stream_id,
            snapshot.version,
            snapshot.hash,
            fingerprint,
            snapshot.state,
        )

    async def history(
        self, stream_id: str, *, as_of: datetime | None = None
    ) -> list[Recorded]:
        """The stream's events (recorded by `as_of` if given) with their place in the
        published order, for people and other systems to read; without the events the
        relay refused as unauthenticated (they were never published either)."""
        rows = await self.pool.fetch(
            f"{WITH_SEQUENCE} WHERE e.stream_id = $1"  # noqa: S608 - constant SQL
            " AND ($2::timestamptz IS NULL OR e.recorded_at <= $2)"
            " AND NOT EXISTS (SELECT 1 FROM unauthenticated_events u"
            " WHERE u.position = e.position) ORDER BY e.version",
            stream_id,
            as_of,
        )
        return [recorded_from(r) for r in rows]

    async def load_as_of(self, stream_id: str, moment: datetime) -> list[Recorded]:
        """The stream's events recorded at or before `moment`, in version order."""
        return await self.history(stream_id, as_of=moment)

    async def read_all(
        self, after: Cursor = Cursor(), *, limit: int = 1000
    ) -> list[Recorded]:
        """Committed events after the cursor in commit order; never skips one that
        commits late, because it stops below the oldest transaction still running."""
        rows = await self.pool.fetch(
            f"SELECT {COLUMNS} FROM events e"  # noqa: S608 - constant columns
            " WHERE (e.txid, e.position) > ($1::text::xid8, $2)"
            " AND e.txid < pg_snapshot_xmin(pg_current_snapshot())"
            " ORDER BY e.txid, e.position LIMIT $3",
            str(after.txid),
            after.position,
            limit,
        )
        return [recorded_from(r) for r in rows]

    async def read_sequenced(
        self, after_sequence: int = 0, *, limit: int = 1000
    ) -> list[Recorded]:
        """Events in published order (the relay's contiguous sequence) after a sequence."""
        rows = await self.pool.fetch(
            f"SELECT {COLUMNS}, s.sequence FROM event_sequence s"  # noqa: S608 - constant columns
            " JOIN events e ON e.position = s.position"
            " WHERE s.sequence > $1 ORDER BY s.sequence LIMIT $2",
            after_sequence,
            limit,
        )
        return [recorded_from(r) for r in rows]
