"""FastAPI dependencies every service uses: the runtime, the actor, the command context."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from typing import Annotated, Any, TypeVar
from zoneinfo import ZoneInfo

import asyncpg
import structlog
from fastapi import Depends, Header, Request, Security
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from shared.auth import Actor, Scope, TokenVerifier
from shared.errors import InvalidInput, NotPermitted
from shared.handling import CommandContext
from shared.loops import LoopStatus
from shared.projections import ProjectionRunner
from shared.relay import Relay
from shared.settings import DistrictSettings, ServiceSettings
from shared.store import EventStore

T = TypeVar("T")

_IDEMPOTENCY_NAMESPACE = uuid.UUID("6b2f1f0e-8f0c-4d55-9f38-1c1f2b0e5a11")


@dataclass
class ServiceRuntime:
    """What a running service holds: settings, pool, store, verifier, relay, runners,
    and the status of every background loop (relay, runners, watchers)."""

    settings: ServiceSettings
    pool: asyncpg.Pool
    store: EventStore
    verifier: TokenVerifier
    relay: Relay | None = None
    runners: list[ProjectionRunner] = field(default_factory=list)
    tasks: list[asyncio.Task[None]] = field(default_factory=list)
    loops: list[LoopStatus] = field(default_factory=list)
    district: DistrictSettings = field(default_factory=DistrictSettings)
    is_ready: bool = False
    is_caught_up: bool = False
    # The event types (`qingqian.<service>.<Event>.v<n>`) a webhook of the restricted
    # profile may receive: what the service lets other agencies read.
    restricted_event_types: frozenset[str] = frozenset()

    @property
    def zone(self) -> ZoneInfo:
        """The district's time zone (business dates are taken there)."""
        return ZoneInfo(self.settings.timezone)


def runtime(request: Request) -> ServiceRuntime:
    """The running service's state."""
    value: ServiceRuntime = request.app.state.runtime
    return value


# Documents the bearer token in the OpenAPI (Swagger UI's Authorize button); it never
# answers by itself: the verifier reads the header and answers 401 as a problem.
_BEARER = HTTPBearer(
    auto_error=False,
    scheme_name="bearer",
    bearerFormat="JWT",
    description="An Ed25519-signed JWT: the one `qingqian up` prints, or"
    " `qingqian token`.",
)


async def any_actor(
    request: Request,
    _bearer: Annotated[HTTPAuthorizationCredentials | None, Security(_BEARER)],
) -> Actor:
    """The verified actor of the request, person or service account (401 without a
    valid bearer token)."""
    return runtime(request).verifier.actor(request.headers.get("authorization"))


async def current_actor(actor: Annotated[Actor, Depends(any_actor)]) -> Actor:
    """The verified person acting (401 without a valid bearer token; 403 for a
    service account, which reads only the endpoints its scopes name)."""
    if actor.is_service_account:
        raise NotPermitted(
            f"{actor.person} is a service account: it reads only the endpoints its"
            " scopes name, and this is not one of them"
        )
    return actor


@cache
def reader(scope: Scope) -> Callable[..., Awaitable[Actor]]:
    """A dependency for a read endpoint: any person, or a service account holding
    `scope` (403 naming the scope otherwise). One callable per scope, so FastAPI
    resolves it once per request."""

    async def read_as(actor: Annotated[Actor, Depends(any_actor)]) -> Actor:
        if not actor.may_read(scope):
            raise NotPermitted(f"this endpoint needs the scope {scope.value}")
        return actor

    return read_as


def _expected_version(if_match: str | None) -> int | None:
    if if_match is None:
        return None
    text = if_match.strip().removeprefix("W/").strip('"')
    # ASCII digits only (str.isdigit() takes "²", which int() refuses), within a bigint.
    if not (text.isascii() and text.isdigit() and len(text) <= 18):
        raise InvalidInput(
            "headers.If-Match",
            "version_number",
            "If-Match must be a stream version number",
        )
    return int(text)


def _command_id(key: str | None) -> uuid.UUID | None:
    if key is None:
        return None
    key = key.strip()
    if not key or len(key) > 200:
        raise InvalidInput(
            "headers.Idempotency-Key",
            "idempotency_key_length",
            "Idempotency-Key must be 1-200 characters",
        )
    try:
        return uuid.UUID(key)
    except ValueError:
        return uuid.uuid5(_IDEMPOTENCY_NAMESPACE, key)


def _optional_text(**constraints: object) -> dict[str, Any]:
    """The JSON schema of an optional text with those constraints on the text itself
    (set beside `anyOf`, generators applied them to neither branch)."""
    return {"anyOf": [{"type": "string", **constraints}, {"type": "null"}]}


async def command_context(
    request: Request,
    actor: Annotated[Actor, Depends(current_actor)],
    # What the checks below accept, documented (not enforced by FastAPI: its own 422
    # would not name the rule), so generated valid headers are accepted.
    idempotency_key: Annotated[
        str | None,
        Header(
            json_schema_extra=_optional_text(minLength=1, maxLength=200, pattern=r"\S")
        ),
    ] = None,
    if_match: Annotated[
        str | None,
        Header(json_schema_extra=_optional_text(pattern=r'^(W/)?"?[0-9]{1,18}"?$')),
    ] = None,
) -> CommandContext:
    """Actor, command id (`Idempotency-Key`), expected version (`If-Match`), clock."""
    settings = runtime(request).settings
    now = datetime.now(UTC)
    return CommandContext(
        actor=actor,
        correlation_id=str(
            structlog.contextvars.get_contextvars().get("correlation_id", uuid.uuid4())
        ),
        now=now,
        today=now.astimezone(ZoneInfo(settings.timezone)).date(),
        command_id=_command_id(idempotency_key),
        expected_version=_expected_version(if_match),
    )


async def _runtime(request: Request) -> ServiceRuntime:
    # Dependencies are `async def`: FastAPI runs a plain `def` in a worker thread.
    return runtime(request)


async def _store(request: Request) -> EventStore:
    return runtime(request).store


async def _pool(request: Request) -> asyncpg.Pool:
    return runtime(request).pool


CommandContextDep = Annotated[CommandContext, Depends(command_context)]
StoreDep = Annotated[EventStore, Depends(_store)]
PoolDep = Annotated[asyncpg.Pool, Depends(_pool)]
ActorDep = Annotated[Actor, Depends(current_actor)]
RuntimeDep = Annotated[ServiceRuntime, Depends(_runtime)]


def app_state(name: str, kind: type[T]) -> Callable[[Request], Awaitable[T]]:
    """A dependency giving what the service's app factory put in `app.state.<name>`
    (its rules, its context) as a `kind`, the same object for every request."""

    # `async def`: FastAPI runs a plain `def` dependency in a worker thread.
    async def given(request: Request) -> T:
        value: T = getattr(request.app.state, name)
        return value

    return given
