"""The FastAPI app factory every service uses: lifespan, its loops under supervision,
problem+json (`shared.problems`), context, health (`shared.health`)."""

from __future__ import annotations

import asyncio
import gc
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import structlog
from fastapi import APIRouter, FastAPI
from fastapi.routing import APIRoute
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.api_docs import add_api_docs
from shared.asyncapi import asyncapi_document, asyncapi_router
from shared.auth import TokenVerifier
from shared.boundary import BodyLimitMiddleware
from shared.business_date import Backdating
from shared.command_check import check_table
from shared.command_table import CommandTable
from shared.contracts import schemas_router, service_schemas
from shared.db import (
    create_pool,
    is_superuser,
    migrate,
    migrate_as_owner,
    runtime_role,
)
from shared.deadline import RequestDeadlineMiddleware
from shared.dependencies import (
    ActorDep,
    CommandContextDep,
    PoolDep,
    RuntimeDep,
    ServiceRuntime,
    StoreDep,
    command_context,
    current_actor,
    reader,
    runtime,
)
from shared.domain import Aggregate
from shared.health import health_router
from shared.history import history_router
from shared.jwks import jwks_router, published_keys, service_signer
from shared.key_rotation import keyring_of, open_vault
from shared.loops import Backoff, LoopStatus, SupervisedLoop, supervise
from shared.operations import operations_router
from shared.problems import add_problem_handlers, problem_responses
from shared.projections import Projection, ProjectionRunner
from shared.relay import Relay
from shared.settings import DistrictSettings, ServiceSettings, load_district
from shared.store import EventStore
from shared.unauthenticated import unauthenticated_router
from shared.webhooks.delivery import DeliveryRules, WebhookDelivery
from shared.webhooks.routes import subscriptions_router

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
    "reader",
    "runtime",
]

Starter = Callable[["ServiceRuntime"], Awaitable[None]]
# A background loop of the service (a watcher): run under `supervise` with its status.
Background = SupervisedLoop


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


def _supervised(
    rt: ServiceRuntime, status: LoopStatus, body: Callable[[], Awaitable[None]]
) -> None:
    """Run the loop under `supervise` for the service's lifetime; readiness sees it."""
    backoff = Backoff(cap=rt.settings.loop_retry_max_seconds)
    rt.loops.append(status)
    rt.tasks.append(
        asyncio.create_task(supervise(status, body, backoff=backoff), name=status.name)
    )


def operation_id(route: APIRoute) -> str:
    """A route's operation id is its function's name (`list_cases`, `assign_case`), not
    FastAPI's name + path + method (`list_cases_cases_get`): clients generated from the
    OpenAPI get readable method names. A clash is refused at start (test_operation_ids)."""
    return route.name


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
    command_tables: Sequence[CommandTable[Any]] = (),
    restricted_event_types: frozenset[str] = frozenset(),
    aggregates: Sequence[Aggregate[Any, Any]] = (),
) -> FastAPI:
    """A service app: pool, migrations, store, relay, projection runners (read models and
    process managers) and background loops, all started and stopped in its lifespan;
    `routers` come after the kernel's operations routes and before its history routes.
    Each of `command_tables` is checked first: a table that does not hold together
    stops the service before it starts anything. `restricted_event_types` are the
    event types a webhook of the restricted profile may receive (docs/webhooks.md);
    the event types of `aggregates` (every one the service stores) are published at
    `/schemas/{type}` and make the AsyncAPI document `GET /asyncapi.json` serves."""
    for table in command_tables:
        check_table(table)
    if settings.database_url is None:
        raise ValueError("DATABASE_URL must be resolved before the app is created")
    if settings.jwt_public_key is None:
        raise ValueError("JWT_PUBLIC_KEY is required")
    # A missing or malformed key-encryption key stops the service here too.
    keyring = keyring_of(settings)
    # Read and validated before anything starts: a bad value stops the service here.
    district = district or load_district(settings)
    signer = service_signer(settings)

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
        folders = [migrations] if migrations else []
        if settings.migration_database_url is None:
            await migrate(pool, *folders)
        else:
            # Migrated as the owner; served as the runtime role (docs/deployment.md).
            await migrate_as_owner(
                settings.migration_database_url,
                *folders,
                runtime_role=runtime_role(
                    settings.database_url, settings.migration_database_url
                ),
            )
        if await is_superuser(pool):
            # Allowed, for tests and old set-ups, but a superuser can undo the log's
            # protections: say so (docs/deployment.md, "Database roles").
            log.warning("database_role_is_superuser")
        rt = ServiceRuntime(
            district=district,
            settings=settings,
            pool=pool,
            store=EventStore(
                pool,
                vault=await open_vault(pool, keyring),
                signer=signer,
                retired=settings.signing_keys_retired,
                backdating=Backdating.of(
                    timezone=settings.timezone,
                    after_days=settings.backdated_after_days,
                ),
            ),
            verifier=TokenVerifier.from_settings(settings),
            restricted_event_types=restricted_event_types,
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
                        catch_up_sources=settings.catch_up_sources,
                        catch_up_token_file=settings.catch_up_token_file,
                    )
                    rt.runners.append(runner)
                    _supervised(rt, runner.status, runner.run)
            for start in on_started:
                await start(rt)
            for loop in background(rt) if background else ():
                _supervised(rt, loop.status, loop.run)
            if settings.is_webhooks_enabled:
                rules = DeliveryRules.of(settings, restricted_event_types)
                webhooks = WebhookDelivery(pool, rules)
                _supervised(rt, webhooks.status, webhooks.run)
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

    # /docs and /redoc come from local assets (shared/api_docs.py), never a CDN.
    app = FastAPI(
        title=title,
        lifespan=lifespan,
        version="1.0",
        docs_url=None,
        redoc_url=None,
        generate_unique_id_function=operation_id,
    )
    add_api_docs(app)
    # Innermost of the three: its 503 carries the correlation id.
    app.add_middleware(
        RequestDeadlineMiddleware,
        seconds=settings.request_deadline_seconds,
        retry_after=settings.retry_after_seconds,
    )
    app.add_middleware(CorrelationMiddleware, service=settings.service)
    # Added last, so it runs first: an oversized body is refused before anything reads it.
    app.add_middleware(BodyLimitMiddleware)
    add_problem_handlers(app, retry_after=settings.retry_after_seconds)
    app.include_router(health_router())
    app.include_router(operations_router())
    app.include_router(jwks_router(published_keys(settings)))
    app.include_router(
        asyncapi_router(
            asyncapi_document(
                service=settings.service,
                namespace=settings.topic_namespace,
                aggregates=aggregates,
            )
        )
    )
    app.include_router(unauthenticated_router())
    app.include_router(schemas_router(service_schemas(settings.service, aggregates)))
    for router in routers:
        app.include_router(router)
    app.include_router(subscriptions_router())
    # Every service's log, after its own routes: `/streams/{id}/events`, `/events`.
    app.include_router(history_router())
    return app
