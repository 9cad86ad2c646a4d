"""Checks for the services' yearly numbers under concurrent requests: fire many
creates at once, then compare the numbered streams with the year's counter."""

from __future__ import annotations

import asyncio
import contextlib
from collections import Counter
from collections.abc import AsyncIterator
from typing import Any

import asyncpg
import httpx

from tests.service_server import owner_url


async def post_together(
    client: httpx.AsyncClient,
    path: str,
    requests: list[tuple[dict[str, Any], dict[str, str]]],
) -> list[httpx.Response]:
    """POST every (body, headers) at once; the answers in the same order."""
    return list(
        await asyncio.gather(
            *(
                client.post(path, json=body, headers=headers)
                for body, headers in requests
            )
        )
    )


async def numbers_in_use(
    database_url: str | None, *, table: str, year: int, stream_prefix: str
) -> tuple[list[int], int]:
    """The numbers of the streams that have events under `stream_prefix` (sorted) and
    the last number the year's counter handed out (0 if none)."""
    assert database_url is not None
    conn = await asyncpg.connect(database_url)
    try:
        rows = await conn.fetch(
            "SELECT DISTINCT stream_id FROM events WHERE stream_id LIKE $1 || '%'",
            stream_prefix,
        )
        last = await conn.fetchval(
            f"SELECT coalesce(max(last), 0) FROM {table} WHERE year = $1",
            year,
        )
    finally:
        await conn.close()
    numbers = sorted(int(r["stream_id"].removeprefix(stream_prefix)) for r in rows)
    return numbers, int(last)


async def assert_gap_free(
    database_url: str | None, *, table: str, year: int, stream_prefix: str
) -> int:
    """Every number the counter handed out has a stream, once: returns the last."""
    numbers, last = await numbers_in_use(
        database_url, table=table, year=year, stream_prefix=stream_prefix
    )
    assert numbers == list(range(1, last + 1)), (numbers, last)
    return last


def same_success(answers: list[httpx.Response]) -> dict[str, Any]:
    """Every answer is a 201 with the same body: that body."""
    assert all(a.status_code == 201 for a in answers), outcomes(answers)
    bodies = [a.json() for a in answers]
    assert all(b == bodies[0] for b in bodies), bodies
    first: dict[str, Any] = bodies[0]
    return first


def distinct_successes(answers: list[httpx.Response]) -> list[str]:
    """Every answer is a 201 on a stream of its own: the streams."""
    assert all(a.status_code == 201 for a in answers), outcomes(answers)
    streams = [str(a.json()["stream"]) for a in answers]
    assert len(set(streams)) == len(streams), streams
    return streams


def outcomes(answers: list[httpx.Response]) -> Counter[tuple[int, str | None]]:
    """How many answers had each status and problem code (for failure messages)."""
    return Counter(
        (a.status_code, a.json().get("code") if a.status_code >= 400 else None)
        for a in answers
    )


@contextlib.asynccontextmanager
async def events_failing_when(
    database_url: str | None, condition: str
) -> AsyncIterator[None]:
    """While open, inserting an event whose row matches `condition` (SQL on NEW)
    raises: a failure inside the command's transaction, after its number is taken.
    Made as the database's owner: the service's runtime role can make no trigger."""
    conn = await asyncpg.connect(owner_url(database_url))
    try:
        await conn.execute(
            "CREATE FUNCTION test_injected_failure() RETURNS trigger"
            " LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'injected failure'; END $$;"
            "CREATE TRIGGER test_injected_failure BEFORE INSERT ON events FOR EACH ROW"
            f" WHEN ({condition}) EXECUTE FUNCTION test_injected_failure()"
        )
        try:
            yield
        finally:
            await conn.execute(
                "DROP TRIGGER test_injected_failure ON events;"
                "DROP FUNCTION test_injected_failure()"
            )
    finally:
        await conn.close()
