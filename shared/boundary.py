"""What every service's HTTP boundary refuses before a route runs: a query parameter the
route does not declare (a misspelt filter would otherwise return everything), and a
request body over the size limit (issue 12 item 7)."""

from __future__ import annotations

from typing import Final

from fastapi import Request
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from shared.errors import InvalidInput

MAX_BODY_BYTES: Final = 1024 * 1024
"""The largest request body a command takes; a larger one is answered 413 before it
is read whole (the largest real command, a case with its workers, is a few kB)."""

_declared: dict[APIRoute, frozenset[str]] = {}


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
    declared = _declared.get(route)
    if declared is None:
        declared = _declared[route] = declared_query_parameters(route.dependant)
    unknown = sorted(set(request.query_params) - declared)
    if unknown:
        raise InvalidInput(
            f"query.{unknown[0]}",
            "unknown_query_parameter",
            f"this route takes no query parameter {unknown[0]!r}; "
            f"it takes: {', '.join(sorted(declared)) or 'none'}",
        )
