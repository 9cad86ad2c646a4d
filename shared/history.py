"""Routes every service shares for reading its log: a stream's events, the published order."""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Awaitable, Callable
from datetime import datetime
from inspect import Parameter, Signature
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Query, Request, Response
from fastapi.responses import JSONResponse

from shared.auth import Scope
from shared.boundary import known_query_only
from shared.dates import Moment
from shared.dependencies import (
    RuntimeDep,
    ServiceRuntime,
    StoreDep,
    reader,
    runtime,
)
from shared.domain import Aggregate
from shared.envelope import Envelope, envelope_of
from shared.errors import InvalidInput, NotFound
from shared.log_json import NDJSON, json_array, published_lines
from shared.problems import problem_responses
from shared.projections import wait_for_position
from shared.projections.catch_up import EventsHead
from shared.store import EventStore
from shared.values import QueryOffset, StreamId


def history_router() -> APIRouter:
    """`GET /streams/{stream_id}/events`, `GET /events` (the published order) and
    `GET /events/head` (its last sequence)."""
    # People read the log; other agencies' systems with a service account holding
    # `events:read`.
    router = APIRouter(
        tags=["history"],
        dependencies=[Depends(known_query_only), Depends(reader(Scope.EVENTS_READ))],
        responses=problem_responses(401, 403, 404, 422),
    )

    history_route(
        router,
        "/streams/{stream_id}/events",
        None,
        id_type=StreamId,
        name="stream_events",
        description="A stream's events in version order, as CloudEvents; 404 if it has none.",
        as_of_query=True,
    )

    @router.get(
        "/events",
        response_class=JSONResponse,
        responses={200: {"model": list[Envelope], "content": {NDJSON: {}}}},
    )
    async def published_events(
        store: StoreDep,
        rt: RuntimeDep,
        after_sequence: Annotated[QueryOffset, Query()] = 0,
        limit: Annotated[int, Query(ge=1, le=10_000)] = 100,
        accept: Annotated[str | None, Header()] = None,
    ) -> Response:
        """The log in published order after a sequence number (as the relay sends it):
        a JSON array of CloudEvents, or one per line with `Accept: application/x-ndjson`.
        Pass the last `sequence` you saw as `after_sequence` for the next page."""
        lines = await published_lines(
            store.pool,
            source=rt.settings.source,
            service=rt.settings.service,
            after_sequence=after_sequence,
            limit=limit,
        )
        return _as_accepted(lines, accept)

    @router.get("/events/head")
    async def events_head(store: StoreDep) -> EventsHead:
        """The last sequence of the published order (0 while there is none): how far
        `GET /events` reaches, in one cheap read (a consumer catching up compares it
        with what its broker holds)."""
        sequence = await store.pool.fetchval(
            "SELECT coalesce(max(sequence), 0) FROM event_sequence"
        )
        return EventsHead(sequence=sequence)

    return router


# The one `{name}` in a history route's path (none: the district's own stream).
_PATH_PARAMETER = re.compile(r"\{(\w+)\}")
_AS_OF = Annotated[Moment | None, Query(description="only events recorded by then")]


def history_route(
    router: APIRouter,
    path: str,
    aggregate: Aggregate[Any, Any] | None,
    *,
    id_type: Any = str,
    name: str,
    description: str,
    as_of_query: bool = False,
) -> None:
    """Adds `GET path` to `router`: one stream's events in version order as a JSON
    array of CloudEvents, 404 if it has none. The stream is `aggregate`'s stream of the
    id in the path (`id_type` checks it), the id itself without an aggregate, or the
    district's stream of `aggregate` when the path names no id; `as_of_query` adds
    `?as_of=` (only events recorded by then). The router's dependencies (who may read,
    `wait_for`) apply as to its other routes."""
    keys = _PATH_PARAMETER.findall(path)
    if len(keys) > 1:
        raise ValueError(f"{path}: a history route names at most one id")
    if aggregate is None and not keys:
        raise ValueError(f"{path}: names no stream (no id, no aggregate)")

    async def events(
        *,
        store: EventStore,
        rt: ServiceRuntime,
        as_of: datetime | None = None,
        **ids: str,
    ) -> list[Envelope]:
        entity = ids[keys[0]] if keys else rt.settings.district
        stream = entity if aggregate is None else aggregate.stream_id(entity)
        return await stream_history(
            store, rt.settings.source, rt.settings.service, stream, as_of
        )

    # FastAPI reads the endpoint's parameters (the path's id, the dependencies, the
    # query) from its signature: this one is built for the path.
    endpoint: Any = events
    endpoint.__signature__ = Signature(_parameters(keys, id_type, as_of_query))
    router.add_api_route(
        path,
        events,
        methods=["GET"],
        name=name,
        description=description,
        response_model=list[Envelope],
    )


