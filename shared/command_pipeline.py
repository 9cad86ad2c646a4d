"""The one way a command is handled, whoever sends it (a route, a watcher, a process
manager, the seed): its row's facts → its decide function with them → `execute`, or
`execute_numbered` for a stream opened under the next number of a year."""

from __future__ import annotations

from dataclasses import replace
from functools import partial
from typing import Any, TypeVar

import asyncpg

from shared.command_table import (
    CommandTable,
    FromCommand,
    FromContext,
    Numbered,
    Row,
    Scope,
)
from shared.domain import Command
from shared.errors import InvalidTransition
from shared.handling import CommandContext, execute
from shared.numbering import execute_numbered
from shared.store import Appended, EventStore

X = TypeVar("X")


async def run(
    table: CommandTable[X],
    command: Command,
    entity_id: str | None,
    *,
    ctx: CommandContext,
    store: EventStore,
    pool: asyncpg.Pool,
    context: X,
) -> Appended:
    """Runs `command` as its row says, on `entity_id` (None: the row's id rule makes
    it — from the command, the context or the year's next number). A refusal naming
    the commands a state allows names them by their verbs, as `allowed_next` does."""
    row = table.row(type(command))
    try:
        if isinstance(row.ids, Numbered):
            if entity_id is not None:
                raise ValueError(f"{type(command).__name__} numbers its own stream")
            scope = Scope(store, pool, ctx, "", command, context)
            return await _run_numbered(row, row.ids, scope)
        entity = _entity(row, entity_id, command, context)
        scope = Scope(store, pool, ctx, entity, command, context)
        return await _run(row, scope)
    except InvalidTransition as refused:
        named = table.verbs(refused.allowed)
        if list(refused.allowed) == named:
            raise
        raise InvalidTransition(refused.current, named, str(refused)) from None


def _entity(
    row: Row[Any, X], entity_id: str | None, command: Command, context: X
) -> str:
    if entity_id is not None:
        return entity_id
    if isinstance(row.ids, FromCommand):
        return row.ids.id_of(command)
    if isinstance(row.ids, FromContext):
        return row.ids.id_of(context)
    raise ValueError(
        f"{type(command).__name__} needs the id of the entity it addresses"
    )


async def _facts(row: Row[Any, X], scope: Scope[Command, X]) -> dict[str, object]:
    # Only the providers the row lists run, in its order.
    return {fact.name: await fact.provide(scope) for fact in row.facts}


async def _run(row: Row[Any, X], scope: Scope[Command, X]) -> Appended:
    decide = partial(row.decide, **await _facts(row, scope))
    missing = (
        None if row.not_found is None else row.not_found.format(id=scope.entity_id)
    )
    appended = await execute(
        scope.store,
        row.aggregate,
        scope.entity_id,
        scope.command,
        decide,
        scope.ctx,
        not_found=missing,
    )
    if row.then is not None:
        await row.then(scope, appended)
    return appended


async def _run_numbered(
    row: Row[Any, X], ids: Numbered[Any], scope: Scope[Command, X]
) -> Appended:
    # The facts are fetched before the year's counter is taken: the transaction that
    # holds it must stay short.
    facts = await _facts(row, scope)

    def decide_for(new_id: str) -> partial[Any]:
        named = {} if ids.id_fact is None else {ids.id_fact: new_id}
        return partial(row.decide, **facts, **named)

    appended = await execute_numbered(
        scope.store,
        row.aggregate,
        scope.command,
        decide_for,
        scope.ctx,
        numbers=ids.numbers,
        year=ids.year_of(scope.command),
    )
    if row.then is not None:
        made = replace(scope, entity_id=row.aggregate.entity_id(appended.stream))
        await row.then(made, appended)
    return appended
