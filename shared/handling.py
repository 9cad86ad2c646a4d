"""Running a command: role check → load → replay → decide → append."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Generic, TypeVar

import structlog

from shared import metrics
from shared.auth import Actor
from shared.chain import GENESIS, canonical, sha256_hex
from shared.db import DbConnection
from shared.domain import ROSTER_ROLES, Aggregate, Command, Event, replay
from shared.errors import (
    ConcurrencyConflict,
    DomainError,
    NotFound,
    NotPermitted,
    PreconditionFailed,
)
from shared.store import Appended, EventMetadata, EventStore, Recorded, Snapshot

log = structlog.get_logger()

S = TypeVar("S")
E = TypeVar("E", bound=Event)
C = TypeVar("C", bound=Command)


@dataclass(frozen=True)
class CommandContext:
    """Who runs a command and under which id, correlation and expected version."""

    actor: Actor
    correlation_id: str
    now: datetime
    today: date
    command_id: uuid.UUID | None = None
    causation_id: str | None = None
    expected_version: int | None = None

    def metadata(self) -> EventMetadata:
        """The envelope metadata for the events this command appends."""
        return EventMetadata(
            actor=self.actor.person,
            actor_unit=self.actor.unit,
            correlation_id=self.correlation_id,
            causation_id=self.causation_id,
            command_id=self.command_id,
        )


def command_digest(stream_id: str, command: Command) -> str:
    """A digest of what a command asks, to tell a repeat from a reused id; personal
    data (the command's `personal_paths`) is left out, so no hash of it is kept."""
    data = command.model_dump(mode="json")
    for path in type(command).personal_paths:
        _drop(data, path.split("."))
    return sha256_hex(
        canonical(
            {"stream": stream_id, "command": type(command).__name__, "data": data}
        )
    )


def _drop(node: Any, path: list[str]) -> None:
    head, rest = path[0], path[1:]
    targets = (
        list(range(len(node)))
        if head == "*" and isinstance(node, list)
        else [head]
        if isinstance(node, dict) and head in node
        else []
    )
    for key in targets:
        if rest:
            _drop(node[key], rest)
        else:
            node[key] = None


def decode_all(aggregate: Aggregate[Any, E], records: Sequence[Recorded]) -> list[E]:
    """Upcast and parse stored events into the aggregate's event classes."""
    return [aggregate.decode(r.event_type, r.schema_version, r.data) for r in records]


# Events past the last snapshot after which loading a stream takes a new one.
SNAPSHOT_AFTER = 50


@dataclass(frozen=True)
class Current(Generic[S]):
    """A stream as it stands: its state, version and the hash of its last event."""

    state: S
    version: int
    hash: str


async def current(
    store: EventStore,
    aggregate: Aggregate[S, E],
    stream_id: str,
    *,
    conn: DbConnection | None = None,
) -> Current[S]:
    """The stream's state from its snapshot and the events after it (one read, on
    `conn` when given); when more than `SNAPSHOT_AFTER` events had to be replayed, a
    new snapshot is kept."""
    fingerprint = aggregate.fingerprint
    # Without a fingerprint (a state that is not a pydantic model) no snapshot matches.
    snapshot, records = await store.load_latest(stream_id, fingerprint or "", conn=conn)
    base = (
        Current(aggregate.initial, 0, GENESIS)
        if snapshot is None
        else Current(aggregate.restore(snapshot.state), snapshot.version, snapshot.hash)
    )
    if not records:
        return base
    decode = aggregate.decode_json
    state = replay(
        aggregate.evolve,
        base.state,
        [decode(r.event_type, r.schema_version, r.data_json) for r in records],
    )
    now = Current(state, records[-1].version, records[-1].hash)
    if fingerprint is not None and len(records) > SNAPSHOT_AFTER:
        await store.save_snapshot(
            stream_id,
            fingerprint,
            Snapshot(now.version, now.hash, aggregate.snapshot_of(state)),
            conn=conn,
        )
    return now


async def load(
    store: EventStore, aggregate: Aggregate[S, E], entity_id: str
) -> tuple[S, int]:
    """The aggregate's current state and version (initial state and 0 if no events)."""
    now = await current(store, aggregate, aggregate.stream_id(entity_id))
    return now.state, now.version


async def load_existing(
    store: EventStore, aggregate: Aggregate[S, E], entity_id: str
) -> tuple[S, int]:
    """Like `load`, but raises NotFound for a stream with no events."""
    state, version = await load(store, aggregate, entity_id)
    if version == 0:
        raise NotFound(f"{aggregate.stream_id(entity_id)} does not exist")
    return state, version


async def load_as_of(
    store: EventStore, aggregate: Aggregate[S, E], entity_id: str, moment: datetime
) -> tuple[S, int]:
    """The aggregate's state as it was recorded at `moment`; NotFound if none yet."""
    records = await store.load_as_of(aggregate.stream_id(entity_id), moment)
    if not records:
        raise NotFound(f"{aggregate.stream_id(entity_id)} had no events at {moment}")
    return aggregate.replay(decode_all(aggregate, records)), records[-1].version


async def execute(
    store: EventStore,
    aggregate: Aggregate[S, E],
    entity_id: str,
    command: C,
    decide: Callable[[S, C], Sequence[E]],
    ctx: CommandContext,
    *,
    not_found: str | None = None,
) -> Appended:
    """Runs the command once: a refused command writes nothing; a repeated command id
    returns the first result; a stale `If-Match` raises PreconditionFailed. With
    `not_found`, a stream without events raises NotFound with that detail."""
    stream_id = aggregate.stream_id(entity_id)
    with (
        structlog.contextvars.bound_contextvars(stream=stream_id),
        counted_refusals(command),
    ):
        check_permitted(command, ctx)
        # Load and append on one connection: one pool round trip per command.
        async with store.pool.acquire() as conn:
            return await decide_and_append(
                store,
                aggregate,
                stream_id,
                command,
                decide,
                ctx,
                conn=conn,
                not_found=not_found,
            )


def check_permitted(command: Command, ctx: CommandContext) -> None:
    """Raises NotPermitted unless the actor has one of the roles the command names; a
    command open to a roster role lets any person on, to be checked by its decide
    function against the roster on the day (`ROSTER_ROLES`)."""
    permitted = type(command).permitted
    is_person = not ctx.actor.is_service_account
    if not (ctx.actor.has_any(permitted) or (is_person and permitted & ROSTER_ROLES)):
        raise NotPermitted(
            f"{type(command).__name__} needs one of the roles "
            + ", ".join(sorted(type(command).permitted))
        )


@contextlib.contextmanager
def counted_refusals(command: Command) -> Iterator[None]:
    """Counts and logs a command refused with a domain error, which goes on up."""
    try:
        yield
    except DomainError as refused:
        metrics.COMMANDS_REFUSED.labels(code=refused.code).inc()
        log.info("command_refused", command=type(command).__name__, code=refused.code)
        raise


async def decide_and_append(
    store: EventStore,
    aggregate: Aggregate[S, E],
    stream_id: str,
    command: C,
    decide: Callable[[S, C], Sequence[E]],
    ctx: CommandContext,
    *,
    conn: DbConnection,
    not_found: str | None = None,
    is_new: bool = False,
) -> Appended:
    """Decides on the stream as it stands and appends, all on `conn` (within the
    caller's transaction, if it has one); a repeat of a command id returns the first
    result. With `is_new` (the caller has just handed out the stream's id) the stream
    is taken to have no events, so nothing is loaded; should it have some, the append
    raises ConcurrencyConflict. No role check: `execute` does it."""
    digest = command_digest(stream_id, command)
    try:
        now = (
            Current(aggregate.initial, 0, GENESIS)
            if is_new
            else await current(store, aggregate, stream_id, conn=conn)
        )
        if not_found is not None and now.version == 0:
            raise NotFound(not_found)
        if ctx.expected_version is not None and ctx.expected_version != now.version:
            raise PreconditionFailed(stream_id, ctx.expected_version, now.version)
        events = decide(now.state, command)
        appended = await store.append(
            stream_id,
            events,
            expected_version=now.version,
            metadata=ctx.metadata(),
            command_digest=digest,
            prevhash=now.hash,
            conn=conn,
        )
    except DomainError as refused:
        # A repeat must answer as the first run did, even if the state moved on
        # since; the command id is looked up only when this run is refused (the
        # append itself returns the first result of a repeat it catches).
        if ctx.command_id is not None:
            first = await store.find_command(
                ctx.command_id, stream_id, digest, conn=conn
            )
            if first is not None:
                return first
        stale = _as_precondition(refused, ctx)
        if stale is refused:
            raise
        raise stale from None
    log.info(
        "command_handled",
        command=type(command).__name__,
        version=appended.version,
        events=len(events),
    )
    return appended


def _as_precondition(refused: DomainError, ctx: CommandContext) -> DomainError:
    # With `If-Match`, another writer first means the caller's version is stale.
    if (
        isinstance(refused, ConcurrencyConflict)
        and not isinstance(refused, PreconditionFailed)
        and ctx.expected_version is not None
    ):
        return PreconditionFailed(
            refused.stream_id, ctx.expected_version, refused.actual
        )
    return refused
