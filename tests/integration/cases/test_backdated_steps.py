"""Business date vs recording time over HTTP (issue #14): a step the office records
more than BACKDATED_AFTER_DAYS after its date is marked back-dated in its event and in
the case's history; the mark is outside the hash, so the log still verifies."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from shared.db import create_pool
from shared.jwks import published_keys
from shared.verify import verify
from tests.integration.cases.conftest import Stack
from tests.integration.cases.test_cases_api import receive
from tests.kafka_reader import read_topic
from tests.session_zone import TODAY

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]


async def history(stack: Stack, case_id: str) -> list[dict[str, Any]]:
    answer = await stack.cases.get(f"/cases/{case_id}/events")
    assert answer.status_code == 200, answer.text
    entries: list[dict[str, Any]] = answer.json()
    return entries


async def test_a_case_received_30_days_before_it_was_recorded_is_backdated(
    stack: Stack,
) -> None:
    received_on = TODAY - timedelta(days=30)

    case_id = await receive(stack, received_on=received_on.isoformat())

    [received] = await history(stack, case_id)
    assert received["type"] == "qingqian.cases.CaseReceived.v2"
    assert received["businessdate"] == received_on.isoformat()
    assert received["backdated"] is True


async def test_steps_dated_today_or_within_the_setting_are_not_backdated(
    stack: Stack,
) -> None:
    assert stack.settings.backdated_after_days == 7
    today_case = await receive(stack)
    week_case = await receive(stack, received_on=(TODAY - timedelta(7)).isoformat())
    accepted = await stack.cases.post(
        f"/cases/{today_case}/accept", json={"accepted_on": TODAY.isoformat()}
    )
    assert accepted.status_code == 200, accepted.text

    entries = [*await history(stack, today_case), *await history(stack, week_case)]

    assert [(e["businessdate"], e["backdated"]) for e in entries] == [
        (TODAY.isoformat(), False),
        (TODAY.isoformat(), False),
        ((TODAY - timedelta(7)).isoformat(), False),
    ]


async def test_the_day_past_the_setting_is_backdated_and_published_so(
    stack: Stack,
) -> None:
    case_id = await receive(stack, received_on=(TODAY - timedelta(8)).isoformat())

    [received] = await history(stack, case_id)
    messages = await read_topic(
        str(stack.settings.kafka_bootstrap),
        stack.settings.events_topic,
        until=lambda ms: any(m["subject"] == f"case-{case_id}" for m in ms),
    )

    assert received["backdated"] is True
    [published] = [m for m in messages if m["subject"] == f"case-{case_id}"]
    assert published["businessdate"] == (TODAY - timedelta(8)).isoformat()
    assert published["backdated"] is True
    assert published["hash"] == received["hash"]


async def test_the_log_with_backdated_steps_still_verifies(stack: Stack) -> None:
    await receive(stack, received_on=(TODAY - timedelta(30)).isoformat())
    assert stack.settings.database_url is not None
    pool = await create_pool(stack.settings.database_url, min_size=1, max_size=2)
    try:
        backdated = await pool.fetchval(
            "SELECT count(*) FROM events WHERE is_backdated"
        )

        report = await verify(pool, trust=published_keys(stack.settings))
    finally:
        await pool.close()

    assert backdated >= 1
    assert report.intact, report.problems
