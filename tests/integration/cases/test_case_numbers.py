"""Case numbers under concurrent requests: repeats of one Idempotency-Key all get the
first case, different cases take every number once, a refused case takes none."""

from __future__ import annotations

import uuid
from datetime import timedelta

import tests.yearly_numbers as numbers
from tests.integration.cases.conftest import Stack
from tests.integration.cases.test_cases_api import intake, problem
from tests.session_zone import TODAY

pytestmark = numbers.NUMBERS_TEST


def intakes(stack: Stack) -> numbers.NumberedCreate:
    return numbers.NumberedCreate(
        client=stack.cases,
        path="/cases",
        body=intake,
        refused={"received_on": (TODAY + timedelta(days=1)).isoformat()},
        database_url=stack.settings.database_url,
        table="case_numbers",
        year=TODAY.year,
        stream_prefix=f"case-{TODAY.year}-",
    )


async def test_fifty_repeats_of_one_key_at_once_all_get_the_first_case(
    stack: Stack,
) -> None:
    await numbers.repeats_of_one_key_get_the_first(intakes(stack))


async def test_concurrent_different_cases_take_every_number_once(stack: Stack) -> None:
    await numbers.different_ones_take_every_number_once(intakes(stack))


async def test_refused_cases_among_good_ones_leave_no_gap(stack: Stack) -> None:
    await numbers.refused_ones_leave_no_gap(intakes(stack))


async def test_another_case_under_a_used_key_is_refused_and_takes_no_number(
    stack: Stack,
) -> None:
    key = {"Idempotency-Key": f"intake-{uuid.uuid4()}"}
    first = await stack.cases.post("/cases", json=intake(), headers=key)
    assert first.status_code == 201, first.text
    before = await intakes(stack).gap_free()

    again = await stack.cases.post("/cases", json=intake(months_owed=5), headers=key)

    problem(again, 422, "idempotency-key-reused")
    assert await intakes(stack).gap_free() == before


async def test_a_case_that_fails_after_taking_its_number_gives_it_back(
    stack: Stack,
) -> None:
    await numbers.a_failure_after_the_number_gives_it_back(
        intakes(stack), {"months_owed": 97}, "NEW.data->>'months_owed' = '97'"
    )
