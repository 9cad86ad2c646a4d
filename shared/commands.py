"""DEPRECATED: use `shared.command_table` (rows), `shared.command_pipeline.run`,
`shared.command_routes.add_table_routes` and `shared.command_check.check_table`
(see /work/wt/notes/pipeline-ready.md). Kept only until cases, credit and meetings
are converted; then deleted.

What every service's command layer shared: finding each command's decide function,
giving it the outside facts it names, and the `POST /<things>/{entity_id}/<verb>` routes."""

from __future__ import annotations

import inspect
import re
from collections.abc import Awaitable, Callable, Mapping, Sequence
from types import ModuleType
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request

from shared.dependencies import CommandContextDep
from shared.domain import Command
from shared.handling import CommandContext
from shared.store import Appended

Decide = Callable[..., Sequence[Any]]
Fact = Callable[[], Awaitable[object]]
RunCommand = Callable[[Request, CommandContext, Command, str], Awaitable[Appended]]


def snake_case(name: str) -> str:
    """`AssignCase` → `assign_case`."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def decide_functions(
    domain: ModuleType, commands: Sequence[type[Command]]
) -> dict[type[Command], Decide]:
    """Each command's decide function: the command's name in snake_case (STYLE.md §5)."""
    return {
        command: getattr(domain, snake_case(command.__name__)) for command in commands
    }


def wanted_facts(decide: Decide) -> frozenset[str]:
    """The keyword-only arguments a decide function names: the facts it needs."""
    return frozenset(
        name
        for name, p in inspect.signature(decide).parameters.items()
        if p.kind is p.KEYWORD_ONLY
    )


def value_fact(value: object) -> Fact:
    """A fact already at hand."""

    async def fact() -> object:
        return value

    return fact


async def facts_for(
    wants: frozenset[str], providers: Mapping[str, Fact]
) -> dict[str, object]:
    """Fetch only the facts a decide function names (each provider runs lazily)."""
    return {name: await providers[name]() for name in wants}


def add_command_routes(
    router: APIRouter,
    *,
    prefix: str,
    id_pattern: str,
    routes: Sequence[tuple[str, type[Command], str]],
    run: RunCommand,
) -> None:
    """Register `POST /<prefix>/{entity_id}/<verb>` for each (verb, command, summary): the body
    is the command, the answer the new version and position."""
    for verb, command_type, summary in routes:
        _add_route(router, prefix, id_pattern, verb, command_type, summary, run)


def _add_route(
    router: APIRouter,
    prefix: str,
    id_pattern: str,
    verb: str,
    command_type: type[Command],
    summary: str,
    run: RunCommand,
) -> None:
    async def endpoint(
        entity_id: str,
        command: Command,
        ctx: CommandContextDep,
        request: Request,
    ) -> Appended:
        return await run(request, ctx, command, entity_id)

    endpoint.__doc__ = summary
    # Annotations are strings here (postponed); FastAPI needs the route's own class.
    endpoint.__annotations__["command"] = command_type
    endpoint.__annotations__["entity_id"] = Annotated[str, Path(pattern=id_pattern)]
    router.add_api_route(
        f"/{prefix}/{{entity_id}}/{verb}",
        endpoint,
        methods=["POST"],
        name=verb.replace("-", "_"),
    )
