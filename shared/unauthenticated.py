"""`/operations/unauthenticated-events`: what the relay refused to sequence because its
writer tag was missing, invalid or by a key the service does not know — a row written
past the service (a database account used directly), for operators and auditors."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel

from shared.boundary import known_query_only
from shared.dependencies import ActorDep, RuntimeDep
from shared.domain import Role
from shared.errors import NotPermitted
from shared.problems import problem_responses

_READERS = frozenset({Role.OFFICE, Role.AUDITOR, Role.SYSTEM})


class UnauthenticatedEventView(BaseModel):
    """An event that is in the table but not in the published order, and why."""

    position: int
    stream_id: str
    version: int
    tag_kid: str | None
    reason: str
    parked_at: datetime


def unauthenticated_router() -> APIRouter:
    """`GET /operations/unauthenticated-events`."""
    router = APIRouter(
        prefix="/operations",
        tags=["operations"],
        dependencies=[Depends(known_query_only)],
        responses=problem_responses(401, 403, 422),
    )

    @router.get("/unauthenticated-events")
    async def unauthenticated_events(
        rt: RuntimeDep,
        actor: ActorDep,
        limit: Annotated[int, Query(ge=1, le=500)] = 100,
    ) -> list[UnauthenticatedEventView]:
        """Events the relay parked instead of publishing, newest first (office,
        auditors)."""
        if not actor.has_any(_READERS):
            raise NotPermitted(
                "reading unauthenticated events needs the office or auditor role"
            )
        rows = await rt.pool.fetch(
            "SELECT position, stream_id, version, tag_kid, reason, parked_at"
            " FROM unauthenticated_events ORDER BY position DESC LIMIT $1",
            limit,
        )
        return [UnauthenticatedEventView(**dict(r)) for r in rows]

    return router
