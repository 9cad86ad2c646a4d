"""The demo fills a fresh stack with dozens of cases in every state through the API,
and running it again writes nothing."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import asyncpg
import httpx
import pytest
import pytest_asyncio

from demo.cases import run_demo
from shared.domain import Role
from tests.integration.cases.conftest import TOKENS, Stack, running_stack
from tests.session_zone import TODAY
from tests.support import eventually

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]

MAIN_STATES = {
    "received",
    "awaiting_supplement",
    "rejected",
    "transferred_out",
    "investigating",
    "ordered_to_pay",
    "overdue",
    "paid",
    "handling_decided",
    "court_enforcement",
    "cancelled",
    "closed",
}
CRIMINAL_STATES = {
    "referral_proposed",
    "referral_approved",
    "referral_refused",
    "transferred_to_police",
    "police_filed",
    "police_declined",
    "reconsideration_requested",
}
ROSTER_UNITS = 27
# Only the office's unit and these get tokens: the other units' own steps are skipped.
UNIT_TOKENS = {
    unit: TOKENS.headers(Role.UNIT_STAFF, person=f"{unit}-staff", unit=unit)[
        "Authorization"
    ].removeprefix("Bearer ")
    for unit in ("jsj", "gafj", "fy")
}


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def watched(
    pg_server_url: str, template_database: str, kafka_bootstrap: str
) -> AsyncIterator[Stack]:
    """A stack whose deadline watcher looks every half second, as the demo waits on
    it to make orders overdue; once cases knows every unit of the roster."""
    async with running_stack(
        pg_server_url, template_database, kafka_bootstrap, deadline_watch_seconds=0.5
    ) as stack:

        async def roster_known() -> bool:
            active = "SELECT count(*) FROM member_units WHERE is_active"
            return await _count(stack, active) >= ROSTER_UNITS

        await eventually(roster_known, timeout=30)
        yield stack


async def test_the_demo_enters_dozens_of_cases_in_every_state_once(
    watched: Stack,
) -> None:
    answers: list[httpx.Response] = []

    async def keep(answer: httpx.Response) -> None:
        await answer.aread()
        answers.append(answer)

    watched.cases.event_hooks["response"].append(keep)
    try:
        first = await run_demo(
            watched.cases, today=TODAY, unit_tokens=UNIT_TOKENS, watcher_wait=60
        )
        first_answers = list(answers)
        written = await _count(watched, _OURS)
        answers.clear()
        again = await run_demo(watched.cases, today=TODAY, unit_tokens=UNIT_TOKENS)
        again_answers = list(answers)
        answers.clear()
        next_day = await run_demo(watched.cases, today=TODAY - timedelta(days=1))
    finally:
        watched.cases.event_hooks["response"].remove(keep)

    assert len(first.case_ids) >= 36
    assert first.created == len(first.case_ids)
    assert set(first.by_status) >= MAIN_STATES, first.by_status
    assert set(first.by_criminal) >= CRIMINAL_STATES, first.by_criminal
    assert first.unexpected == ()
    assert all("no token for" in s for s in first.skipped), first.skipped
    assert not any(s.split(": no token for ")[1] in UNIT_TOKENS for s in first.skipped)
    assert [_problem(a) for a in first_answers if not _is_expected(a)] == []
    assert again.case_ids == first.case_ids
    assert again.created == 0
    assert again.unexpected == ()
    assert [_problem(a) for a in again_answers if a.is_error] == []
    assert next_day.is_loaded_earlier
    assert next_day.case_ids == ()
    assert [_problem(a) for a in answers if a.is_error] == [
        (422, "idempotency-key-reused")
    ]
    assert await _count(watched, _OURS) == written


# Events the demo wrote (the deadline watcher writes as `system`).
_OURS = "SELECT count(*) FROM events WHERE actor <> 'system'"


def _problem(answer: httpx.Response) -> tuple[int, str]:
    return answer.status_code, answer.json().get("code", "") if answer.is_error else ""


def _is_expected(answer: httpx.Response) -> bool:
    """Success, or a race with the deadline watcher, which the demo sends again."""
    if answer.is_success:
        return True
    return answer.status_code == 409 and answer.json()["code"] == "concurrency-conflict"


async def _count(stack: Stack, sql: str) -> int:
    assert stack.settings.database_url is not None
    conn = await asyncpg.connect(stack.settings.database_url)
    try:
        return int(await conn.fetchval(sql))
    finally:
        await conn.close()
