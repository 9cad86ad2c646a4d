"""Liveness, readiness (the truth about every background loop and its lag) and metrics."""

from __future__ import annotations

import asyncpg
from fastapi import APIRouter
from fastapi.responses import JSONResponse, PlainTextResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from shared.db import UNAVAILABLE
from shared.dependencies import RuntimeDep, ServiceRuntime

# Whatever the database says, it is not ready for requests.
_DATABASE_FAILURES: tuple[type[Exception], ...] = (*UNAVAILABLE, asyncpg.PostgresError)


def health_router() -> APIRouter:
    """`/healthz`, `/readyz`, `/metrics`."""
    router = APIRouter(tags=["operations"])

    @router.get("/healthz")
    async def healthz() -> dict[str, str]:
        """The process is alive."""
        return {"status": "ok"}

    @router.get("/readyz")
    async def readyz(rt: RuntimeDep) -> JSONResponse:
        """Ready (200) once caught up after start, while the database answers, every
        background loop (relay, projections, process managers, watchers) runs and none
        lags more than `READY_MAX_LAG` events; else 503 with the reasons."""
        reasons = [s.reason() for s in rt.loops if not s.is_healthy]
        try:
            await rt.pool.fetchval("SELECT 1")
            reasons += await _lags(rt)
            is_db_up = True
        except _DATABASE_FAILURES as exc:
            reasons.insert(0, f"the database does not answer: {type(exc).__name__}")
            is_db_up = False
        if is_db_up and rt.is_ready and not rt.is_caught_up:
            # Ready once, at start, when what was written is published and applied.
            is_relayed = rt.relay is None or await rt.relay.measure_lag() == 0
            rt.is_caught_up = is_relayed and all(
                r.is_caught_up.is_set() for r in rt.runners
            )
        is_started = rt.is_ready and rt.is_caught_up
        is_ready = is_started and not reasons
        status = "ready" if is_ready else "unavailable" if is_started else "starting"
        body = {
            "status": status,
            "database": is_db_up,
            "reasons": reasons,
            "loops": {s.name: s.state.value for s in rt.loops},
        }
        return JSONResponse(body, status_code=200 if is_ready else 503)

    @router.get("/metrics", response_class=PlainTextResponse)
    async def metrics_endpoint(rt: RuntimeDep) -> PlainTextResponse:
        """Prometheus metrics: append latency, relay lag, projection lag, parked events."""
        if rt.relay is not None:
            await rt.relay.measure_lag()
        for runner in rt.runners:
            await runner.measure()
        return PlainTextResponse(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    return router


async def _lags(rt: ServiceRuntime) -> list[str]:
    """A reason for each of the relay and the projections that lags past the bound."""
    bound = rt.settings.ready_max_lag
    reasons = []
    if rt.relay is not None and (lag := await rt.relay.measure_lag()) > bound:
        reasons.append(f"relay lags {lag} events (more than {bound})")
    for runner in rt.runners:
        if (lag := await runner.measure()) > bound:
            reasons.append(f"{runner.name} lags {lag} events (more than {bound})")
    return reasons
