"""Case numbers under concurrent requests: repeats of one Idempotency-Key all get the
first case, different cases take every number once, a refused case takes none."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from tests.integration.cases.conftest import Stack
from tests.integration.cases.test_cases_api import intake, problem
from tests.session_zone import TODAY
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

PREFIX = f"case-{TODAY.year}-"


async def gap_free(stack: Stack) -> int:
    return await assert_gap_free(
        stack.settings.database_url,
        table="case_numbers",
        year=TODAY.year,
        stream_prefix=PREFIX,
    )


async def test_fifty_repeats_of_one_key_at_once_all_get_the_first_case(
    stack: Stack,
) -> None:
    before = await gap_free(stack)
    key = {"Idempotency-Key": f"intake-{uuid.uuid4()}"}
    body = intake()

    answers = await post_together(stack.cases, "/cases", [(body, key)] * 50)

    case = same_success(answers)
    assert case["stream"].startswith(PREFIX)
    assert case["version"] >= 1
    assert await gap_free(stack) == before + 1


async def test_concurrent_different_cases_take_every_number_once(stack: Stack) -> None:
    before = await gap_free(stack)

    answers = await post_together(
        stack.cases,
        "/cases",
        [(intake(), {"Idempotency-Key": str(uuid.uuid4())}) for _ in range(30)],
    )

    assert len(distinct_successes(answers)) == 30
    assert await gap_free(stack) == before + 30


async def test_refused_cases_among_good_ones_leave_no_gap(stack: Stack) -> None:
    before = await gap_free(stack)
    tomorrow = (TODAY + timedelta(days=1)).isoformat()
    requests = [
        (
            intake(received_on=tomorrow) if i % 2 else intake(),
            {"Idempotency-Key": str(uuid.uuid4())},
        )
        for i in range(20)
    ]

    answers = await post_together(stack.cases, "/cases", requests)

    for refused in answers[1::2]:
        problem(refused, 422, "invalid-input")
    assert len(distinct_successes(answers[0::2])) == 10
    assert await gap_free(stack) == before + 10


async def test_another_case_under_a_used_key_is_refused_and_takes_no_number(
    stack: Stack,
) -> None:
    key = {"Idempotency-Key": f"intake-{uuid.uuid4()}"}
    first = await stack.cases.post("/cases", json=intake(), headers=key)
    assert first.status_code == 201, first.text
    before = await gap_free(stack)

    again = await stack.cases.post("/cases", json=intake(months_owed=5), headers=key)

    problem(again, 422, "idempotency-key-reused")
    assert await gap_free(stack) == before


async def test_a_case_that_fails_after_taking_its_number_gives_it_back(
    stack: Stack,
) -> None:
    before = await gap_free(stack)
    key = {"Idempotency-Key": str(uuid.uuid4())}

    async with events_failing_when(
        stack.settings.database_url, "NEW.data->>'months_owed' = '97'"
    ):
        failed = await stack.cases.post(
            "/cases", json=intake(months_owed=97), headers=key
        )
    retried = await stack.cases.post("/cases", json=intake(months_owed=97), headers=key)

    problem(failed, 500, "internal-error")
    assert retried.status_code == 201, retried.text
    assert await gap_free(stack) == before + 1
