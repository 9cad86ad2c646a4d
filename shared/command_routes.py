"""The HTTP routes of a command table: one `POST` per routed row, its body the command,
its answer the stream's new version and position (`Appended`).

Each endpoint is made by one factory and given a real signature (real types, no strings
to resolve), which is what FastAPI reads to parse the path, the body and the
dependencies; its operation id is the decide function's name."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Depends

from shared.command_pipeline import run
from shared.command_table import CommandTable, Route, Row
from shared.dependencies import CommandContextDep, RuntimeDep, ServiceRuntime
from shared.handling import CommandContext
from shared.store import Appended

X = TypeVar("X")

ContextOf = Callable[..., Any]
"""A FastAPI dependency giving the service's context object (e.g. its rules)."""


def add_table_routes(
    router: APIRouter, table: CommandTable[X], context: ContextOf
) -> None:
    """Adds a route for each routed row of `table` to `router`; `context` is the
    dependency that gives the service's context object to `run`."""
    for row in table.rows:
        if row.route is not None:
            _add_route(router, table, row, row.route, context)


def _add_route(
    router: APIRouter,
    table: CommandTable[X],
    row: Row[Any, X],
    route: Route,
    context: ContextOf,
) -> None:
    id_param = route.id_param

    async def endpoint(**given: Any) -> Appended:
        rt: ServiceRuntime = given["rt"]
        ctx: CommandContext = given["ctx"]
        return await run(
            table,
            given["command"],
            None if id_param is None else given[id_param],
            ctx=ctx,
            store=rt.store,
            pool=rt.pool,
            context=given["context"],
        )

    endpoint.__signature__ = _signature(row, route, context)  # type: ignore[attr-defined]
    router.add_api_route(
        route.path,
        endpoint,
        methods=["POST"],
        status_code=route.status_code,
        response_model=Appended,
        name=row.decide.__name__,
        operation_id=row.decide.__name__,
        summary=row.summary,
        description=row.description or row.summary,
    )


def _signature(row: Row[Any, X], route: Route, context: ContextOf) -> inspect.Signature:
    def keyword(name: str, annotation: Any) -> inspect.Parameter:
        return inspect.Parameter(
            name, inspect.Parameter.KEYWORD_ONLY, annotation=annotation
        )

    path = [] if route.id_param is None else [keyword(route.id_param, route.id_type)]
    return inspect.Signature(
        [
            *path,
            keyword("command", row.command),
            keyword("ctx", CommandContextDep),
            keyword("rt", RuntimeDep),
            keyword("context", Annotated[Any, Depends(context)]),
        ],
        return_annotation=Appended,
    )
