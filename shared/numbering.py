"""Commands that open a new stream under the next number of a year: `case-2024-000123`.

The number, the look-up of the command id and the append are one transaction on one
connection, so the year's numbers have no gaps and a repeat never takes a number."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

import structlog

from shared.db import DbConnection
from shared.domain import Aggregate, Command, Event
from shared.handling import (
    CommandContext,
    check_permitted,
    command_digest,
    counted_refusals,
    decide_and_append,
)
from shared.store import Appended, EventStore

S = TypeVar("S")
E = TypeVar("E", bound=Event)
C = TypeVar("C", bound=Command)

_TABLE_NAME = re.compile(r"[a-z_][a-z0-9_]*")


@dataclass(frozen=True)
class YearlyNumbers:
    """A service's table of yearly counters (`year int PRIMARY KEY, last int NOT
    NULL`) and how a year and its number make an entity id."""

    table: str
    entity_id: Callable[[int, int], str]

    def __post_init__(self) -> None:
        # The name goes into SQL as an identifier: only a plain lowercase one will do.
        if not _TABLE_NAME.fullmatch(self.table):
            raise ValueError(f"not a plain table name: {self.table!r}")

    @property
    def next_number(self) -> str:
        """The statement that takes the year's next number ($1 = year). The updated row
        stays locked until the transaction ends: a concurrent taker waits for it, and a
        rollback gives the number back."""
        return (
            f"INSERT INTO {self.table} (year, last) VALUES ($1, 1)"  # noqa: S608 - checked identifier
            f" ON CONFLICT (year) DO UPDATE SET last = {self.table}.last + 1"
            " RETURNING last"
        )


async def execute_numbered(
    store: EventStore,
    aggregate: Aggregate[S, E],
    command: C,
    decide_for: Callable[[str], Callable[[S, C], Sequence[E]]],
    ctx: CommandContext,
    *,
    numbers: YearlyNumbers,
    year: int,
) -> Appended:
    """Opens a stream under the next number of `year`, deciding with
    `decide_for(entity_id)`, all in one transaction: a concurrent repeat of the command
    id waits for the first run and returns its result (another command under that id
    raises IdempotencyKeyReused); a refused or failed command gives its number back, so
    the year's numbers have no gaps. The facts `decide_for` uses must be at hand
    before: the transaction holds the year's counter until it ends."""
    with counted_refusals(command):
        check_permitted(command, ctx)
        async with store.pool.acquire() as conn, conn.transaction():
            if ctx.command_id is not None:
                first = await _first_run(store, conn, ctx.command_id, command)
                if first is not None:
                    return first
            number = await conn.fetchval(numbers.next_number, year)
            entity_id = numbers.entity_id(year, number)
            stream_id = aggregate.stream_id(entity_id)
            with structlog.contextvars.bound_contextvars(stream=stream_id):
                return await decide_and_append(
                    store,
                    aggregate,
                    stream_id,
                    command,
                    decide_for(entity_id),
                    ctx,
                    conn=conn,
                    is_new=True,
                )


async def _first_run(
    store: EventStore, conn: DbConnection, command_id: uuid.UUID, command: Command
) -> Appended | None:
    # Locked by command id until this transaction ends, a repeat running beside the
    # first waits here and then finds its result; the look-up must be a statement of
    # its own, after the lock, to see what committed while it waited.
    await conn.execute("SELECT pg_advisory_xact_lock($1)", _lock_key(command_id))
    stream_id = await store.command_stream(command_id, conn=conn)
    if stream_id is None:
        return None
    digest = command_digest(stream_id, command)
    return await store.find_command(command_id, stream_id, digest, conn=conn)


def _lock_key(command_id: uuid.UUID) -> int:
    # Both halves folded into PostgreSQL's signed 64-bit key; two ids that share a key
    # only wait for each other.
    high, low = command_id.int >> 64, command_id.int & (2**64 - 1)
    return int.from_bytes((high ^ low).to_bytes(8, "big"), "big", signed=True)
