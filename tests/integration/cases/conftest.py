"""The cases stack for the integration tests: members and cases served in this process,
on fresh databases, with the member directory crossed over Kafka."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import httpx
import pytest_asyncio

from services.cases.app import create_app as create_cases
from services.cases.settings import CasesSettings
from services.members.app import create_app as create_members
from services.members.settings import MembersSettings
from shared.domain import Role
from tests.service_server import LocalServers, new_token_maker, serving
from tests.support import eventually

TOKENS = new_token_maker()
OFFICE = TOKENS.headers(Role.OFFICE)
DISTRICT_FILE = Path("deploy/district.toml").resolve()


class Stack:
    def __init__(
        self,
        members: httpx.AsyncClient,
        cases: httpx.AsyncClient,
        cases_url: str,
        settings: CasesSettings,
    ) -> None:
        self.members = members
        self.cases = cases
        self.cases_url = cases_url
        self.settings = settings


@contextlib.asynccontextmanager
async def running_stack(
    pg_server_url: str,
    template_database: str,
    kafka_bootstrap: str,
    *,
    deadline_watch_seconds: float = 3600,
) -> AsyncIterator[Stack]:
    """members and cases on fresh databases, once cases knows the roster's units; both
    clients carry an office token."""
    servers = LocalServers(
        pg_server_url, template_database, kafka_bootstrap, TOKENS, DISTRICT_FILE
    )
    members_settings = await servers.settings(MembersSettings)
    cases_settings = await servers.settings(
        CasesSettings, deadline_watch_seconds=deadline_watch_seconds
    )
    async with (
        serving(create_members(members_settings)) as members,
        serving(create_cases(cases_settings)) as cases,
    ):
        members.headers.update(OFFICE)
        cases.headers.update(OFFICE)
        stack = Stack(members, cases, str(cases.base_url), cases_settings)

        async def directory_arrived() -> bool:
            return await knows_unit(stack, "sq-dongguan")

        await eventually(directory_arrived, timeout=30)
        yield stack


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def stack(
    pg_server_url: str, template_database: str, kafka_bootstrap: str
) -> AsyncIterator[Stack]:
    """The stack for one test module; its deadline watcher waits an hour between
    rounds, so tests run a watcher of their own when they need one."""
    async with running_stack(pg_server_url, template_database, kafka_bootstrap) as s:
        yield s


async def knows_unit(stack: Stack, code: str) -> bool:
    """Whether cases' member directory has that unit as active."""
    assert stack.settings.database_url is not None
    conn = await asyncpg.connect(stack.settings.database_url)
    try:
        return bool(
            await conn.fetchval(
                "SELECT is_active FROM member_units WHERE code = $1", code
            )
        )
    finally:
        await conn.close()
