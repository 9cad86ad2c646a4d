"""Read-your-writes: waiting until a projection has applied a stream's event."""

from __future__ import annotations

import asyncio
import time

import asyncpg


async def wait_for_position(
    pool: asyncpg.Pool,
    projection: str,
    *,
    stream_id: str,
    position: int,
    within: float = 5.0,
    is_version: bool = False,
) -> bool:
    """Wait until the projection has applied the stream's event at `position` (or, with
    `is_version`, its event of that version), or a later one; True when visible, False
    on timeout (read-your-writes)."""
    deadline = time.monotonic() + within
    column = "version" if is_version else "position"
    while True:
        seen = await pool.fetchval(
            f"SELECT max({column}) FROM projection_streams"  # noqa: S608 - one of two names
            " WHERE projection = $1 AND stream_id = $2",
            projection,
            stream_id,
        )
        if seen is not None and seen >= position:
            return True
        if time.monotonic() >= deadline:
            return False
        await asyncio.sleep(0.02)
