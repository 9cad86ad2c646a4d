"""Connection pools and migrations for a service's own database."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import asyncpg
from asyncpg.exceptions import (
    AdminShutdownError,
    CannotConnectNowError,
    CrashShutdownError,
    PostgresConnectionError,
    QueryCanceledError,
    TooManyConnectionsError,
)
from asyncpg.pool import PoolAcquireContext, PoolConnectionProxy

# A connection taken from a pool, or a plain one: both run the same queries.
DbConnection = asyncpg.Connection | PoolConnectionProxy

KERNEL_MIGRATIONS = Path(str(resources.files("shared") / "migrations"))

# One lock key for every migration run, so two processes never migrate at once.
_MIGRATION_LOCK = 7_346_001
# A migration may wait for another process's, and rewrite a large table: no time limit.
_MIGRATION_TIMEOUT = 24 * 3600.0

# What a database that is away, restarting, full or too slow raises: the service is
# unavailable for now (503, a loop retries), not broken. A connection lost (08…), a
# server shutting down or not yet accepting (57P01-3), no connection slot left (53300),
# a statement past `statement_timeout` (57014), a refused or reset socket, a pool or
# command timeout.
UNAVAILABLE: tuple[type[Exception], ...] = (
    PostgresConnectionError,
    AdminShutdownError,
    CrashShutdownError,
    CannotConnectNowError,
    TooManyConnectionsError,
    QueryCanceledError,
    OSError,
    TimeoutError,
)


def is_unavailable(error: BaseException) -> bool:
    """Whether the error says the database is away or too slow, not that code is wrong."""
    return isinstance(error, UNAVAILABLE) or _is_closed_connection(error)


def _is_closed_connection(error: BaseException) -> bool:
    # A connection lost between the pool's check and its use, or while a holder kept
    # it idle (asyncpg hands a lost connection back to the pool itself): asyncpg has no
    # class of its own for these, only the messages.
    return isinstance(error, asyncpg.InterfaceError) and any(
        words in str(error) for words in _CLOSED_CONNECTION
    )


_CLOSED_CONNECTION = ("connection is closed", "released back to the pool")


class BoundedPool(asyncpg.Pool):
    """A pool whose every acquire, its own shortcuts' (`pool.fetch`…) included, waits
    at most `acquire_timeout` seconds: asyncpg's default is to wait for ever, and a
    request then hangs while the database is away."""

    __slots__ = ("_acquire_timeout",)

    def __init__(
        self, *args: Any, acquire_timeout: float | None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self._acquire_timeout = acquire_timeout

    def acquire(self, *, timeout: float | None = None) -> PoolAcquireContext:
        """A connection within `timeout`, or the pool's acquire timeout."""
        return super().acquire(timeout=timeout or self._acquire_timeout)


async def _init_connection(conn: asyncpg.Connection) -> None:
    await conn.set_type_codec(
        "jsonb", encoder=json.dumps, decoder=json.loads, schema="pg_catalog"
    )
    await conn.set_type_codec(
        "json", encoder=json.dumps, decoder=json.loads, schema="pg_catalog"
    )


async def create_pool(
    dsn: str,
    *,
    min_size: int = 2,
    max_size: int = 10,
    acquire_timeout: float | None = None,
    statement_timeout: float | None = None,
) -> asyncpg.Pool:
    """A pool whose connections decode json/jsonb to Python values; with timeouts, a
    connection is had (connected, if need be) within `acquire_timeout` seconds and a
    statement answers within `statement_timeout` or raises (`UNAVAILABLE` both)."""
    limits: dict[str, Any] = {}
    if statement_timeout is not None:
        # The client stops waiting, and the server stops working, at the same time.
        limits["command_timeout"] = statement_timeout
        limits["server_settings"] = {
            "statement_timeout": str(int(statement_timeout * 1000)),
            # A client cut off mid-transaction (a network partition) must not hold
            # its locks — a year's counter row, a leader lock — until TCP notices,
            # hours later: the server ends such a session itself.
            "idle_in_transaction_session_timeout": str(
                int(max(2 * statement_timeout, 10.0) * 1000)
            ),
            "tcp_keepalives_idle": "30",
            "tcp_keepalives_interval": "10",
            "tcp_keepalives_count": "3",
        }
    if acquire_timeout is not None:
        limits["timeout"] = acquire_timeout  # asyncpg connects within 60 s otherwise
    # The arguments `asyncpg.create_pool` gives its `Pool`, for a pool that bounds
    # acquiring too.
    pool = BoundedPool(
        dsn,
        acquire_timeout=acquire_timeout,
        min_size=min_size,
        max_size=max_size,
        max_queries=50_000,
        max_inactive_connection_lifetime=300.0,
        init=_init_connection,
        reset=_keep_session,
        setup=None,
        connect=None,
        loop=None,
        connection_class=asyncpg.Connection,
        record_class=asyncpg.Record,
        **limits,
    )
    await pool
    return pool


