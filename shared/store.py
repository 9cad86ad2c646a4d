"""The event store: append with expected version and command id, load, read in commit order."""

from __future__ import annotations

import contextlib
import json
import time
import uuid
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import asyncpg
from pydantic import BaseModel

from shared import metrics
from shared.chain import GENESIS, event_hash
from shared.db import DbConnection
from shared.domain import Event
from shared.errors import ConcurrencyConflict, IdempotencyKeyReused
from shared.personal_data import PersonalVault, contains_clear_text

_COLUMNS = (
    "e.position, e.txid::text::bigint AS txid, e.event_id, e.stream_id, e.version,"
    " e.event_type, e.schema_version, e.data, e.actor, e.actor_unit, e.correlation_id,"
    " e.causation_id, e.command_id, e.recorded_at, e.prevhash, e.hash"
)
# The rows one append writes: what differs per event travels as one JSON array (one
# parameter, parsed by PostgreSQL) and what every event shares as plain parameters —
# fifteen array parameters cost the client an `isinstance` per element to encode.
_INSERT_EVENTS = (
    "INSERT INTO events (event_id, stream_id, category, version, event_type,"
    " schema_version, data, actor, actor_unit, correlation_id, causation_id,"
    " command_id, recorded_at, prevhash, hash)"
    " SELECT u.e, $2::text, $3::text, u.v, u.t, u.sv, u.d, $4::text, $5::text, $6::text,"
    " $7::text, $8::uuid, $9::timestamptz, u.p, u.h"
    " FROM json_to_recordset($1::text::json)"
    " AS u(e uuid, v int, t text, sv int, d jsonb, p text, h text)"
    " ORDER BY u.v RETURNING position"
)

# A stream's snapshot (if its fingerprint matches) and the events after it, in one
# read of only what replay needs; event data stays JSON text, which the event classes
# parse themselves (faster than decoding to dicts first).
_LOAD_WITH_SNAPSHOT = (
    "WITH s AS (SELECT version, hash, state FROM snapshots"
    " WHERE stream_id = $1 AND fingerprint = $2)"
    " SELECT s.version, NULL::text AS event_type, NULL::int AS schema_version,"
    " NULL::text AS data, s.hash, s.state AS snapshot FROM s"
    " UNION ALL SELECT e.version, e.event_type, e.schema_version, e.data::text,"
    " e.hash, NULL::jsonb FROM events e"
    " WHERE e.stream_id = $1 AND e.version > coalesce((SELECT version FROM s), 0)"
    " ORDER BY version"
)

# Stream reads also say where each event stands in the published order, once it does.
_WITH_SEQUENCE = (
    f"SELECT {_COLUMNS}, s.sequence FROM events e"  # noqa: S608 - constant columns
    " LEFT JOIN event_sequence s ON s.position = e.position"
)


@dataclass(frozen=True)
class EventMetadata:
    """Who did it and why: copied into every event the command appends."""

    actor: str
    actor_unit: str
    correlation_id: str
    causation_id: str | None = None
    command_id: uuid.UUID | None = None


@dataclass(frozen=True)
class Recorded:
    """An event as stored, with its envelope fields."""

    position: int
    txid: int
    event_id: uuid.UUID
    stream_id: str
    version: int
    event_type: str
    schema_version: int
    data: dict[str, Any]
    actor: str
    actor_unit: str
    correlation_id: str
    causation_id: str | None
    command_id: uuid.UUID | None
    recorded_at: datetime
    prevhash: str
    hash: str
    sequence: int | None = None

    @property
    def category(self) -> str:
        """Text before the first `-` of the stream id."""
        return self.stream_id.split("-", 1)[0]


@dataclass(frozen=True, slots=True)
class StoredEvent:
    """An event as replay needs it: type, schema version and data as the stored JSON
    text; and the version and hash it leaves its stream at."""

    version: int
    event_type: str
    schema_version: int
    data_json: str
    hash: str


@dataclass(frozen=True)
class Snapshot:
    """A stream's state at `version`, whose last event has `hash`."""

    version: int
    hash: str
    state: dict[str, Any]


class Appended(BaseModel):
    """The result of a command: the stream's new version and the last event's position."""

    stream: str
    version: int
    position: int | None


@dataclass(frozen=True, order=True)
class Cursor:
    """A place in commit order: (transaction id, position)."""

    txid: int = 0
    position: int = 0


