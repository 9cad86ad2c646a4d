"""A database away or too slow is 503 service-unavailable with Retry-After, not a 500;
a real bug stays a 500."""

from __future__ import annotations

import asyncpg
import httpx
import pytest
from asyncpg import exceptions as pg
from fastapi import FastAPI

from shared.problems import add_problem_handlers

UNAVAILABLE = [
    pg.ConnectionDoesNotExistError("connection was closed in the middle of operation"),
    pg.ConnectionFailureError("connection failure"),
    pg.TooManyConnectionsError("sorry, too many clients already"),
    pg.CannotConnectNowError("the database system is starting up"),
    pg.AdminShutdownError("terminating connection due to administrator command"),
    pg.QueryCanceledError("canceling statement due to statement timeout"),
    asyncpg.InterfaceError("cannot perform operation: connection is closed"),
    asyncpg.InterfaceError(
        "cannot call Connection.fetchrow(): connection has been released back to the pool"
    ),
    ConnectionRefusedError(111, "Connection refused"),
    TimeoutError(),
]
BUGS = [
    pg.UniqueViolationError("duplicate key value"),
    asyncpg.InterfaceError(
        "cannot perform operation: another operation is in progress"
    ),
    ValueError("a bug"),
]


def app_raising(error: Exception) -> httpx.AsyncClient:
    app = FastAPI()
    add_problem_handlers(app, retry_after=7)

    @app.get("/fail")
    async def fail() -> None:
        raise error

    # Starlette re-raises what reaches its catch-all after answering: take the answer.
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    return httpx.AsyncClient(transport=transport, base_url="http://test")


@pytest.mark.parametrize("error", UNAVAILABLE, ids=lambda e: type(e).__name__)
async def test_a_database_away_or_too_slow_is_503_with_retry_after(
    error: Exception,
) -> None:
    async with app_raising(error) as client:
        answer = await client.get("/fail")

    assert answer.status_code == 503
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.headers["retry-after"] == "7"
    assert answer.json()["code"] == "service-unavailable"


@pytest.mark.parametrize("error", BUGS, ids=lambda e: type(e).__name__)
async def test_a_bug_stays_a_500(error: Exception) -> None:
    async with app_raising(error) as client:
        answer = await client.get("/fail")

    assert answer.status_code == 500
    assert answer.json()["code"] == "internal-error"
