"""The FastAPI app factory every service uses: lifespan, problem+json, context, health."""

from __future__ import annotations

import asyncio
import gc
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import asyncpg
import structlog
from fastapi import APIRouter, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.auth import TokenVerifier
from shared.db import UNAVAILABLE, create_pool, is_unavailable, migrate
from shared.dependencies import (
    ActorDep,
    CommandContextDep,
    PoolDep,
    RuntimeDep,
    ServiceRuntime,
    StoreDep,
    command_context,
    current_actor,
    runtime,
)
from shared.errors import (
    ConcurrencyConflict,
    DomainError,
    IdempotencyKeyReused,
    InvalidInput,
    InvalidTransition,
    NotFound,
    NotPermitted,
    PreconditionFailed,
    RuleViolated,
    Unauthenticated,
)
from shared.loops import Backoff, LoopStatus, SupervisedLoop, supervise
from shared.operations import operations_router
from shared.personal_data import PersonalVault
from shared.projections import Projection, ProjectionRunner
from shared.relay import Relay
from shared.settings import DistrictSettings, ServiceSettings, load_district
from shared.store import EventStore

log = structlog.get_logger()

__all__ = [
    "ActorDep",
    "Background",
    "CommandContextDep",
    "PoolDep",
    "RuntimeDep",
    "ServiceRuntime",
    "StoreDep",
    "add_problem_handlers",
    "command_context",
    "create_service_app",
    "current_actor",
    "problem_responses",
    "runtime",
]

PROBLEM = "application/problem+json"

_STATUS: list[tuple[type[DomainError], int]] = [
    (PreconditionFailed, 412),
    (ConcurrencyConflict, 409),
    (IdempotencyKeyReused, 422),
    (InvalidInput, 422),
    (Unauthenticated, 401),
    (NotPermitted, 403),
    (NotFound, 404),
    (InvalidTransition, 409),
    (RuleViolated, 409),
]

# Whatever the database says, it is not ready for requests.
_DATABASE_FAILURES: tuple[type[Exception], ...] = (*UNAVAILABLE, asyncpg.PostgresError)

Starter = Callable[["ServiceRuntime"], Awaitable[None]]
# A background loop of the service (a watcher): run under `supervise` with its status.
Background = SupervisedLoop


def _problem(
    status: int, code: str, title: str, detail: str, **extra: object
) -> JSONResponse:
    body: dict[str, object] = {
        "type": f"urn:qingqian:problem:{code}",
        "title": title,
        "status": status,
        "detail": detail,
        "code": code,
        "correlation_id": structlog.contextvars.get_contextvars().get("correlation_id"),
    }
    body.update(extra)
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse(body, status_code=status, media_type=PROBLEM, headers=headers)


def _status_of(error: DomainError) -> int:
    for cls, status in _STATUS:
        if isinstance(error, cls):
            return status
    return 400


async def _domain_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DomainError)  # noqa: S101 - registered for DomainError
    return _problem(
        _status_of(exc), exc.code, exc.title, exc.detail, **exc.extensions()
    )


def _pointer(loc: Sequence[int | str]) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] == "body":
        parts = parts[1:]
    return "#/" + "/".join(parts)


async def _validation_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)  # noqa: S101 - registered for it
    errors = [
        {"pointer": _pointer(e["loc"]), "rule": e["type"], "detail": e["msg"]}
        for e in exc.errors()
    ]
    fields = ", ".join(e["pointer"].removeprefix("#/") for e in errors)
    return _problem(
        422,
        "invalid-input",
        "Invalid input",
        f"the request does not fit the schema: {fields}",
        errors=errors,
    )


async def _http_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)  # noqa: S101 - registered for it
    code = {404: "not-found", 405: "method-not-allowed"}.get(
        exc.status_code, "http-error"
    )
    return _problem(exc.status_code, code, str(exc.detail), str(exc.detail))


def unavailable_problem(error: BaseException, *, retry_after: int) -> JSONResponse:
    """The answer to a request the database could not serve in time: 503, try later."""
    log.warning("request_unavailable", error=type(error).__name__)
    response = _problem(
        503,
        "service-unavailable",
        "Service unavailable",
        "the service's database did not answer in time; try again shortly",
    )
    response.headers["Retry-After"] = str(retry_after)
    return response


async def _unexpected(_request: Request, exc: Exception) -> JSONResponse:
    log.exception("request_failed", error=type(exc).__name__)
    return _problem(
        500, "internal-error", "Internal error", "an unexpected error occurred"
    )


