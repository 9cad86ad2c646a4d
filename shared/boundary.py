"""What every service's HTTP boundary refuses before a route runs: a query parameter the
route does not declare (a misspelt filter would otherwise return everything), and a
request body over the size limit (issue 12 item 7)."""

from __future__ import annotations

from typing import Final

from fastapi import Request
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.errors import InvalidInput

MAX_BODY_BYTES: Final = 1024 * 1024
"""The largest request body a command takes; a larger one is answered 413 before it
is read whole (the largest real command, a case with its workers, is a few kB)."""


class BodyTooLarge(HTTPException):
    """The request body is over the limit: 413, answered by the app's handler for HTTP
    errors, so in the same problem+json shape as every other error."""

    def __init__(self, max_bytes: int) -> None:
        super().__init__(413, f"the request body is over {max_bytes} bytes")


class BodyLimitMiddleware:
    """Refuses a request body over `max_bytes` with 413 at the first read: at once
    when Content-Length declares more, else as soon as the bytes received pass it.
    Pure ASGI: the body is never held whole before it is refused."""

    def __init__(self, app: ASGIApp, *, max_bytes: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        received = 0

        async def limited() -> Message:
            nonlocal received
            if declared is not None and declared > self.max_bytes:
                raise BodyTooLarge(self.max_bytes)
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise BodyTooLarge(self.max_bytes)
            return message

        await self.app(scope, limited, send)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers") or ():
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


# By the route's id, holding the route so the id is never reused (routes are unhashable).
_declared: dict[int, tuple[APIRoute, frozenset[str]]] = {}


def declared_query_parameters(dependant: Dependant) -> frozenset[str]:
    """The query parameter names a route and all its dependencies declare."""
    names = {field.alias for field in dependant.query_params}
    for sub in dependant.dependencies:
        names |= declared_query_parameters(sub)
    return frozenset(names)


async def known_query_only(request: Request) -> None:
    """A router dependency: 422 naming the first query parameter the route does not
    declare (rule `unknown_query_parameter`), so `/cases?criminal=…` is refused
    instead of answering every case."""
    route = request.scope.get("route")
    if not isinstance(route, APIRoute):
        return
    known = _declared.get(id(route))
    if known is None:
        known = _declared[id(route)] = (
            route,
            declared_query_parameters(route.dependant),
        )
    declared = known[1]
    unknown = sorted(set(request.query_params) - declared)
    if unknown:
        raise InvalidInput(
            f"query.{unknown[0]}",
            "unknown_query_parameter",
            f"this route takes no query parameter {unknown[0]!r}; "
            f"it takes: {', '.join(sorted(declared)) or 'none'}",
        )
