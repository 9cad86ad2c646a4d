"""A deadline for every request until its answer starts: a request that could not be
answered in time (the database paused mid-transaction: a statement's timeout, then the
rollback's, then the connection's release, one after the other) gets 503 with
`Retry-After`, never a hang. What a request waits for is bounded one by one by the
pool's settings; this bounds their sum."""

from __future__ import annotations

import asyncio

import structlog
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.problems import unavailable_problem

log = structlog.get_logger()


class RequestDeadlineMiddleware:
    """Pure ASGI: cancels the request's work once `seconds` pass before the answer
    starts, and answers 503 problem+json instead; a streamed answer, once started, is
    left to finish."""

    def __init__(self, app: ASGIApp, *, seconds: float, retry_after: int) -> None:
        self.app = app
        self.seconds = seconds
        self.retry_after = retry_after

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        is_started = False
        deadline = asyncio.timeout(self.seconds)

        async def send_started(message: Message) -> None:
            nonlocal is_started
            if message["type"] == "http.response.start":
                is_started = True
                # The answer is under way: it is no longer held to the deadline.
                deadline.reschedule(None)
            await send(message)

        try:
            async with deadline:
                await self.app(scope, receive, send_started)
        except TimeoutError as late:
            if is_started or not deadline.expired():
                raise
            response = unavailable_problem(late, retry_after=self.retry_after)
            await response(scope, receive, send)
