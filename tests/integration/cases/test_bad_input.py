"""Every bad input to cases (and members beside it) is a 4xx naming the field and the
rule, and writes nothing: NUL bytes in a body, a path or a query, offsets past a
bigint, dates out of the window, undeclared query parameters, oversized bodies
(issue 12 item 7)."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import asyncpg
import httpx
import pytest
import pytest_asyncio

from tests.integration.cases.conftest import Stack
from tests.integration.cases.test_cases_api import intake, problem, receive, step
from tests.session_zone import TODAY

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]

BEYOND_BIGINT = str(2**63)


@pytest_asyncio.fixture(loop_scope="session")
async def cases_db(stack: Stack) -> AsyncIterator[asyncpg.Connection]:
    assert stack.settings.database_url is not None
    conn = await asyncpg.connect(stack.settings.database_url)
    try:
        yield conn
    finally:
        await conn.close()


async def written(conn: asyncpg.Connection) -> tuple[int, int]:
    """How many events and command records the cases database holds."""
    row = await conn.fetchrow(
        "SELECT (SELECT count(*) FROM events), (SELECT count(*) FROM commands)"
    )
    assert row is not None
    return int(row[0]), int(row[1])


def refused(answer: httpx.Response, pointer: str, rule: str) -> None:
    """A 422 invalid-input naming that field and rule."""
    body = problem(answer, 422, "invalid-input")
    assert {"pointer": pointer, "rule": rule} in [
        {"pointer": e["pointer"], "rule": e["rule"]} for e in body["errors"]
    ], body


async def test_a_nul_byte_in_any_text_field_is_refused_and_nothing_is_written(
    stack: Stack, cases_db: asyncpg.Connection
) -> None:
    before = await written(cases_db)
    bodies: list[tuple[dict[str, Any], str]] = [
        (intake(employer={"name": "劳务\x00公司"}), "#/employer/name"),
        (intake(summary="欠薪\x00"), "#/summary"),
        (intake(project={"name": "\x00"}), "#/project/name"),
    ]

    for body, pointer in bodies:
        refused(
            await stack.cases.post("/cases", json=body),
            pointer,
            "no_control_characters",
        )

    assert await written(cases_db) == before


async def test_a_nul_byte_in_a_path_or_a_query_is_refused(stack: Stack) -> None:
    refused(
        await stack.cases.get("/streams/case-2024%00/events"),
        "#/path/stream_id",
        "string_pattern_mismatch",
    )
    refused(
        await stack.cases.get("/cases/2024-00%0012/events"),
        "#/path/case_id",
        "string_pattern_mismatch",
    )
    refused(
        await stack.cases.get("/cases", params={"unit": "rsj\x00"}),
        "#/query/unit",
        "string_pattern_mismatch",
    )
    refused(
        await stack.cases.get("/operations/parked-events?projection=%00"),
        "#/query/projection",
        "string_pattern_mismatch",
    )


async def test_offsets_and_sequences_past_a_bigint_are_refused(stack: Stack) -> None:
    refused(
        await stack.cases.get("/cases", params={"offset": BEYOND_BIGINT}),
        "#/query/offset",
        "less_than_equal",
    )
    refused(
        await stack.cases.get("/events", params={"after_sequence": BEYOND_BIGINT}),
        "#/query/after_sequence",
        "less_than_equal",
    )
    assert (await stack.cases.get("/cases", params={"offset": 2**63 - 1})).json() == []


async def test_a_case_received_on_the_first_day_of_year_one_is_refused(
    stack: Stack, cases_db: asyncpg.Connection
) -> None:
    before = await written(cases_db)

    answer = await stack.cases.post("/cases", json=intake(received_on="0001-01-01"))

    refused(answer, "#/received_on", "date_in_window")
    assert await written(cases_db) == before
    assert (await stack.cases.get("/totals")).status_code == 200


async def test_a_payment_deadline_of_9999_12_31_is_refused(
    stack: Stack, cases_db: asyncpg.Connection
) -> None:
    case_id = await receive(stack)
    today = TODAY.isoformat()
    accepted = await step(stack, case_id, "accept", {"accepted_on": today})
    assert accepted.status_code == 200, accepted.text
    before = await written(cases_db)

    answer = await step(
        stack,
        case_id,
        "order-payment",
        {
            "ordered_on": today,
            "pay_by": "9999-12-31",
            "served_on": today,
            "service_method": "in_person",
            "amount": "20000.00",
        },
    )

    refused(answer, "#/pay_by", "date_in_window")
    assert await written(cases_db) == before


@pytest.mark.parametrize(
    ("amount", "rule"), [("-0", "no_negative_zero"), ("２００００", "ascii_decimal")]
)
async def test_minus_zero_and_full_width_digits_are_not_amounts(
    stack: Stack, cases_db: asyncpg.Connection, amount: str, rule: str
) -> None:
    before = await written(cases_db)

    answer = await stack.cases.post("/cases", json=intake(amount_owed=amount))

    refused(answer, "#/amount_owed", rule)
    assert await written(cases_db) == before


async def test_an_override_reason_does_not_make_any_text_a_credit_code(
    stack: Stack, cases_db: asyncpg.Connection
) -> None:
    before = await written(cases_db)
    employer = {
        "name": "某公司",
        "uscc": "<script>alert(1)</script>",
        "uscc_override_reason": "early code",
    }

    answer = await stack.cases.post("/cases", json=intake(employer=employer))

    refused(answer, "#/employer/uscc", "uscc_format")
    assert await written(cases_db) == before


async def test_an_unknown_query_parameter_is_refused_not_ignored(
    stack: Stack, cases_db: asyncpg.Connection
) -> None:
    refused(
        await stack.cases.get("/cases", params={"criminal": "referred"}),
        "#/query/criminal",
        "unknown_query_parameter",
    )
    refused(
        await stack.cases.get("/events", params={"after": "5"}),
        "#/query/after",
        "unknown_query_parameter",
    )
    before = await written(cases_db)

    answer = await stack.cases.post("/cases", params={"dry_run": "1"}, json=intake())

    refused(answer, "#/query/dry_run", "unknown_query_parameter")
    assert await written(cases_db) == before


async def test_an_as_of_time_out_of_range_is_refused(stack: Stack) -> None:
    case_id = await receive(stack)

    for moment in ("0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00"):
        answer = await stack.cases.get(f"/cases/{case_id}", params={"as_of": moment})

        refused(answer, "#/query/as_of", "datetime_in_window")


async def test_a_text_over_its_maximum_length_is_refused(stack: Stack) -> None:
    answer = await stack.cases.post("/cases", json=intake(summary="x" * 4001))

    refused(answer, "#/summary", "string_too_long")


async def test_a_relief_dated_before_the_appointment_is_refused(stack: Stack) -> None:
    person = {
        "person_id": "bad-input-1",
        "name": "李四",
        "unit_code": "rsj",
        "title": "科员",
        "effective_on": TODAY.isoformat(),
    }
    appointed = await stack.members.post("/people", json=person)
    assert appointed.status_code == 201, appointed.text
    events = await stack.members.get("/people/bad-input-1/events")

    answer = await stack.members.post(
        "/people/bad-input-1/relieve",
        json={
            "reason": "调任",
            "effective_on": (TODAY - timedelta(days=1)).isoformat(),
        },
    )

    refused(answer, "#/effective_on", "not_before_appointment")
    after = await stack.members.get("/people/bad-input-1/events")
    assert [e["id"] for e in after.json()] == [e["id"] for e in events.json()]


@pytest.mark.parametrize("if_match", ["²".encode("latin-1"), b"9" * 30])
async def test_an_if_match_that_is_no_version_number_is_refused(
    stack: Stack, cases_db: asyncpg.Connection, if_match: bytes
) -> None:
    case_id = await receive(stack)
    before = await written(cases_db)

    answer = await stack.cases.post(
        f"/cases/{case_id}/accept",
        json={"accepted_on": TODAY.isoformat()},
        headers={b"If-Match": if_match},
    )

    refused(answer, "#/headers/If-Match", "version_number")
    assert await written(cases_db) == before


async def test_a_wait_for_position_past_a_bigint_is_refused(stack: Stack) -> None:
    answer = await stack.cases.get(
        "/cases", params={"wait_for": f"case-2024-000001@{2**63}"}
    )

    refused(answer, "#/query/wait_for/0", "stream_at_position")


async def test_a_body_over_the_limit_is_413_and_nothing_is_written(
    stack: Stack, cases_db: asyncpg.Connection
) -> None:
    before = await written(cases_db)
    # A 10 MB progress report, as an attacker would send one.
    body = intake(summary="欠" * (4 * 1024 * 1024))

    answer = await stack.cases.post("/cases", json=body)

    problem(answer, 413, "payload-too-large")
    assert await written(cases_db) == before


async def test_wait_for_waits_five_seconds_in_all_not_five_per_stream(
    stack: Stack,
) -> None:
    # Twenty streams that will never be visible: at most one wait of 5 s, not 100 s.
    params = {"wait_for": [f"case-1999-{n:06d}@v1" for n in range(20)]}
    started = time.monotonic()

    answer = await stack.cases.get("/cases", params=params)

    assert answer.status_code == 200
    assert time.monotonic() - started < 9
