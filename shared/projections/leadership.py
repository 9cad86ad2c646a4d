"""Which process runs a projection: the one holding its leader lock, a session advisory
lock taken on one connection per pool that every runner of the process shares (a
service has up to five projections: a connection each would hold half its pool). The
connection is checked, so its loss is noticed; the others poll until the lock is free."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import time
from typing import ClassVar

import asyncpg
import structlog
from asyncpg.pool import PoolConnectionProxy

log = structlog.get_logger()

# Errors that mean the database (or the way to it) is away for now, not a bug.
DATABASE_UNAVAILABLE: tuple[type[BaseException], ...] = (
    asyncpg.PostgresConnectionError,
    asyncpg.exceptions.OperatorInterventionError,
    asyncpg.exceptions.InsufficientResourcesError,
    asyncpg.InterfaceError,
    OSError,
    TimeoutError,
)


class LeadershipLost(Exception):
    """The connection holding a projection's leader lock went away (the lock with it)."""


def lock_key(purpose: str, projection: str) -> int:
    """A stable advisory-lock key for a projection and a purpose (a signed 64-bit int)."""
    digest = hashlib.blake2b(f"{purpose}:{projection}".encode(), digest_size=8)
    return int.from_bytes(digest.digest(), "big", signed=True)


class LeaderSession:
    """The leader locks this process holds on one pool's database, on one connection."""

    _sessions: ClassVar[dict[int, LeaderSession]] = {}

    def __init__(self, pool: asyncpg.Pool) -> None:
        self.pool = pool
        self._conn: PoolConnectionProxy[asyncpg.Record] | None = None
        self._held: dict[int, object] = {}
        self._lock = asyncio.Lock()
        self._checked_at = 0.0

    @classmethod
    def of(cls, pool: asyncpg.Pool) -> LeaderSession:
        """The session of this pool (made on first use, dropped when it holds nothing)."""
        session = cls._sessions.get(id(pool))
        if session is None or session.pool is not pool:
            session = cls._sessions[id(pool)] = cls(pool)
        return session

    async def try_lead(self, key: int, owner: object) -> bool:
        """Take the lock for `owner` unless another process, or another owner in this
        one, holds it; whether `owner` holds it now."""
        async with self._lock:
            if key in self._held:
                return self._held[key] is owner
            try:
                if self._conn is None:
                    self._conn = await self.pool.acquire()
                is_taken = await self._conn.fetchval(
                    "SELECT pg_try_advisory_lock($1)", key
                )
            except BaseException:
                await self._drop()
                raise
            if is_taken:
                self._held[key] = owner
                self._checked_at = time.monotonic()
            elif not self._held:
                await self._give_back()
            return bool(is_taken)

    async def check(self, key: int, owner: object, *, every: float) -> None:
        """Raise `LeadershipLost` unless `owner` still holds the lock; the connection is
        asked at most once per `every` seconds (by any owner)."""
        if self._held.get(key) is not owner:
            raise LeadershipLost("the leader lock is no longer held")
        if time.monotonic() - self._checked_at < every:
            return
        async with self._lock:
            if self._held.get(key) is not owner or self._conn is None:
                raise LeadershipLost("the leader lock is no longer held")
            try:
                await asyncio.wait_for(self._conn.fetchval("SELECT 1"), every + 5.0)
            except DATABASE_UNAVAILABLE as exc:
                log.warning(
                    "projection_leader_connection_lost", error=type(exc).__name__
                )
                await self._drop()
                raise LeadershipLost("the leader lock's connection was lost") from exc
            self._checked_at = time.monotonic()

    async def resign(self, key: int, owner: object) -> None:
        """Release the lock if `owner` holds it (a standby elsewhere takes over)."""
        if self._held.get(key) is not owner:
            return
        try:
            async with self._lock:
                # Another owner may have found the connection lost meanwhile, and
                # dropped it with every lock on it: then there is nothing to release.
                if self._held.pop(key, None) is not owner or self._conn is None:
                    return
                await self._conn.execute("SELECT pg_advisory_unlock($1)", key)
                if not self._held:
                    await self._give_back()
        except BaseException:
            # Cancelled or failed half-way: the lock may still be held on the session.
            # Closing the connection is the one sure way to release it (and the other
            # owners' locks: they notice at their next check and stand again).
            await self._drop()
            raise

    async def _give_back(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            await self.pool.release(conn)
        if self._sessions.get(id(self.pool)) is self:
            del self._sessions[id(self.pool)]

    async def _drop(self) -> None:
        conn, self._conn = self._conn, None
        self._held.clear()
        if self._sessions.get(id(self.pool)) is self:
            del self._sessions[id(self.pool)]
        if conn is None:
            return
        # Either may fail on a connection already lost; the pool then replaces it.
        with contextlib.suppress(Exception):
            conn.terminate()
        try:
            await self.pool.release(conn)
        except Exception as exc:
            log.warning("leader_connection_release_failed", error=type(exc).__name__)
