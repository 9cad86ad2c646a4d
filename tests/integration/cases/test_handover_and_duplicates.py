"""The petitions bureau and the trade union hand complaints over themselves and follow
them; a new case for the same employer and project as an open one is flagged and
linked, and the office confirms or dismisses the flag (issue 14), over HTTP with each
unit's own token."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

import pytest
from stdnum.cn import uscc

from shared.domain import Role
from tests.integration.cases.conftest import TOKENS, Stack
from tests.integration.cases.test_cases_api import intake, problem, step
from tests.session_zone import TODAY
from tests.support import eventually

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]

XFJ = TOKENS.headers(Role.UNIT_STAFF, person="xfj-staff", unit="xfj")
ZGH = TOKENS.headers(Role.UNIT_STAFF, person="zgh-staff", unit="zgh")
JSJ = TOKENS.headers(Role.UNIT_STAFF, person="jsj-staff", unit="jsj")


def new_uscc() -> str:
    """A valid code no other test uses: the duplicate rule matches by employer."""
    body = "91630100" + uuid.uuid4().hex[:9].upper()
    return body + uscc.calc_check_digit(body)


def complaint(code: str, **overrides: Any) -> dict[str, Any]:
    body = intake(unit_reference=f"信访-{uuid.uuid4().hex[:6]}", **overrides)
    body.pop("source")
    body["employer"] = {"name": "青海某建筑劳务有限公司", "uscc": code}
    return body


async def hand_over(stack: Stack, body: dict[str, Any], headers: dict[str, str]) -> str:
    answer = await stack.cases.post("/cases/hand-over", json=body, headers=headers)
    assert answer.status_code == 201, answer.text
    stream: str = answer.json()["stream"]
    return stream.removeprefix("case-")


async def listed(
    stack: Stack, headers: dict[str, str], **query: str
) -> dict[str, dict[str, Any]]:
    answer = await stack.cases.get("/cases", params=query, headers=headers)
    assert answer.status_code == 200, answer.text
    return {c["case_id"]: c for c in answer.json()}


async def test_the_petitions_bureau_hands_over_and_sees_what_became_of_it(
    stack: Stack,
) -> None:
    case_id = await hand_over(stack, complaint(new_uscc()), XFJ)

    async def shown_to_xfj(status: str) -> bool:
        mine = await listed(stack, XFJ, handed_over_by="xfj")
        return case_id in mine and mine[case_id]["status"] == status

    await eventually(lambda: shown_to_xfj("received"), timeout=15)
    accepted = await step(stack, case_id, "accept", {"accepted_on": TODAY.isoformat()})
    await eventually(lambda: shown_to_xfj("investigating"), timeout=15)

    assert accepted.status_code == 200
    mine = await listed(stack, XFJ, handed_over_by="xfj")
    assert mine[case_id]["source"] == "petition_handover"
    assert mine[case_id]["handed_over_by"] == "xfj"
    assert case_id not in await listed(stack, XFJ, handed_over_by="zgh")


async def test_the_trade_union_hands_over_a_union_report(stack: Stack) -> None:
    case_id = await hand_over(stack, complaint(new_uscc()), ZGH)

    detail = (await stack.cases.get(f"/cases/{case_id}", headers=ZGH)).json()

    assert detail["state"]["source"] == "union_report"
    assert detail["state"]["handed_over_by"] == "zgh"


async def test_a_unit_without_the_duty_is_refused_and_nothing_is_recorded(
    stack: Stack,
) -> None:
    code = new_uscc()

    refused = await stack.cases.post(
        "/cases/hand-over", json=complaint(code), headers=JSJ
    )
    unnamed = await stack.cases.post("/cases/hand-over", json=complaint(code))

    problem(refused, 403, "not-permitted")
    body = problem(unnamed, 422, "invalid-input")
    assert body["errors"][0]["pointer"] == "#/source"
    everyone = await listed(stack, {}, limit="500")
    assert all(c["employer_uscc"] != code for c in everyone.values())


async def test_unknown_or_malformed_filters_are_422(stack: Stack) -> None:
    problem(
        await stack.cases.get("/cases", params={"handed_by": "xfj"}),
        422,
        "invalid-input",
    )
    malformed = await stack.cases.get("/cases", params={"handed_over_by": "XFJ!"})
    assert malformed.status_code == 422


async def test_a_second_hand_over_for_the_same_employer_and_project_is_flagged(
    stack: Stack,
) -> None:
    code = new_uscc()
    first = await hand_over(
        stack, complaint(code, project={"name": "东关小区改造"}), XFJ
    )

    async def first_projected() -> bool:
        return first in await listed(stack, XFJ, handed_over_by="xfj")

    await eventually(first_projected, timeout=15)
    # Other workers, the same project written with a space more.
    second = await hand_over(
        stack, complaint(code, project={"name": "东关 小区改造"}), ZGH
    )

    detail = (await stack.cases.get(f"/cases/{second}")).json()
    assert detail["possible_duplicate_of"] == first
    assert detail["allowed_next"][:2] == ["confirm-duplicate", "dismiss-duplicate"]
    [flag] = [
        e
        for e in detail["history"]
        if e["type"].endswith("PossibleDuplicateFlagged.v1")
    ]
    assert flag["data"] == {"of_case_id": first, "reasons": ["same_project"]}

    async def linked() -> bool:
        earlier = (await stack.cases.get(f"/cases/{first}")).json()
        return bool(earlier["possible_duplicates"] == [second])

    await eventually(linked, timeout=15)

    owed_before = await _owed(stack)
    confirmed = await step(
        stack, second, "confirm-duplicate", {"confirmed_on": TODAY.isoformat()}
    )
    assert confirmed.status_code == 200, confirmed.text

    async def refused_as_duplicate() -> bool:
        row = (await listed(stack, ZGH, handed_over_by="zgh")).get(second, {})
        return row.get("status") == "rejected"

    await eventually(refused_as_duplicate, timeout=15)
    row = (await listed(stack, ZGH, handed_over_by="zgh"))[second]
    assert (row["possible_duplicate_of"], row["duplicate_resolution"]) == (
        first,
        "confirmed",
    )
    assert await _owed(stack) == owed_before - Decimal(row["amount_owed"])
    again = await step(
        stack,
        second,
        "dismiss-duplicate",
        {"dismissed_on": TODAY.isoformat(), "reason": "x"},
    )
    problem(again, 409, "invalid-transition")


async def test_the_office_dismisses_a_flag_and_the_case_goes_on(stack: Stack) -> None:
    code = new_uscc()
    body = complaint(code)
    first = await hand_over(stack, body, XFJ)

    async def first_projected() -> bool:
        return first in await listed(stack, XFJ, handed_over_by="xfj")

    await eventually(first_projected, timeout=15)
    # The same worker, another project: the office receives it itself.
    received = await stack.cases.post(
        "/cases",
        json=intake(
            employer=body["employer"],
            workers=body["workers"],
            project={"name": "另一个项目"},
        ),
    )
    assert received.status_code == 201, received.text
    second = received.json()["stream"].removeprefix("case-")

    dismissed = await step(
        stack,
        second,
        "dismiss-duplicate",
        {"dismissed_on": TODAY.isoformat(), "reason": "另一批欠薪，另一个项目"},
    )

    assert dismissed.status_code == 200, dismissed.text
    detail = (await stack.cases.get(f"/cases/{second}")).json()
    assert detail["status"] == "received"
    assert detail["state"]["duplicate_reasons"] == ["same_worker"]
    assert "confirm-duplicate" not in detail["allowed_next"]
    assert "accept" in detail["allowed_next"]


async def _owed(stack: Stack) -> Decimal:
    answer = await stack.cases.get("/totals", params={"by": "sector"})
    assert answer.status_code == 200, answer.text
    return sum((Decimal(t["amount_owed"]) for t in answer.json()), Decimal(0))
