"""Rebuilding a projection: asked of any process of the service, recorded in its
database where the process leading the projection finds it, run there (the read model
emptied, every topic replayed), and its state kept for operators."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

import asyncpg

from shared.projections.protocol import Projection

_KERNEL_TABLES = (
    "projection_offsets",
    "projection_streams",
    "projection_progress",
    "parked_events",
)


class RebuildState(StrEnum):
    """Where a rebuild asked of this runner stands."""

    NONE = "none"
    PENDING = "pending"
    RUNNING = "running"
    DONE = "done"


@dataclass
class Rebuild:
    """A rebuild as operators see it: pending, and what it waits for, until the process
    leading the projection runs it; then done, and when."""

    state: RebuildState = RebuildState.NONE
    requested_at: datetime | None = None
    finished_at: datetime | None = None
    waiting_for: str | None = None
    # Recorded in projection_rebuilds, where the leading process finds it.
    is_recorded: bool = False

    def request(self) -> None:
        """Ask for it; the runner records it when the database answers."""
        self.state = RebuildState.PENDING
        self.requested_at = datetime.now(UTC)
        self.finished_at = None
        self.is_recorded = False
        self.waiting_for = "the runner to reach the database"

    def finish(self) -> None:
        """The rebuild ran (here or in the leading process)."""
        self.state = RebuildState.DONE
        self.finished_at = datetime.now(UTC)
        self.waiting_for = None


async def record_request(pool: asyncpg.Pool, projection: str, at: datetime) -> None:
    """Leave the request where the leading process finds it."""
    await pool.execute(
        "INSERT INTO projection_rebuilds AS r (projection, requested_at) VALUES ($1, $2)"
        " ON CONFLICT (projection) DO UPDATE"
        " SET requested_at = greatest(r.requested_at, excluded.requested_at)",
        projection,
        at,
    )


async def is_requested(pool: asyncpg.Pool, projection: str) -> bool:
    """Whether a rebuild of the projection is recorded and not yet run."""
    return bool(
        await pool.fetchval(
            "SELECT EXISTS (SELECT 1 FROM projection_rebuilds WHERE projection = $1)",
            projection,
        )
    )


async def reset_read_model(
    pool: asyncpg.Pool, projection: Projection, batch_lock: int
) -> None:
    """Empty the read model and forget every offset, version and parked event of the
    projection, and the request, all at once (no batch applies meanwhile)."""
    async with pool.acquire() as conn, conn.transaction():
        await conn.execute("SELECT pg_advisory_xact_lock($1)", batch_lock)
        for table in projection.tables:
            await conn.execute(f'TRUNCATE "{table}"')
        for table in (*_KERNEL_TABLES, "projection_rebuilds"):
            await conn.execute(
                f"DELETE FROM {table} WHERE projection = $1",  # noqa: S608 - kernel tables
                projection.name,
            )
