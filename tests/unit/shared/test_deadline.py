"""A request that cannot be answered in time gets 503 problem+json, not a hang; an
answer under way is left to finish."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import httpx
from fastapi import FastAPI
from fastapi.responses import StreamingResponse

from shared.deadline import RequestDeadlineMiddleware


def app_with_deadline(seconds: float) -> FastAPI:
    app = FastAPI()
    finished: list[str] = []
    app.state.finished = finished

    @app.get("/slow")
    async def slow() -> dict[str, str]:
        try:
            await asyncio.sleep(5)
        except asyncio.CancelledError:
            finished.append("cancelled")
            raise
        return {"status": "late"}

    @app.get("/slow-to-clean-up")
    async def slow_to_clean_up() -> dict[str, str]:
        try:
            await asyncio.sleep(5)
        except asyncio.CancelledError:
            # As a rollback on a stalled connection waits out its own timeout.
            await asyncio.sleep(5)
            raise
        return {"status": "late"}

    @app.get("/quick")
    async def quick() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/stream")
    async def stream() -> StreamingResponse:
        async def lines() -> AsyncIterator[bytes]:
            for n in range(3):
                await asyncio.sleep(seconds)
                yield f"{n}\n".encode()

        return StreamingResponse(lines(), media_type="application/x-ndjson")

    app.add_middleware(RequestDeadlineMiddleware, seconds=seconds, retry_after=3)
    return app


async def call(app: FastAPI, path: str) -> httpx.Response:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        return await client.get(path)


async def test_a_request_past_its_deadline_is_503_with_retry_after() -> None:
    app = app_with_deadline(0.2)

    answer = await asyncio.wait_for(call(app, "/slow"), 2)

    assert answer.status_code == 503
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.headers["retry-after"] == "3"
    assert answer.json()["code"] == "service-unavailable"
    # Its work was cancelled, not left running.
    assert app.state.finished == ["cancelled"]


async def test_the_answer_does_not_wait_for_the_given_up_work_to_clean_up() -> None:
    started = asyncio.get_running_loop().time()

    answer = await asyncio.wait_for(
        call(app_with_deadline(0.2), "/slow-to-clean-up"), 2
    )

    assert answer.status_code == 503
    assert asyncio.get_running_loop().time() - started < 2


async def test_a_request_within_its_deadline_is_answered() -> None:
    answer = await call(app_with_deadline(1.0), "/quick")

    assert answer.status_code == 200
    assert answer.json() == {"status": "ok"}


async def test_an_answer_under_way_is_not_cut_by_the_deadline() -> None:
    # Each line comes after the whole deadline: the stream takes three times as long.
    answer = await call(app_with_deadline(0.1), "/stream")

    assert answer.status_code == 200
    assert answer.text == "0\n1\n2\n"
