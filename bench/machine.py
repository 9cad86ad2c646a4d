"""PostgreSQL's limits on this machine, through asyncpg with no kernel: commits of one
row, many rows in one statement or COPY, the whole table in order, a stream by id."""

from __future__ import annotations

import asyncio
import json
import uuid
from typing import Any

import asyncpg

from bench.synthetic import RAW_COLUMNS

_INSERT = (
    f"INSERT INTO bench_raw ({', '.join(RAW_COLUMNS)})"
    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
)
_PAGE = 5000


async def single_row_commits(
    pool: asyncpg.Pool, *, connections: int, per_connection: int
) -> int:
    """The fsync floor: one event-shaped row per transaction."""

    async def one(n: int) -> None:
        async with pool.acquire() as conn:
            for i in range(per_connection):
                await conn.execute(
                    "INSERT INTO bench_raw (stream_id, version, data) VALUES ($1, $2, $3)",
                    f"raw-{n}-{i}-{uuid.uuid4().hex[:6]}",
                    1,
                    {"amount": i},
                )

    await asyncio.gather(*(one(n) for n in range(connections)))
    return connections * per_connection


async def executemany(pool: asyncpg.Pool, rows: list[tuple[Any, ...]]) -> int:
    """All rows in one `executemany` (one transaction, pipelined)."""
    async with pool.acquire() as conn:
        await conn.executemany(_INSERT, rows)
    return len(rows)


async def copy(conn: asyncpg.Connection, rows: list[tuple[Any, ...]]) -> int:
    """All rows in one COPY. On a plain connection: binary COPY needs asyncpg's own
    jsonb codec, which takes the JSON text (encoded here, as executemany's codec does)."""
    data = RAW_COLUMNS.index("data")
    records = [(*r[:data], json.dumps(r[data]), *r[data + 1 :]) for r in rows]
    await conn.copy_records_to_table(
        "bench_raw", records=records, columns=list(RAW_COLUMNS)
    )
    return len(rows)


async def ordered_read(pool: asyncpg.Pool) -> int:
    """Every row in position order, in keyset pages."""
    count, after = 0, 0
    while page := await pool.fetch(
        f"SELECT position, {', '.join(RAW_COLUMNS)} FROM bench_raw"
        " WHERE position > $1 ORDER BY position LIMIT $2",
        after,
        _PAGE,
    ):
        count += len(page)
        after = page[-1]["position"]
    return count


async def stream_reads(pool: asyncpg.Pool, stream_ids: list[str]) -> int:
    """Each stream's rows by id, one stream after another."""
    for stream_id in stream_ids:
        await pool.fetch(
            f"SELECT position, {', '.join(RAW_COLUMNS)} FROM bench_raw"
            " WHERE stream_id = $1 ORDER BY version",
            stream_id,
        )
    return len(stream_ids)
