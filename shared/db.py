"""Connection pools and migrations for a service's own database."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import asyncpg
from asyncpg.pool import PoolConnectionProxy

# A connection taken from a pool, or a plain one: both run the same queries.
DbConnection = asyncpg.Connection | PoolConnectionProxy

KERNEL_MIGRATIONS = Path(str(resources.files("shared") / "migrations"))

# One lock key for every migration run, so two processes never migrate at once.
_MIGRATION_LOCK = 7_346_001


async def _init_connection(conn: asyncpg.Connection) -> None:
    await conn.set_type_codec(
        "jsonb", encoder=json.dumps, decoder=json.loads, schema="pg_catalog"
    )
    await conn.set_type_codec(
        "json", encoder=json.dumps, decoder=json.loads, schema="pg_catalog"
    )


async def create_pool(
    dsn: str, *, min_size: int = 2, max_size: int = 10
) -> asyncpg.Pool:
    """A pool whose connections decode json/jsonb to Python values."""
    return await asyncpg.create_pool(
        dsn,
        min_size=min_size,
        max_size=max_size,
        init=_init_connection,
        reset=_keep_session,
    )


async def _keep_session(conn: asyncpg.Connection) -> None:
    # asyncpg's default reset costs a round trip on every release. Our connections keep
    # no session state: advisory locks are released where taken, settings are LOCAL.
    return None


async def migrate(pool: asyncpg.Pool, *directories: Path) -> list[str]:
    """Apply the kernel's and the given folders' `NNN_*.sql` files once each, in order."""
    applied: list[str] = []
    async with pool.acquire() as conn:
        await conn.execute("SELECT pg_advisory_lock($1)", _MIGRATION_LOCK)
        try:
            await conn.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations ("
                " name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())"
            )
            done = {
                r["name"]
                for r in await conn.fetch("SELECT name FROM schema_migrations")
            }
            for directory in (KERNEL_MIGRATIONS, *directories):
                for path in sorted(directory.glob("*.sql")):
                    name = f"{directory.parent.name}/{path.name}"
                    if name in done:
                        continue
                    async with conn.transaction():
                        await conn.execute(path.read_text(encoding="utf-8"))
                        await conn.execute(
                            "INSERT INTO schema_migrations (name) VALUES ($1)", name
                        )
                    applied.append(name)
        finally:
            await conn.execute("SELECT pg_advisory_unlock($1)", _MIGRATION_LOCK)
    return applied
