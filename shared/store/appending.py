"""Appending to the event store: expected version, command ids, the hash chain."""

from __future__ import annotations

import contextlib
import time
import uuid
from collections.abc import AsyncIterator, Callable, Sequence
from datetime import UTC, datetime
from typing import Any

import asyncpg

from shared import metrics
from shared.business_date import Backdating
from shared.chain import GENESIS, run_signer
from shared.db import DbConnection
from shared.domain import Event
from shared.errors import ConcurrencyConflict
from shared.personal_data import PersonalVault, contains_clear_text
from shared.signatures import KeySigner
from shared.store.records import Appended, EventMetadata, first_result
from shared.store.rows import insert_parameters
from shared.store.statements import INSERT_EVENTS
from shared.store.tags import TagChecker, WriterTags
from shared.trust import Jwk, Jwks


def _utc_now() -> datetime:
    return datetime.now(UTC)


@contextlib.asynccontextmanager
async def _savepoint(conn: DbConnection | None) -> AsyncIterator[None]:
    # Within a caller's transaction a refused statement would abort it; under a
    # savepoint the transaction stays usable to look up the first result or version.
    if conn is not None and conn.is_in_transaction():
        async with conn.transaction():
            yield
    else:
        yield


class Appending:
    """The event store's writing half (`EventStore` adds the reads): all or nothing at
    an expected version, a repeated command id answered with its first result, events
    chained by hash and each hash signed by `signer` (the writer tag: a row inserted
    without the key shows in `verify` and is never published); with a vault, personal
    data stored sealed; each event marked with its business date and whether it is
    back-dated by `backdating` (the service's TIMEZONE and BACKDATED_AFTER_DAYS; the
    defaults without). Without a signer, a key made for this process signs (tests and
    tools): a service always passes the key it is configured with."""

    def __init__(
        self,
        pool: asyncpg.Pool,
        *,
        clock: Callable[[], datetime] = _utc_now,
        vault: PersonalVault | None = None,
        signer: KeySigner | None = None,
        retired: tuple[Jwk, ...] = (),
        backdating: Backdating | None = None,
    ) -> None:
        self.pool = pool
        self.backdating = Backdating() if backdating is None else backdating
        self.vault = vault
        self.signer = run_signer() if signer is None else signer
        # What this service's tags verify with: its key now and the keys it signed
        # with before (published at /.well-known/jwks.json; the relay checks with it).
        self.writer_keys = Jwks.of_signers(self.signer, retired)
        self._tags = WriterTags(self.signer)
        self._clock = clock
        self._on_append: list[Callable[[], None]] = []

    def tag_checker(self) -> TagChecker:
        """What checks this service's writer tags (the relay's sequencer)."""
        return self._tags.checker(self.writer_keys)

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
        parameters = insert_parameters(
            stream_id,
            events,
            datas,
            current,
            prevhash,
            metadata,
            self._clock(),
            self._tags,
            self.backdating,
        )
        try:
            # A duplicate command id or a taken version aborts the whole statement.
            async with _savepoint(conn):
                position = await (conn or self.pool).fetchval(
                    f"WITH ins AS ({INSERT_EVENTS}),"  # noqa: S608 - constant SQL
                    " cmd AS (INSERT INTO commands (command_id, stream_id, digest,"
                    " first_version, last_version, last_position) SELECT $8::uuid,"
                    " $2::text, $11::text, $12::int, $13::int,"
                    " (SELECT max(position) FROM ins) WHERE $8::uuid IS NOT NULL)"
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
        return None if row is None else first_result(row, command_id, stream_id, digest)

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
        return first_result(row, metadata.command_id, stream_id, digest or "")

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
        parameters = insert_parameters(
            stream_id,
            events,
            datas,
            current,
            prevhash,
            metadata,
            self._clock(),
            self._tags,
            self.backdating,
        )
        try:
            positions = await conn.fetch(INSERT_EVENTS, *parameters)
        except asyncpg.UniqueViolationError as exc:
            # Another writer took the same version between our read and our insert.
            raise ConcurrencyConflict(stream_id, current, current + 1) from exc
        return Appended(
            stream=stream_id,
            version=current + len(events),
            position=max(r["position"] for r in positions),
        )

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
