"""The police and the court record their own acts over HTTP with a token of their unit
(the `police` and `court` duties of `[duty_units]`); staff of another unit get a 403
and the case is unchanged. What the court realised shows as recovered."""

from __future__ import annotations

from datetime import timedelta

import pytest

from shared.domain import Role
from tests.integration.cases.conftest import TOKENS, Stack
from tests.integration.cases.test_cases_api import (
    _deadline_projected,
    _watcher,
    problem,
    receive,
    step,
)
from tests.session_zone import TODAY
from tests.support import eventually

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]

POLICE = TOKENS.headers(Role.UNIT_STAFF, person="gafj-staff", unit="gafj")
COURT = TOKENS.headers(Role.UNIT_STAFF, person="fy-staff", unit="fy")
OTHER = TOKENS.headers(Role.UNIT_STAFF, person="jsj-staff", unit="jsj")
GRANTED = {200}


async def _steps(
    stack: Stack, case_id: str, *steps: tuple[str, dict[str, str]]
) -> None:
    """Office steps that must all be taken."""
    for path, body in steps:
        answer = await step(stack, case_id, path, body)
        assert answer.status_code in GRANTED, (path, answer.text)


async def test_the_police_file_a_case_referred_to_them_another_unit_may_not(
    stack: Stack,
) -> None:
    case_id = await receive(stack)
    today = TODAY.isoformat()
    await _steps(
        stack,
        case_id,
        ("accept", {"accepted_on": today}),
        ("propose-referral", {"proposed_on": today, "grounds": "拒不支付劳动报酬"}),
        ("approve-referral", {"approved_on": today, "approved_by": "区人社局局长"}),
        ("transfer-to-police", {"transferred_on": today, "police_unit": "gafj"}),
    )
    filing = {"filed_on": today, "document_number": "东公(刑)立字〔2024〕15号"}

    refused = await step(stack, case_id, "record-police-filing", filing, OTHER)
    unnumbered = await step(
        stack, case_id, "record-police-filing", {"filed_on": today}, POLICE
    )
    filed = await step(stack, case_id, "record-police-filing", filing, POLICE)
    flagged = await step(
        stack,
        case_id,
        "flag-employer-absconded",
        {"flagged_on": today, "document_number": "东公(治)字〔2024〕3号"},
        POLICE,
    )

    problem(refused, 403, "not-permitted")
    problem(unnumbered, 422, "invalid-input")
    assert filed.status_code == flagged.status_code == 200, filed.text
    detail = (await stack.cases.get(f"/cases/{case_id}")).json()
    assert detail["criminal"] == "police_filed"
    assert detail["state"]["is_employer_absconded"] is True
    last = detail["history"][-2:]
    assert [e["type"] for e in last] == [
        "qingqian.cases.PoliceFiled.v2",
        "qingqian.cases.EmployerAbscondedFlagged.v2",
    ]
    assert last[0]["data"]["document_number"] == "东公(刑)立字〔2024〕15号"
    assert last[0]["actorunit"] == "gafj"


async def test_the_court_records_enforcement_and_what_it_realised_is_recovered(
    stack: Stack,
) -> None:
    case_id = await _enforced(stack)
    today = TODAY.isoformat()
    number = "（2024）东0102执1234号"
    accepted = {"accepted_on": today, "document_number": number}

    refused = await step(stack, case_id, "record-enforcement-accepted", accepted, OTHER)
    early = await step(
        stack,
        case_id,
        "record-enforcement-outcome",
        {
            "decided_on": today,
            "amount_realised": "1.00",
            "document_number": number,
            "is_concluded": False,
        },
        COURT,
    )
    answers = [
        await step(stack, case_id, "record-enforcement-accepted", accepted, COURT),
        await step(
            stack,
            case_id,
            "record-property-preservation",
            {
                "ordered_on": today,
                "document_number": number,
                "description": "冻结被执行人银行存款20000元",
            },
            COURT,
        ),
        await step(
            stack,
            case_id,
            "record-enforcement-outcome",
            {
                "decided_on": today,
                "amount_realised": "8000.00",
                "document_number": number,
                "is_concluded": False,
            },
            COURT,
        ),
    ]

    problem(refused, 403, "not-permitted")
    problem(early, 409, "enforcement-not-accepted")
    assert [a.status_code for a in answers] == [200, 200, 200], answers[-1].text
    detail = (await stack.cases.get(f"/cases/{case_id}")).json()
    assert detail["state"]["amount_recovered"] == "8000.00"
    assert detail["amount_still_owed"] == "12000.00"
    assert detail["state"]["court"]["accepted_on"] == today
    assert detail["state"]["court"]["preservations"] == 1
    assert detail["state"]["court"]["amount_realised"] == "8000.00"
    assert "record-enforcement-outcome" in detail["allowed_next"]
    last = answers[-1].json()
    listed = (
        await stack.cases.get(
            "/cases",
            params={
                "status": "court_enforcement",
                "wait_for": f"{last['stream']}@{last['position']}",
            },
        )
    ).json()
    [summary] = [c for c in listed if c["case_id"] == case_id]
    assert summary["amount_recovered"] == "8000.00"


async def _enforced(stack: Stack) -> str:
    """A case whose order lapsed unpaid, sent to the court for enforcement."""
    long_ago = TODAY - timedelta(days=40)
    case_id = await receive(stack, received_on=long_ago.isoformat())
    await _steps(
        stack,
        case_id,
        ("accept", {"accepted_on": (long_ago + timedelta(days=1)).isoformat()}),
        (
            "order-payment",
            {
                "ordered_on": (long_ago + timedelta(days=2)).isoformat(),
                "pay_by": (long_ago + timedelta(days=9)).isoformat(),
                "served_on": (long_ago + timedelta(days=2)).isoformat(),
                "service_method": "in_person",
                "amount": "20000.00",
            },
        ),
    )
    watcher = await _watcher(stack)

    async def order_projected() -> bool:
        return await _deadline_projected(stack, case_id, "payment_order")

    await eventually(order_projected)
    await watcher.check_once()
    await watcher.store.pool.close()
    await _steps(
        stack,
        case_id,
        ("apply-court-enforcement", {"applied_on": TODAY.isoformat()}),
    )
    return case_id
