"""Operators' view of a service's background loops (relay, projections, watchers) and
its projections: state, progress, lag, parked events, rebuild."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query
from pydantic import BaseModel

from shared.boundary import known_query_only
from shared.dependencies import ActorDep, RuntimeDep
from shared.domain import Role
from shared.errors import NotFound, NotPermitted
from shared.loops import LoopState, LoopStatus
from shared.problems import problem_responses

_READERS = frozenset({Role.OFFICE, Role.AUDITOR, Role.SYSTEM})
_OPERATORS = frozenset({Role.OFFICE, Role.SYSTEM})


class SourceProgressView(BaseModel):
    """How much of one source a projection has applied (for reconciling with the source)."""

    source: str
    applied_count: int
    # The highest position applied and that event's hash (null before the first).
    last_position: int
    last_hash: str | None = None


class LoopView(BaseModel):
    """A background loop: running, standing by for a leader, retrying after a failure
    (the error, when), or stopped; since when it is so, how often it was restarted."""

    name: str
    state: LoopState
    since: datetime
    last_error: str | None
    last_error_at: datetime | None
    restarts: int

    @classmethod
    def of(cls, status: LoopStatus) -> LoopView:
        """The view of one loop's status."""
        return cls(
            name=status.name,
            state=status.state,
            since=status.since,
            last_error=status.last_error,
            last_error_at=status.last_error_at,
            restarts=status.restarts,
        )


class ProjectionView(BaseModel):
    """A projection's state: its loop's state (running / retrying / stopped, last
    error, since when, restarts), lag in messages, parked events, progress per source."""

    name: str
    topics: list[str]
    state: LoopState
    since: datetime
    last_error: str | None
    restarts: int
    is_caught_up: bool
    lag: int
    parked: int
    sources: list[SourceProgressView]


class ParkedEventView(BaseModel):
    """An event a projection could not apply, with the error."""

    id: int
    projection: str
    topic: str
    partition: int
    kafka_offset: int
    source: str | None
    stream_id: str | None
    version: int | None
    event_type: str | None
    error: str
    parked_at: datetime


def operations_router() -> APIRouter:
    """`/operations/loops`, `/operations/projections`, `/operations/parked-events`,
    rebuild."""
    router = APIRouter(
        prefix="/operations",
        tags=["operations"],
        dependencies=[Depends(known_query_only)],
        responses=problem_responses(401, 403, 404, 422),
    )

    @router.get("/loops")
    async def loops(rt: RuntimeDep, actor: ActorDep) -> list[LoopView]:
        """Every background loop of this process (relay, projections, process managers,
        watchers): state, since when, last error, restarts (office, auditors)."""
        if not actor.has_any(_READERS):
            raise NotPermitted("reading loop state needs the office or auditor role")
        return [LoopView.of(status) for status in rt.loops]

    @router.get("/projections")
    async def projections(rt: RuntimeDep, actor: ActorDep) -> list[ProjectionView]:
        """Each projection's lag, parked count and per-source progress (office, auditors)."""
        if not actor.has_any(_READERS):
            raise NotPermitted(
                "reading projection state needs the office or auditor role"
            )
        views = []
        for runner in rt.runners:
            lag = await runner.measure()
            rows = await rt.pool.fetch(
                "SELECT source, applied_count, last_position, last_hash"
                " FROM projection_progress"
                " WHERE projection = $1 ORDER BY source",
                runner.name,
            )
            parked = await rt.pool.fetchval(
                "SELECT count(*) FROM parked_events WHERE projection = $1", runner.name
            )
            views.append(
                ProjectionView(
                    name=runner.name,
                    topics=list(runner.projection.topics),
                    state=runner.status.state,
                    since=runner.status.since,
                    last_error=runner.status.last_error,
                    restarts=runner.status.restarts,
                    is_caught_up=runner.is_caught_up.is_set(),
                    lag=lag,
                    parked=parked,
                    sources=[SourceProgressView(**dict(r)) for r in rows],
                )
            )
        return views

    @router.get("/parked-events")
    async def parked_events(
        rt: RuntimeDep,
        actor: ActorDep,
        projection: Annotated[
            str | None, Query(pattern=r"^[a-z][a-z0-9_-]{0,99}$")
        ] = None,
        limit: Annotated[int, Query(ge=1, le=500)] = 100,
    ) -> list[ParkedEventView]:
        """Events that failed to apply, newest first, with their errors."""
        if not actor.has_any(_READERS):
            raise NotPermitted("reading parked events needs the office or auditor role")
        rows = await rt.pool.fetch(
            "SELECT id, projection, topic, partition, kafka_offset, source, stream_id, version,"
            " event_type, error, parked_at FROM parked_events"
            " WHERE ($1::text IS NULL OR projection = $1) ORDER BY id DESC LIMIT $2",
            projection,
            limit,
        )
        return [ParkedEventView(**dict(r)) for r in rows]

    @router.post("/projections/{name}/rebuild", status_code=202)
    async def rebuild(
        name: Annotated[str, Path(max_length=100)], rt: RuntimeDep, actor: ActorDep
    ) -> dict[str, str]:
        """Drop the projection's read model and replay its topics from the start (office)."""
        if not actor.has_any(_OPERATORS):
            raise NotPermitted("rebuilding a projection needs the office role")
        runner = next((r for r in rt.runners if r.name == name), None)
        if runner is None:
            raise NotFound(f"no projection named {name}")
        runner.request_rebuild()
        return {"projection": name, "status": "rebuilding"}

    return router
