"""The credit stack for the integration tests: members, cases and credit served in
this process on fresh databases, with the member directory and cases' events crossed
over Kafka."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest_asyncio

from services.cases.app import create_app as create_cases
from services.cases.settings import CasesSettings
from services.credit.app import create_app as create_credit
from services.credit.settings import CreditSettings
from services.members.app import create_app as create_members
from services.members.settings import MembersSettings
from shared.domain import Role
from tests.service_server import LocalServers, new_token_maker, serving
from tests.session_zone import TODAY

TOKENS = new_token_maker()
OFFICE = TOKENS.headers(Role.OFFICE)
DISTRICT_FILE = Path("deploy/district.toml").resolve()


class Chain:
    def __init__(
        self,
        members: httpx.AsyncClient,
        cases: httpx.AsyncClient,
        credit: httpx.AsyncClient,
        cases_settings: CasesSettings,
        credit_settings: CreditSettings,
    ) -> None:
        self.members = members
        self.cases = cases
        self.credit = credit
        self.cases_settings = cases_settings
        self.credit_settings = credit_settings


@contextlib.asynccontextmanager
async def running_chain(
    pg_server_url: str,
    template_database: str,
    kafka_bootstrap: str,
    *,
    deadline_watch_seconds: float = 3600,
    **credit_settings: object,
) -> AsyncIterator[Chain]:
    """members, cases and credit on fresh databases; every client carries an office
    token. `deadline_watch_seconds` is how often the credit watcher looks; the other
    keywords are credit's settings."""
    servers = LocalServers(
        pg_server_url, template_database, kafka_bootstrap, TOKENS, DISTRICT_FILE
    )
    members = await servers.settings(MembersSettings)
    cases = await servers.settings(CasesSettings, deadline_watch_seconds=3600)
    credit = await servers.settings(
        CreditSettings,
        deadline_watch_seconds=deadline_watch_seconds,
        **credit_settings,
    )
    async with (
        serving(create_members(members)) as m,
        serving(create_cases(cases)) as c,
        serving(create_credit(credit)) as k,
    ):
        for client in (m, c, k):
            client.headers.update(OFFICE)
        yield Chain(m, c, k, cases, credit)


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def chain(
    pg_server_url: str, template_database: str, kafka_bootstrap: str
) -> AsyncIterator[Chain]:
    """The stack for one test module; its watchers wait an hour between rounds, so
    tests run a watcher of their own when they need one."""
    async with running_chain(pg_server_url, template_database, kafka_bootstrap) as c:
        yield c


async def fetchval(url: str | None, query: str, *args: object) -> Any:
    """One value from a service's database."""
    assert url is not None
    conn = await asyncpg.connect(url)
    try:
        return await conn.fetchval(query, *args)
    finally:
        await conn.close()


def day(offset: int) -> str:
    """Today plus `offset` days, as the API writes dates."""
    return (TODAY + timedelta(days=offset)).isoformat()


async def ok(answer: httpx.Response) -> dict[str, Any]:
    """The body of a successful answer; fails the test on any other."""
    assert answer.status_code in (200, 201), answer.text
    body: dict[str, Any] = answer.json()
    return body
