"""The HTTP boundary: a body over the limit is a 413 answered by the app's own handler
before the route runs, and a query parameter the route does not declare is a 422
naming it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

import httpx
import pytest
from fastapi import APIRouter, Depends, FastAPI, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException

from shared.boundary import BodyLimitMiddleware, known_query_only
from shared.errors import InvalidInput

LIMIT = 1000


class Note(BaseModel):
    text: str


def boundary_app() -> tuple[FastAPI, list[str]]:
    """An app with the boundary's checks, answering errors as `{"status", "rule"}`,
    and the texts its route was called with."""
    seen: list[str] = []

    async def filtered(
        unit: Annotated[str | None, Query()] = None,
    ) -> None:
        return None

    router = APIRouter(dependencies=[Depends(known_query_only), Depends(filtered)])

    @router.post("/notes")
    async def post_note(note: Note, limit: int = 10) -> dict[str, int]:
        seen.append(note.text)
        return {"limit": limit}

    async def http_error(_request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, HTTPException)
        return JSONResponse({"status": exc.status_code}, status_code=exc.status_code)

    async def invalid(_request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, InvalidInput)
        return JSONResponse({"field": exc.field, "rule": exc.rule}, status_code=422)

    app = FastAPI()
    app.add_middleware(BodyLimitMiddleware, max_bytes=LIMIT)
    app.add_exception_handler(HTTPException, http_error)
    app.add_exception_handler(InvalidInput, invalid)
    app.include_router(router)
    return app, seen


@pytest.fixture
async def served() -> AsyncIterator[tuple[httpx.AsyncClient, list[str]]]:
    app, seen = boundary_app()
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        yield client, seen


async def test_a_body_within_the_limit_reaches_the_route(
    served: tuple[httpx.AsyncClient, list[str]],
) -> None:
    client, seen = served

    answer = await client.post("/notes", json={"text": "x" * (LIMIT - 20)})

    assert answer.status_code == 200
    assert len(seen) == 1


async def test_a_declared_body_over_the_limit_is_413_from_the_apps_handler(
    served: tuple[httpx.AsyncClient, list[str]],
) -> None:
    client, seen = served

    answer = await client.post("/notes", json={"text": "x" * LIMIT})

    assert answer.status_code == 413
    assert answer.json() == {"status": 413}
    assert seen == []


async def test_a_streamed_body_over_the_limit_is_413_too(
    served: tuple[httpx.AsyncClient, list[str]],
) -> None:
    client, seen = served

    async def chunks() -> AsyncIterator[bytes]:
        yield b'{"text": "'
        for _ in range(LIMIT // 100 + 1):
            yield b"x" * 100
        yield b'"}'

    answer = await client.post(
        "/notes", content=chunks(), headers={"content-type": "application/json"}
    )

    assert answer.status_code == 413
    assert seen == []


async def test_an_undeclared_query_parameter_is_named_and_nothing_runs(
    served: tuple[httpx.AsyncClient, list[str]],
) -> None:
    client, seen = served

    answer = await client.post("/notes?criminal=1", json={"text": "x"})

    assert answer.status_code == 422
    assert answer.json() == {
        "field": "query.criminal",
        "rule": "unknown_query_parameter",
    }
    assert seen == []


async def test_parameters_of_the_route_and_its_dependencies_are_declared(
    served: tuple[httpx.AsyncClient, list[str]],
) -> None:
    client, _ = served

    answer = await client.post("/notes?limit=3&unit=rsj", json={"text": "x"})

    assert answer.status_code == 200
    assert answer.json() == {"limit": 3}