def add_problem_handlers(app: FastAPI, *, retry_after: int) -> None:
    """problem+json for every failure: domain errors by class (§6), 422 for a wrong
    shape, 503 with `Retry-After` while the database is away or too slow, 500 for the
    rest (bugs)."""

    async def unavailable(request: Request, exc: Exception) -> JSONResponse:
        if not is_unavailable(exc):
            return await _unexpected(request, exc)
        return unavailable_problem(exc, retry_after=retry_after)

    app.add_exception_handler(DomainError, _domain_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    # By class, not in the catch-all: Starlette re-raises what reaches that one, and
    # an outage is no bug (its traceback would be logged as one). asyncpg's
    # InterfaceError is an outage only when it says the connection closed.
    for cls in (*UNAVAILABLE, asyncpg.InterfaceError):
        app.add_exception_handler(cls, unavailable)
    app.add_exception_handler(Exception, _unexpected)


class CorrelationMiddleware:
    """Takes or makes `X-Correlation-ID`, binds it for every log line, echoes it back."""

    def __init__(self, app: ASGIApp, *, service: str = "") -> None:
        self.app = app
        self.service = service

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        given = headers.get(b"x-correlation-id", b"").decode("latin-1").strip()
        correlation_id = given[:128] if given else str(uuid.uuid4())
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(
            correlation_id=correlation_id, service=self.service
        )

        async def send_with_header(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"].append(
                    (b"x-correlation-id", correlation_id.encode())
                )
            await send(message)

        await self.app(scope, receive, send_with_header)


def _health_router() -> APIRouter:
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


def _supervised(
    rt: ServiceRuntime, status: LoopStatus, body: Callable[[], Awaitable[None]]
) -> None:
    """Run the loop under `supervise` for the service's lifetime; readiness sees it."""
    backoff = Backoff(cap=rt.settings.loop_retry_max_seconds)
    rt.loops.append(status)
    rt.tasks.append(
        asyncio.create_task(supervise(status, body, backoff=backoff), name=status.name)
    )


def create_service_app(
    settings: ServiceSettings,
    *,
    title: str,
    routers: Sequence[APIRouter],
    consumers: Callable[[ServiceRuntime], Sequence[Projection]] | None = None,
    background: Callable[[ServiceRuntime], Sequence[Background]] | None = None,
    migrations: Path | None = None,
    on_started: Sequence[Starter] = (),
    district: DistrictSettings | None = None,
) -> FastAPI:
    """A service app: pool, migrations, store, relay, projection runners (read models and
    process managers) and background loops, all started and stopped in its lifespan."""
    if settings.database_url is None:
        raise ValueError("DATABASE_URL must be resolved before the app is created")
    if settings.jwt_public_key is None:
        raise ValueError("JWT_PUBLIC_KEY is required")
    # Read and validated before anything starts: a bad value stops the service here.
    district = district or load_district(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        assert settings.database_url is not None  # noqa: S101 - checked above
        assert settings.jwt_public_key is not None  # noqa: S101 - checked above
        structlog.contextvars.bind_contextvars(service=settings.service)
        pool = await create_pool(
            settings.database_url,
            acquire_timeout=settings.db_acquire_timeout_seconds,
            statement_timeout=settings.db_statement_timeout_seconds,
        )
        await migrate(pool, *([migrations] if migrations else []))
        rt = ServiceRuntime(
            district=district,
            settings=settings,
            pool=pool,
            store=EventStore(pool, vault=PersonalVault(pool)),
            verifier=TokenVerifier(settings.jwt_public_key.get_secret_value()),
        )
        app.state.runtime = rt
        try:
            if settings.kafka_bootstrap and settings.is_relay_enabled:
                rt.relay = Relay.from_settings(rt.store, settings)
                rt.store.on_append(rt.relay.wake)
                _supervised(rt, rt.relay.status, rt.relay.run)
            if settings.kafka_bootstrap and settings.is_projections_enabled:
                for projection in consumers(rt) if consumers else ():
                    runner = ProjectionRunner(
                        pool,
                        projection,
                        bootstrap=settings.kafka_bootstrap,
                        home_topics=(settings.events_topic,),
                    )
                    rt.runners.append(runner)
                    _supervised(rt, runner.status, runner.run)
            for start in on_started:
                await start(rt)
            for loop in background(rt) if background else ():
                _supervised(rt, loop.status, loop.run)
            # What start-up built lives as long as the process: kept out of the
            # collector's reach, a full collection no longer walks all of it (pauses
            # of 50–100 ms under load, which were the p99 of a command). Garbage is
            # collected first, so none of it is kept for good.
            gc.collect()
            gc.freeze()
            rt.is_ready = True
            log.info("service_started", port=settings.port)
            yield
        finally:
            rt.is_ready = False
            if rt.relay is not None:
                rt.relay.stop()
            for runner in rt.runners:
                runner.stop()
            for task in rt.tasks:
                task.cancel()
            await asyncio.gather(*rt.tasks, return_exceptions=True)
            await pool.close()
            log.info("service_stopped")

    app = FastAPI(title=title, lifespan=lifespan, version="1.0")
    app.add_middleware(CorrelationMiddleware, service=settings.service)
    add_problem_handlers(app, retry_after=settings.retry_after_seconds)
    app.include_router(_health_router())
    app.include_router(operations_router())
    for router in routers:
        app.include_router(router)
    return app


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` entries for problem+json answers."""
    return {s: {"description": "Problem", "content": {PROBLEM: {}}} for s in statuses}
