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

from services.members.app import create_app as create_members
from services.members.settings import MembersSettings
from shared.domain import Role
from tests.integration.cases.conftest import (
    DISTRICT_FILE,
    TODAY,
    TOKENS,
    running_stack,
)
from tests.integration.cases.test_cases_api import _watcher
from tests.service_server import LocalServers, serving
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


def _token(*roles: Role, unit: str = "rsj", person: str = "office") -> str:
    return TOKENS.headers(*roles, person=person, unit=unit)["Authorization"][7:]


VARIABLES = {
    "QQ": MEMBERS,
    "QC": CASES,
    "QQ_TOKEN": _token(Role.OFFICE),
    "JSJ_TOKEN": _token(Role.UNIT_STAFF, unit="jsj", person="p"),
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
    deadline = time.monotonic() + (30 if is_query(example) else 0)
    while True:
        answer = await run(walk, example)
        try:
            check(walk, example, answer)
        except AssertionError:
            if time.monotonic() > deadline:
                raise
            await nudge()
            await asyncio.sleep(0.5)
        else:
            return


# The cases page was written on 2026-11-29, when its `$DUE` (14 days on) was this.
SHOWN_AS = {'"2026-12-13"': f'"{VARIABLES["DUE"]}"'}


async def _walk(
    page: str, clients: dict[str, httpx.AsyncClient], nudge: Nudge = _nothing
) -> Walkthrough:
    walk = Walkthrough(clients, VARIABLES, shown_as=SHOWN_AS)
    ran = 0
    for example in examples(DOCS / page):
        if needs_the_shell(example, VARIABLES):
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
            "members-api.md", {MEMBERS: members, "http://127.0.0.1:8001": members}
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
            walk = await _walk("cases-api.md", clients, watcher.check_once)
        finally:
            await watcher.store.pool.close()

    assert walk.checked >= 10
