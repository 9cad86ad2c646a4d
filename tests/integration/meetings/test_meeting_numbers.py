"""Meeting numbers under concurrent requests: repeats of one Idempotency-Key all get
the first meeting, different proposals take every number once, a refused proposal
takes none."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from tests.integration.credit.conftest import day, fetchval
from tests.integration.meetings.conftest import Stack
from tests.session_zone import TODAY
from tests.support import eventually
from tests.yearly_numbers import (
    assert_gap_free,
    distinct_successes,
    events_failing_when,
    post_together,
    same_success,
)

pytestmark = [
    pytest.mark.integration,
    pytest.mark.asyncio(loop_scope="session"),
    pytest.mark.timeout(120),
]

PREFIX = f"meeting-{TODAY.year}-"


def plenary(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "kind": "plenary",
        "title": "全体会议",
        "agenda": [{"title": "通报清欠工作"}],
        "proposed_on": day(0),
    }
    return body | overrides


async def gap_free(stack: Stack) -> int:
    return await assert_gap_free(
        stack.meetings_settings.database_url,
        table="meeting_numbers",
        year=TODAY.year,
        stream_prefix=PREFIX,
    )


async def units_known(stack: Stack) -> None:
    """A plenary invites every active unit: wait for the directory from members."""

    async def known() -> bool:
        count = await fetchval(
            stack.meetings_settings.database_url,
            "SELECT count(*) FROM member_units WHERE is_active",
        )
        return bool(count)

    await eventually(known, timeout=60)


async def test_fifty_repeats_of_one_key_at_once_all_get_the_first_meeting(
    stack: Stack,
) -> None:
    await units_known(stack)
    before = await gap_free(stack)
    key = {"Idempotency-Key": f"propose-{uuid.uuid4()}"}

    answers = await post_together(stack.meetings, "/meetings", [(plenary(), key)] * 50)

    meeting = same_success(answers)
    assert meeting["stream"].startswith(PREFIX)
    assert await gap_free(stack) == before + 1


async def test_concurrent_different_proposals_take_every_number_once(
    stack: Stack,
) -> None:
    await units_known(stack)
    before = await gap_free(stack)

    answers = await post_together(
        stack.meetings,
        "/meetings",
        [(plenary(), {"Idempotency-Key": str(uuid.uuid4())}) for _ in range(30)],
    )

    assert len(distinct_successes(answers)) == 30
    assert await gap_free(stack) == before + 30


async def test_refused_proposals_among_good_ones_leave_no_gap(stack: Stack) -> None:
    await units_known(stack)
    before = await gap_free(stack)
    requests = [
        (
            plenary(proposed_on=day(1)) if i % 2 else plenary(),
            {"Idempotency-Key": str(uuid.uuid4())},
        )
        for i in range(20)
    ]

    answers = await post_together(stack.meetings, "/meetings", requests)

    for refused in answers[1::2]:
        assert refused.status_code == 422, refused.text
        assert refused.json()["code"] == "invalid-input"
    assert len(distinct_successes(answers[0::2])) == 10
    assert await gap_free(stack) == before + 10


async def test_a_proposal_that_fails_after_taking_its_number_gives_it_back(
    stack: Stack,
) -> None:
    await units_known(stack)
    before = await gap_free(stack)
    body = plenary(title="注入故障")
    key = {"Idempotency-Key": str(uuid.uuid4())}

    async with events_failing_when(
        stack.meetings_settings.database_url, "NEW.data->>'title' = '注入故障'"
    ):
        failed = await stack.meetings.post("/meetings", json=body, headers=key)
    retried = await stack.meetings.post("/meetings", json=body, headers=key)

    assert failed.status_code == 500, failed.text
    assert failed.json()["code"] == "internal-error"
    assert retried.status_code == 201, retried.text
    assert await gap_free(stack) == before + 1
