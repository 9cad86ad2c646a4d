"""Checks for the services' yearly numbers under concurrent requests: fire many
creates at once, then compare the numbered streams with the year's counter. Each
service's test module describes its numbered create (`NumberedCreate`) and runs the
same scenarios on it."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

import asyncpg
import httpx
import pytest

from tests.service_server import owner_url

# The marks of every numbers test module: each request a service answers under load.
NUMBERS_TEST = [
    pytest.mark.integration,
    pytest.mark.asyncio(loop_scope="session"),
    pytest.mark.timeout(120),
]


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


@dataclass(frozen=True)
class NumberedCreate:
    """A command that opens a stream under the next number of the year: where it is
    posted, a valid body (with `overrides`), what makes one refused (422
    `invalid-input`), and where its numbers are counted."""

    client: httpx.AsyncClient
    path: str
    body: Callable[..., dict[str, Any]]
    refused: dict[str, Any]
    database_url: str | None
    table: str
    year: int
    stream_prefix: str

    async def gap_free(self) -> int:
        """Every number handed out has a stream, once: the last."""
        return await assert_gap_free(
            self.database_url,
            table=self.table,
            year=self.year,
            stream_prefix=self.stream_prefix,
        )


def _problem(answer: httpx.Response, status: int, code: str) -> None:
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert answer.json()["code"] == code


async def repeats_of_one_key_get_the_first(create: NumberedCreate) -> None:
    """Fifty repeats of one Idempotency-Key at once: one stream, one number."""
    before = await create.gap_free()
    key = {"Idempotency-Key": f"create-{uuid.uuid4()}"}

    answers = await post_together(
        create.client, create.path, [(create.body(), key)] * 50
    )

    first = same_success(answers)
    assert first["stream"].startswith(create.stream_prefix)
    assert first["version"] >= 1
    assert await create.gap_free() == before + 1


async def different_ones_take_every_number_once(create: NumberedCreate) -> None:
    """Thirty different creates at once: thirty streams, thirty numbers."""
    before = await create.gap_free()
    requests = [
        (create.body(), {"Idempotency-Key": str(uuid.uuid4())}) for _ in range(30)
    ]

    answers = await post_together(create.client, create.path, requests)

    assert len(distinct_successes(answers)) == 30
    assert await create.gap_free() == before + 30


async def refused_ones_leave_no_gap(create: NumberedCreate) -> None:
    """Twenty at once, every other one refused: ten numbers, no gap."""
    before = await create.gap_free()
    requests = [
        (
            create.body(**create.refused) if i % 2 else create.body(),
            {"Idempotency-Key": str(uuid.uuid4())},
        )
        for i in range(20)
    ]

    answers = await post_together(create.client, create.path, requests)

    for refused in answers[1::2]:
        _problem(refused, 422, "invalid-input")
    assert len(distinct_successes(answers[0::2])) == 10
    assert await create.gap_free() == before + 10


async def a_failure_after_the_number_gives_it_back(
    create: NumberedCreate, overrides: dict[str, Any], condition: str
) -> None:
    """A create (the body with `overrides`) whose event fails to insert (`condition`,
    SQL on the new row, matches it) after its number was taken: 500, then the same
    request again takes that number (no gap)."""
    before = await create.gap_free()
    key = {"Idempotency-Key": str(uuid.uuid4())}
    body = create.body(**overrides)

    async with events_failing_when(create.database_url, condition):
        failed = await create.client.post(create.path, json=body, headers=key)
    retried = await create.client.post(create.path, json=body, headers=key)

    _problem(failed, 500, "internal-error")
    assert retried.status_code == 201, retried.text
    assert await create.gap_free() == before + 1