def _parameters(keys: list[str], id_type: Any, as_of_query: bool) -> list[Parameter]:
    """A history endpoint's parameters: the path's id, the store and the runtime
    (dependencies), and `as_of` when asked for."""
    parameters = [
        Parameter(key, Parameter.KEYWORD_ONLY, annotation=id_type) for key in keys
    ]
    parameters += [
        Parameter("store", Parameter.KEYWORD_ONLY, annotation=StoreDep),
        Parameter("rt", Parameter.KEYWORD_ONLY, annotation=RuntimeDep),
    ]
    if as_of_query:
        parameters.append(
            Parameter("as_of", Parameter.KEYWORD_ONLY, annotation=_AS_OF, default=None)
        )
    return parameters


async def stream_history(
    store: StoreDep, source: str, service: str, stream_id: str, as_of: datetime | None
) -> list[Envelope]:
    """A stream's events (recorded by `as_of` if given) as envelopes; NotFound if none."""
    records = await store.history(stream_id, as_of=as_of)
    if not records:
        raise NotFound(f"{stream_id} has no events")
    return [envelope_of(r, source=source, service=service) for r in records]


def _as_accepted(lines: bytes, accept: str | None) -> Response:
    """Envelopes (one per line, as PostgreSQL built them) in the form the client asked."""
    if accept is not None and NDJSON in accept:
        return Response(lines, media_type=NDJSON)
    return Response(json_array(lines), media_type="application/json")


# A position or version is a bigint: 18 digits at most.
_WAIT_FOR = re.compile(r"^[a-z][a-z0-9]*-[a-z0-9-]+@v?[0-9]{1,18}$")


# How long a request's `wait_for` waits in all, and how many requests of a process may
# wait at once (each polls the read model until it sees its events).
WAIT_FOR_SECONDS = 5.0
_WAITERS = asyncio.Semaphore(32)


def consistent_with(projection: str) -> Callable[..., Awaitable[None]]:
    """A query dependency: `?wait_for=<stream>@<position>` (from a command's answer;
    repeat it for several streams) waits up to 5 s until the projection shows each of
    those events (read-your-writes); `<stream>@v<version>` waits for a version, for a
    stream whose positions the caller was not told. It promises nothing about other
    streams."""

    async def wait(
        request: Request,
        wait_for: Annotated[
            list[str] | None,
            Query(
                max_length=20,
                description="stream@position returned by a command (or stream@v<version>): wait until it is visible",
            ),
        ] = None,
    ) -> None:
        wanted = []
        for index, token in enumerate(wait_for or ()):
            if not _WAIT_FOR.match(token):
                raise InvalidInput(
                    f"query.wait_for.{index}",
                    "stream_at_position",
                    "wait_for must be <stream>@<position> or <stream>@v<version>",
                )
            stream_id, _, at = token.rpartition("@")
            wanted.append((stream_id, at))
        if not wanted or _WAITERS.locked():
            # Too many requests wait already: this one reads what is visible now
            # rather than add its polling to theirs (a flood must not slow others).
            return
        # One deadline for them all: 20 streams wait 5 s together, not 5 s each.
        deadline = time.monotonic() + WAIT_FOR_SECONDS
        async with _WAITERS:
            for stream_id, at in wanted:
                await wait_for_position(
                    runtime(request).pool,
                    projection,
                    stream_id=stream_id,
                    position=int(at.removeprefix("v")),
                    is_version=at.startswith("v"),
                    within=max(0.0, deadline - time.monotonic()),
                )

    return wait
