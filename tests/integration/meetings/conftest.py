"""The meetings stack for the integration tests: members, cases and meetings served in
this process on fresh databases; roles cross from members and findings to cases over
Kafka."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

import httpx
import pytest_asyncio

from services.cases.app import create_app as create_cases
from services.cases.settings import CasesSettings
from services.meetings.app import create_app as create_meetings
from services.meetings.settings import MeetingsSettings
from services.members.app import create_app as create_members
from services.members.settings import MembersSettings
from tests.integration.credit.conftest import DISTRICT_FILE, OFFICE, TOKENS
from tests.service_server import LocalServers, serving


class Stack:
    def __init__(
        self,
        members: httpx.AsyncClient,
        cases: httpx.AsyncClient,
        meetings: httpx.AsyncClient,
        cases_settings: CasesSettings,
        meetings_settings: MeetingsSettings,
    ) -> None:
        self.members = members
        self.cases = cases
        self.meetings = meetings
        self.cases_settings = cases_settings
        self.meetings_settings = meetings_settings


@contextlib.asynccontextmanager
async def running_stack(
    pg_server_url: str, template_database: str, kafka_bootstrap: str
) -> AsyncIterator[Stack]:
    """members (with its seed roster), cases and meetings on fresh databases; every
    client carries an office token; the watchers wait an hour between rounds, so tests
    run one of their own when they need it."""
    servers = LocalServers(
        pg_server_url, template_database, kafka_bootstrap, TOKENS, DISTRICT_FILE
    )
    members = await servers.settings(MembersSettings)
    cases = await servers.settings(CasesSettings, deadline_watch_seconds=3600)
    meetings = await servers.settings(MeetingsSettings, deadline_watch_seconds=3600)
    async with (
        serving(create_members(members)) as m,
        serving(create_cases(cases)) as c,
        serving(create_meetings(meetings)) as g,
    ):
        for client in (m, c, g):
            client.headers.update(OFFICE)
        yield Stack(m, c, g, cases, meetings)


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def stack(
    pg_server_url: str, template_database: str, kafka_bootstrap: str
) -> AsyncIterator[Stack]:
    """The stack for one test module."""
    async with running_stack(pg_server_url, template_database, kafka_bootstrap) as s:
        yield s
