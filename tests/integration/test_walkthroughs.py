"""The API walkthroughs of docs/ run against the services, in order on a fresh system,
and every answer they show is the answer the services give (tests/walkthrough.py)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path

import httpx
import pytest

from services.meetings.watcher import action_watcher
from services.members.app import create_app as create_members
from services.members.settings import MembersSettings
from shared.db import create_pool
from shared.domain import Role
from shared.jwks import service_signer
from shared.store import EventStore
from tests.integration.cases.conftest import (
    DISTRICT_FILE,
    TOKENS,
    running_stack,
)
from tests.integration.cases.test_cases_api import _watcher
from tests.integration.credit.conftest import TOKENS as MEETINGS_TOKENS
from tests.integration.meetings.conftest import running_stack as running_meetings
from tests.service_server import LocalServers, TokenMaker, serving
from tests.session_zone import TODAY, ZONE
from tests.walkthrough import (
    Example,
    Walkthrough,
    check,
    examples,
    is_query,
    needs_the_shell,
    run,
)

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]

DOCS = Path(__file__).resolve().parents[2] / "docs"
MEMBERS = "http://members.walkthrough"
CASES = "http://cases.walkthrough"
MEETINGS = "http://meetings.walkthrough"


def _variables(tokens: TokenMaker) -> dict[str, str]:
    """What the pages set in their shell: base URLs, tokens (`qingqian token …`), days."""

    def token(*roles: Role, unit: str = "rsj", person: str = "office") -> str:
        return tokens.headers(*roles, person=person, unit=unit)["Authorization"][7:]

    return {
        "QQ": MEMBERS,
        "QC": CASES,
        "QM": MEETINGS,
        "QQ_TOKEN": token(Role.OFFICE),
        "JSJ_TOKEN": token(Role.UNIT_STAFF, unit="jsj", person="p"),
        "XFJ_TOKEN": token(Role.UNIT_STAFF, unit="xfj", person="p"),
        "JSJ": token(Role.UNIT_STAFF, unit="jsj", person="jsj-01"),
        # The police record their own answer (cases-api.md, "Referral to the police").
        "GAFJ": token(Role.UNIT_STAFF, unit="gafj", person="gafj-01"),
        # The convener's token names him and his unit only (meetings-api.md).
        "CONVENER": token(unit="qzf", person="2017-01"),
        "TODAY": TODAY.isoformat(),
        "DUE": (TODAY + timedelta(days=14)).isoformat(),
    }


Nudge = Callable[[], Awaitable[object]]


async def _nothing() -> None:
    return None


async def _answered(walk: Walkthrough, example: Example, nudge: Nudge) -> None:
    """The page's answer; a query is asked again for a while, as a reader would, when
    what it shows comes from a projection or a watcher: the watcher's round the page
    waits 30 s for is run at once (`nudge`), never between the page's commands."""
    deadline = time.monotonic() + 30
    while True:
        answer = await run(walk, example)
        try:
            check(walk, example, answer)
        except AssertionError:
            # A refused command wrote nothing: it may be sent again once the service
            # knows what the page's reader would have waited for (roles, units).
            may_retry = is_query(example) or answer.status_code >= 400
            if not may_retry or time.monotonic() > deadline:
                raise
            await nudge()
            await asyncio.sleep(0.5)
        else:
            return


async def _walk(
    page: str,
    clients: dict[str, httpx.AsyncClient],
    tokens: TokenMaker,
    nudge: Nudge = _nothing,
) -> Walkthrough:
    variables = _variables(tokens)
    # The cases page was written on 2026-11-29, when its `$DUE` (14 days on) was this.
    shown_as = {'"2026-12-13"': f'"{variables["DUE"]}"'}
    walk = Walkthrough(clients, variables, shown_as=shown_as)
    ran = 0
    for example in examples(DOCS / page):
        if needs_the_shell(example, variables):
            continue
        await _answered(walk, example, nudge)
        ran += 1
    assert ran >= 20
    return walk


async def test_the_members_walkthrough_answers_as_the_page_shows(
    pg_server_url: str, template_database: str, kafka_bootstrap: str
) -> None:
    servers = LocalServers(
        pg_server_url, template_database, kafka_bootstrap, TOKENS, DISTRICT_FILE
    )
    settings = await servers.settings(MembersSettings)
    async with serving(create_members(settings)) as members:
        walk = await _walk(
            "members-api.md",
            {MEMBERS: members, "http://127.0.0.1:8001": members},
            TOKENS,
        )

    assert walk.checked >= 10


async def test_the_cases_walkthrough_answers_as_the_page_shows(
    pg_server_url: str, template_database: str, kafka_bootstrap: str
) -> None:
    # The stack's own watcher looks once at start, then after an hour.
    async with running_stack(pg_server_url, template_database, kafka_bootstrap) as s:
        watcher = await _watcher(s)
        clients = {
            MEMBERS: s.members,
            CASES: s.cases,
            "http://127.0.0.1:8001": s.members,
            "http://127.0.0.1:8002": s.cases,
        }
        try:
            walk = await _walk("cases-api.md", clients, TOKENS, watcher.check_once)
        finally:
            await watcher.store.pool.close()

    assert walk.checked >= 10


async def test_the_meetings_walkthrough_answers_as_the_page_shows(
    pg_server_url: str, template_database: str, kafka_bootstrap: str
) -> None:
    async with running_meetings(pg_server_url, template_database, kafka_bootstrap) as s:
        url = s.meetings_settings.database_url
        assert url is not None
        pool = await create_pool(url)
        watcher = action_watcher(
            EventStore(pool, signer=service_signer(s.meetings_settings)),
            pool,
            zone=ZONE,
            interval=3600,
        )
        clients = {
            MEMBERS: s.members,
            CASES: s.cases,
            MEETINGS: s.meetings,
            "http://127.0.0.1:8002": s.cases,
            "http://127.0.0.1:8003": s.meetings,
        }
        try:
            walk = await _walk(
                "meetings-api.md", clients, MEETINGS_TOKENS, watcher.check_once
            )
        finally:
            await pool.close()

    assert walk.checked >= 10
