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
    """Pure ASGI: answers 503 problem+json once `seconds` pass before the answer starts,
    and cancels the request's work without waiting for its clean-up (a rollback on a
    stalled connection waits out its own timeout: the answer must not); a streamed
    answer, once started, is left to finish."""

    def __init__(self, app: ASGIApp, *, seconds: float, retry_after: int) -> None:
        self.app = app
        self.seconds = seconds
        self.retry_after = retry_after

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        is_started = is_given_up = False

        async def send_started(message: Message) -> None:
            nonlocal is_started
            if is_given_up:
                return  # answered 503 already: what the work says now goes nowhere
            if message["type"] == "http.response.start":
                is_started = True
            await send(message)

        work = asyncio.ensure_future(self.app(scope, receive, send_started))
        done, _ = await asyncio.wait({work}, timeout=self.seconds)
        if done or is_started:
            await work  # its answer (or its error) as it is
            return
        is_given_up = True
        work.cancel()
        work.add_done_callback(_log_failure)
        late = TimeoutError(f"no answer within {self.seconds:g} s")
        response = unavailable_problem(late, retry_after=self.retry_after)
        await response(scope, receive, send)


def _log_failure(work: asyncio.Future[None]) -> None:
    if not work.cancelled() and (error := work.exception()) is not None:
        log.warning("request_given_up_failed", error=type(error).__name__)