def _recorded(row: asyncpg.Record) -> Recorded:
    return Recorded(
        position=row["position"],
        txid=row["txid"],
        event_id=row["event_id"],
        stream_id=row["stream_id"],
        version=row["version"],
        event_type=row["event_type"],
        schema_version=row["schema_version"],
        data=row["data"],
        actor=row["actor"],
        actor_unit=row["actor_unit"],
        correlation_id=row["correlation_id"],
        causation_id=row["causation_id"],
        command_id=row["command_id"],
        recorded_at=row["recorded_at"],
        prevhash=row["prevhash"],
        hash=row["hash"],
        sequence=row.get("sequence"),
    )


def _first_result(
    row: asyncpg.Record, command_id: uuid.UUID, stream_id: str, digest: str
) -> Appended:
    if row["stream_id"] != stream_id or row["digest"] != digest:
        raise IdempotencyKeyReused(str(command_id))
    return Appended(
        stream=stream_id, version=row["last_version"], position=row["last_position"]
    )


# Non-ASCII text goes as it is (shorter than \u escapes, and PostgreSQL parses either).
_ROWS_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def _utc_now() -> datetime:
    return datetime.now(UTC)


class EventStore:
    """One service's event log in its own PostgreSQL database; with a vault, personal
    data in the events is stored sealed (never decrypted on read: see `vault.reveal`)."""

    def __init__(
        self,
        pool: asyncpg.Pool,
        *,
        clock: Callable[[], datetime] = _utc_now,
        vault: PersonalVault | None = None,
    ) -> None:
        self.pool = pool
        self.vault = vault
        self._clock = clock
        self._on_append: list[Callable[[], None]] = []

    def on_append(self, callback: Callable[[], None]) -> None:
        """Call `callback` after each append that wrote events (the relay wakes up
        instead of waiting for its next poll)."""
        self._on_append.append(callback)

    async def append(
        self,
        stream_id: str,
        events: Sequence[Event],
        *,
        expected_version: int,
        metadata: EventMetadata,
        command_digest: str | None = None,
        prevhash: str | None = None,
        conn: DbConnection | None = None,
    ) -> Appended:
        """Appends all or nothing at `expected_version`; a repeated command id with the
        same digest returns the first result and writes nothing, with another digest
        raises IdempotencyKeyReused; another writer first raises ConcurrencyConflict.
        Given the hash of the event at `expected_version` (as `load` returned it), events
        without personal data go in one statement: one round trip. On `conn` when given
        (the connection the command loaded on), else on one from the pool."""
        started = time.perf_counter()
        datas = [event.model_dump(mode="json") for event in events]
        if prevhash is not None and not any(contains_clear_text(d) for d in datas):
            appended = await self._append_in_one_statement(
                conn,
                stream_id,
                events,
                datas,
                expected_version,
                prevhash,
                metadata,
                command_digest or "",
            )
        else:
            appended = await self._append_in_transaction(
                conn, stream_id, events, expected_version, metadata, command_digest
            )
        metrics.APPEND_SECONDS.observe(time.perf_counter() - started)
        metrics.EVENTS_APPENDED.inc(len(events))
        if events:
            for callback in self._on_append:
                callback()
        return appended

    async def _append_in_transaction(
        self,
        given: DbConnection | None,
        stream_id: str,
        events: Sequence[Event],
        expected_version: int,
        metadata: EventMetadata,
        command_digest: str | None,
    ) -> Appended:
        async with self._connection(given) as conn, conn.transaction():
            if metadata.command_id is not None:
                first = await self._claim_command(
                    conn, stream_id, metadata, command_digest
                )
                if first is not None:
                    return first
            head = await conn.fetchrow(
                "SELECT version, hash FROM events WHERE stream_id = $1"
                " ORDER BY version DESC LIMIT 1",
                stream_id,
            )
            current = head["version"] if head else 0
            if current != expected_version:
                raise ConcurrencyConflict(stream_id, expected_version, current)
            appended = await self._insert(
                conn,
                stream_id,
                events,
                current,
                head["hash"] if head else GENESIS,
                metadata,
            )
            if metadata.command_id is not None:
                await conn.execute(
                    "UPDATE commands SET first_version = $2, last_version = $3,"
                    " last_position = $4 WHERE command_id = $1",
                    metadata.command_id,
                    current + 1 if events else current,
                    appended.version,
                    appended.position,
                )
        return appended

    async def _append_in_one_statement(
        self,
        conn: DbConnection | None,
        stream_id: str,
        events: Sequence[Event],
        datas: list[dict[str, Any]],
        current: int,
        prevhash: str,
        metadata: EventMetadata,
        digest: str,
    ) -> Appended:
        parameters = self._rows(stream_id, events, datas, current, prevhash, metadata)
        try:
            # A duplicate command id or a taken version aborts the whole statement.
            position = await (conn or self.pool).fetchval(
                f"WITH ins AS ({_INSERT_EVENTS}),"  # noqa: S608 - constant SQL
                " cmd AS (INSERT INTO commands (command_id, stream_id, digest, first_version,"
                " last_version, last_position) SELECT $8::uuid, $2::text, $10::text,"
                " $11::int, $12::int, (SELECT max(position) FROM ins) WHERE $8::uuid IS NOT NULL)"
                " SELECT max(position) FROM ins",
                *parameters,
                digest,
                current + 1 if events else current,
                current + len(events),
            )
        except asyncpg.UniqueViolationError as exc:
            if (
                exc.constraint_name == "commands_pkey"
                and metadata.command_id is not None
            ):
                first = await self.find_command(
                    metadata.command_id, stream_id, digest, conn=conn
                )
                assert first is not None  # noqa: S101 - the conflicting row is committed
                return first
            raise ConcurrencyConflict(
                stream_id, current, await self.version(stream_id, conn=conn)
            ) from exc
        return Appended(
            stream=stream_id, version=current + len(events), position=position
        )

    @contextlib.asynccontextmanager
    async def _connection(
        self, given: DbConnection | None
    ) -> AsyncIterator[DbConnection]:
        if given is not None:
            yield given
        else:
            async with self.pool.acquire() as conn:
                yield conn

    async def find_command(
        self,
        command_id: uuid.UUID,
        stream_id: str,
        digest: str,
        *,
        conn: DbConnection | None = None,
    ) -> Appended | None:
        """The first result of a command id already handled (None if new); raises
        IdempotencyKeyReused when that id was used for another command."""
        row = await (conn or self.pool).fetchrow(
            "SELECT stream_id, digest, last_version, last_position FROM commands"
            " WHERE command_id = $1",
            command_id,
        )
        return (
            None if row is None else _first_result(row, command_id, stream_id, digest)
        )

    async def command_stream(self, command_id: uuid.UUID) -> str | None:
        """The stream a command id was first used on (None if never used)."""
        value = await self.pool.fetchval(
            "SELECT stream_id FROM commands WHERE command_id = $1", command_id
        )
        return None if value is None else str(value)

    async def _claim_command(
        self,
        conn: DbConnection,
        stream_id: str,
        metadata: EventMetadata,
        digest: str | None,
    ) -> Appended | None:
        # Inserting first makes a concurrent duplicate wait here until we commit.
        claimed = await conn.fetchval(
            "INSERT INTO commands (command_id, stream_id, digest, first_version,"
            " last_version) VALUES ($1, $2, $3, 0, 0)"
            " ON CONFLICT (command_id) DO NOTHING RETURNING command_id",
            metadata.command_id,
            stream_id,
            digest or "",
        )
        if claimed is not None:
            return None
        row = await conn.fetchrow(
            "SELECT stream_id, digest, last_version, last_position FROM commands"
            " WHERE command_id = $1",
            metadata.command_id,
        )
        assert row is not None  # noqa: S101 - the conflicting row is committed
        assert metadata.command_id is not None  # noqa: S101 - only called with one
        return _first_result(row, metadata.command_id, stream_id, digest or "")

    async def _insert(
        self,
        conn: DbConnection,
        stream_id: str,
        events: Sequence[Event],
        current: int,
        prevhash: str,
        metadata: EventMetadata,
    ) -> Appended:
        if not events:
            return Appended(stream=stream_id, version=current, position=None)
        datas = await self._stored_data(conn, events)
        parameters = self._rows(stream_id, events, datas, current, prevhash, metadata)
        try:
            positions = await conn.fetch(_INSERT_EVENTS, *parameters)
        except asyncpg.UniqueViolationError as exc:
            # Another writer took the same version between our read and our insert.
            raise ConcurrencyConflict(stream_id, current, current + 1) from exc
        return Appended(
            stream=stream_id,
            version=current + len(events),
            position=max(r["position"] for r in positions),
        )

    def _rows(
        self,
        stream_id: str,
        events: Sequence[Event],
        datas: Sequence[dict[str, Any]],
        current: int,
        prevhash: str,
        metadata: EventMetadata,
    ) -> list[Any]:
        """`_INSERT_EVENTS`'s parameters: the events hash-chained from `prevhash`, as
        one JSON array, and what they share."""
        now = self._clock()
        rows: list[dict[str, Any]] = []
        for offset, (event, data) in enumerate(zip(events, datas, strict=True), 1):
            event_id = str(uuid.uuid4())
            digest = event_hash(
                event_id=event_id,
                stream_id=stream_id,
                version=current + offset,
                event_type=event.event_type(),
                schema_version=event.schema_version,
                recorded_at=now,
                data=data,
                actor=metadata.actor,
                actor_unit=metadata.actor_unit,
                correlation_id=metadata.correlation_id,
                causation_id=metadata.causation_id,
                prevhash=prevhash,
            )
            rows.append(
                {
                    "e": event_id,
                    "v": current + offset,
                    "t": event.event_type(),
                    "sv": event.schema_version,
                    "d": data,
                    "p": prevhash,
                    "h": digest,
                }
            )
            prevhash = digest
        return [
            _ROWS_ENCODER.encode(rows),
            stream_id,
            stream_id.split("-", 1)[0],
            metadata.actor,
            metadata.actor_unit,
            metadata.correlation_id,
            metadata.causation_id,
            metadata.command_id,
            now,
        ]

    async def _stored_data(
        self, conn: DbConnection, events: Sequence[Event]
    ) -> list[dict[str, Any]]:
        # Sealed before hashing, so the chain covers the ciphertext and still verifies
        # after a forgotten person's key is deleted (DESIGN §2).
        datas = [event.model_dump(mode="json") for event in events]
        if self.vault is not None:
            return await self.vault.seal_events(conn, datas)
        if any(contains_clear_text(data) for data in datas):
            raise ValueError("personal data reached a store that has no PersonalVault")
        return datas

    async def version(self, stream_id: str, *, conn: DbConnection | None = None) -> int:
        """The stream's current version (0 when it has no events)."""
        value = await (conn or self.pool).fetchval(
            "SELECT coalesce(max(version), 0) FROM events WHERE stream_id = $1",
            stream_id,
        )
        return int(value)

    async def load(
        self,
        stream_id: str,
        *,
        after_version: int = 0,
        conn: DbConnection | None = None,
    ) -> list[Recorded]:
        """The stream's events in version order (what an aggregate is rebuilt from)."""
        rows = await (conn or self.pool).fetch(
            f"SELECT {_COLUMNS} FROM events e"  # noqa: S608 - constant columns
            " WHERE e.stream_id = $1 AND e.version > $2 ORDER BY e.version",
            stream_id,
            after_version,
        )
        return [_recorded(r) for r in rows]

    async def load_latest(
        self, stream_id: str, fingerprint: str, *, conn: DbConnection | None = None
    ) -> tuple[Snapshot | None, list[StoredEvent]]:
        """The stream's snapshot taken with this fingerprint (if any) and its events
        after it, in version order: one round trip (on `conn` when given)."""
        rows = await (conn or self.pool).fetch(
            _LOAD_WITH_SNAPSHOT, stream_id, fingerprint
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
        published order, for people and other systems to read."""
        rows = await self.pool.fetch(
            f"{_WITH_SEQUENCE} WHERE e.stream_id = $1"
            " AND ($2::timestamptz IS NULL OR e.recorded_at <= $2) ORDER BY e.version",
            stream_id,
            as_of,
        )
        return [_recorded(r) for r in rows]

    async def load_as_of(self, stream_id: str, moment: datetime) -> list[Recorded]:
        """The stream's events recorded at or before `moment`, in version order."""
        return await self.history(stream_id, as_of=moment)

    async def read_all(
        self, after: Cursor = Cursor(), *, limit: int = 1000
    ) -> list[Recorded]:
        """Committed events after the cursor in commit order; never skips one that
        commits late, because it stops below the oldest transaction still running."""
        rows = await self.pool.fetch(
            f"SELECT {_COLUMNS} FROM events e"  # noqa: S608 - constant columns
            " WHERE (e.txid, e.position) > ($1::text::xid8, $2)"
            " AND e.txid < pg_snapshot_xmin(pg_current_snapshot())"
            " ORDER BY e.txid, e.position LIMIT $3",
            str(after.txid),
            after.position,
            limit,
        )
        return [_recorded(r) for r in rows]

    async def read_sequenced(
        self, after_sequence: int = 0, *, limit: int = 1000
    ) -> list[Recorded]:
        """Events in published order (the relay's contiguous sequence) after a sequence."""
        rows = await self.pool.fetch(
            f"SELECT {_COLUMNS}, s.sequence FROM event_sequence s"  # noqa: S608 - constant columns
            " JOIN events e ON e.position = s.position"
            " WHERE s.sequence > $1 ORDER BY s.sequence LIMIT $2",
            after_sequence,
            limit,
        )
        return [_recorded(r) for r in rows]

    async def head_position(self) -> int:
        """The highest position handed out so far (0 for an empty log)."""
        return int(
            await self.pool.fetchval("SELECT coalesce(max(position), 0) FROM events")
        )
