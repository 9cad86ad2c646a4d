"""The two routers of every service's API, with what each adds to all its routes:
commands (known query parameters only, the problems a command may answer) and reads
(known query parameters only, who may read, `?wait_for=` on the service's read models)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from fastapi import APIRouter, Depends

from shared.boundary import known_query_only
from shared.dependencies import current_actor
from shared.history import consistent_with
from shared.problems import problem_responses

# Every problem a command may answer, from a malformed request to a stale `If-Match`.
COMMAND_PROBLEMS = (400, 401, 403, 404, 409, 412, 413, 422)


def command_router() -> APIRouter:
    """The router of a service's commands: a query parameter no route knows is refused
    (400); the documented answers are the problems a command may give."""
    return APIRouter(
        tags=["commands"],
        dependencies=[Depends(known_query_only)],
        responses=problem_responses(*COMMAND_PROBLEMS),
    )


def query_router(
    projection: str,
    *,
    read_by: Callable[..., Any] = current_actor,
    problems: Sequence[int] = (401, 404, 422),
) -> APIRouter:
    """The router of a service's reads: a query parameter no route knows is refused,
    `read_by` says who may read (anyone signed in by default), and `?wait_for=` waits
    for `projection` to show the caller's writes."""
    return APIRouter(
        tags=["queries"],
        dependencies=[
            Depends(known_query_only),
            Depends(read_by),
            Depends(consistent_with(projection)),
        ],
        responses=problem_responses(*problems),
    )