async def _keep_session(conn: asyncpg.Connection) -> None:
    # asyncpg's default reset costs a round trip on every release. Our connections keep
    # no session state: advisory locks are released where taken, settings are LOCAL.
    return None


def role_of(database_url: str) -> str | None:
    """The role a database URL connects as (`None`: the client's default)."""
    user = urlsplit(database_url).username
    return unquote(user) if user else None


def runtime_role(database_url: str, migration_url: str | None) -> str | None:
    """The role to grant the runtime privileges to: the one `database_url` connects as,
    when migrations connect as another (the owner); `None` when there is no owner."""
    if migration_url is None:
        return None
    runtime = role_of(database_url)
    return runtime if runtime not in (None, role_of(migration_url)) else None


async def is_superuser(pool: asyncpg.Pool) -> bool:
    """Whether the pool connects as a superuser (who could switch the triggers off)."""
    return bool(
        await pool.fetchval(
            "SELECT rolsuper FROM pg_roles WHERE rolname = current_user"
        )
    )


async def migrate_as_owner(
    migration_url: str, *directories: Path, runtime_role: str | None
) -> list[str]:
    """Migrate on a connection of the owner's, held only while migrating; then grant
    `runtime_role` what a service needs and nothing more (008_runtime_role.sql)."""
    pool = await create_pool(migration_url, min_size=1, max_size=1)
    try:
        return await migrate(pool, *directories, runtime_role=runtime_role)
    finally:
        await pool.close()


async def migrate(
    pool: asyncpg.Pool, *directories: Path, runtime_role: str | None = None
) -> list[str]:
    """Apply the kernel's and the given folders' `NNN_*.sql` files once each, in order;
    with `runtime_role`, grant that role exactly the runtime privileges afterwards. A
    runtime role may call it on an up-to-date database: it then changes nothing."""
    async with pool.acquire() as conn:
        # Session-wide, undone below: the pool's connections keep their session.
        await conn.execute("SET statement_timeout = 0")
        await conn.execute(
            "SELECT pg_advisory_lock($1)", _MIGRATION_LOCK, timeout=_MIGRATION_TIMEOUT
        )
        try:
            applied = await _apply(conn, (KERNEL_MIGRATIONS, *directories))
            if runtime_role is not None:
                # Under the lock: two GRANTs on one table at once fail in PostgreSQL.
                await conn.execute("SELECT qingqian_grant_runtime($1)", runtime_role)
        finally:
            await conn.execute("SELECT pg_advisory_unlock($1)", _MIGRATION_LOCK)
            await conn.execute("RESET statement_timeout")
    return applied


async def _apply(conn: DbConnection, directories: tuple[Path, ...]) -> list[str]:
    # Made only when missing: even `CREATE TABLE IF NOT EXISTS` needs the right to
    # create, which a runtime role checking an up-to-date database does not have.
    if await conn.fetchval("SELECT to_regclass('schema_migrations')") is None:
        await conn.execute(
            "CREATE TABLE schema_migrations ("
            " name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())"
        )
    done = {r["name"] for r in await conn.fetch("SELECT name FROM schema_migrations")}
    applied: list[str] = []
    for directory in directories:
        for path in sorted(directory.glob("*.sql")):
            name = f"{directory.parent.name}/{path.name}"
            if name in done:
                continue
            async with conn.transaction():
                await conn.execute(
                    path.read_text(encoding="utf-8"), timeout=_MIGRATION_TIMEOUT
                )
                await conn.execute(
                    "INSERT INTO schema_migrations (name) VALUES ($1)", name
                )
            applied.append(name)
    return applied
