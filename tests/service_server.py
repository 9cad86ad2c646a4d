"""Running a service app in this test process with uvicorn, on a free port."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import httpx
import uvicorn
from fastapi import FastAPI
from pydantic import SecretStr

from qingqian_local.embedded import free_port
from shared.auth import Actor, Scope, issue_token, public_key_pem, service_account
from shared.chain import new_private_key_pem
from shared.domain import Role
from shared.key_wrapping import Kek
from shared.settings import ServiceSettings
from tests.conftest import RUNTIME_ROLES, clone_database
from tests.session_zone import ZONE_NAME


@dataclass(frozen=True)
class TokenMaker:
    """Issues tokens the service under test accepts (the default deployment's `aud`)."""

    private_pem: str
    audience: str = field(default_factory=lambda: ServiceSettings().audience)

    @property
    def public_pem(self) -> str:
        """What the service checks tokens with."""
        return public_key_pem(self.private_pem)

    def headers(
        self, *roles: Role, person: str = "tester", unit: str = "rsj"
    ) -> dict[str, str]:
        """An Authorization header for that person, unit and roles."""
        actor = Actor(person=person, unit=unit, roles=frozenset(roles))
        return self.bearer(actor)

    def service_headers(self, name: str, *scopes: Scope) -> dict[str, str]:
        """An Authorization header for a service account with those scopes."""
        return self.bearer(service_account(name, frozenset(scopes)))

    def bearer(self, actor: Actor) -> dict[str, str]:
        """An Authorization header for the actor."""
        token = issue_token(self.private_pem, actor, audience=self.audience)
        return {"Authorization": f"Bearer {token}"}


def new_token_maker() -> TokenMaker:
    """A fresh platform key for one test module."""
    return TokenMaker(new_private_key_pem())


def unique_namespace() -> str:
    """A topic namespace no other test uses."""
    return f"t{uuid.uuid4().hex[:10]}"


S = TypeVar("S", bound=ServiceSettings)

# The owner's URL of each stack database, by the runtime URL its service serves with.
OWNER_URLS: dict[str, str] = {}


def owner_url(database_url: str | None) -> str:
    """The URL a test tampers or injects faults with (the owner's: the runtime role
    may not), for a service's `database_url`."""
    assert database_url is not None
    return OWNER_URLS.get(database_url, database_url)


@dataclass(frozen=True)
class LocalServers:
    """What the services of one in-process test stack share: the servers, the token
    key, the district file and a topic namespace of their own."""

    pg_server_url: str
    template_database: str
    kafka_bootstrap: str
    tokens: TokenMaker
    district_file: Path
    namespace: str = field(default_factory=lambda: unique_namespace())

    async def settings(self, settings_type: type[S], **extra: Any) -> S:
        """One service's settings, on a fresh database cloned from the template: it
        migrates as the server's user (the owner) and serves as the runtime role, and
        counts days in the session's zone (tests/session_zone.py)."""
        owner_url = await clone_database(self.pg_server_url, self.template_database)
        runtime_url = RUNTIME_ROLES[self.template_database].url(owner_url)
        OWNER_URLS[runtime_url] = owner_url
        return settings_type(
            database_url=runtime_url,
            migration_database_url=owner_url,
            seal_private_key=SecretStr(new_private_key_pem()),
            personal_data_kek=SecretStr(Kek.generate().to_base64()),
            kafka_bootstrap=self.kafka_bootstrap,
            jwt_public_key=SecretStr(self.tokens.public_pem),
            topic_namespace=self.namespace,
            seal_interval_seconds=0.5,
            district_file=self.district_file,
            # The day the tests count from stays the services' day all session.
            timezone=ZONE_NAME,
            **extra,
        )


@contextlib.asynccontextmanager
async def serving(
    app: FastAPI, port: int | None = None
) -> AsyncIterator[httpx.AsyncClient]:
    """Serve the app on 127.0.0.1 and yield a client for it; stops it afterwards."""
    port = port or free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None, lifespan="on")
    )
    task = asyncio.create_task(server.serve())
    async with httpx.AsyncClient(
        base_url=f"http://127.0.0.1:{port}", timeout=20
    ) as client:
        for _ in range(400):
            if task.done():
                task.result()
            with contextlib.suppress(httpx.TransportError):
                if (await client.get("/readyz")).status_code == 200:
                    break
            await asyncio.sleep(0.05)
        else:
            raise AssertionError("the service did not become ready")
        try:
            yield client
        finally:
            server.should_exit = True
            await asyncio.wait_for(task, 20)
