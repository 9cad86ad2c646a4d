"""The penalty track over HTTP with the office's token: notice of intent, hearing asked
for, notified and held, penalty decided, fine paid; a late request is a 409 naming
the rule; the case and the list show the track and what it allows next (行政处罚法
arts. 44, 63–67, 85)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from services.cases.rules import CaseRules
from shared.domain import Role
from shared.settings import DistrictSettings
from tests.integration.cases.conftest import DISTRICT_FILE, TOKENS, Stack
from tests.integration.cases.test_cases_api import problem, receive, step
from tests.session_zone import TODAY
from tests.support import eventually

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]

CALENDAR = CaseRules.from_district(DistrictSettings.load(DISTRICT_FILE)).calendar
OPENED_ON = TODAY - timedelta(days=40)
NOTIFIED_ON = TODAY - timedelta(days=30)
FINE = "30000.00"
COURT = TOKENS.headers(Role.UNIT_STAFF, person="fy-staff", unit="fy")


def notice(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "notified_on": NOTIFIED_ON.isoformat(),
        "facts": "拖欠农民工工资四个月",
        "reasons": "逾期未支付",
        "basis": "《保障农民工工资支付条例》第五十七条",
        "intended_fine": FINE,
        "has_hearing_right": True,
    }
    return body | overrides


async def noticed_case(stack: Stack) -> str:
    case_id = await receive(stack, received_on=OPENED_ON.isoformat())
    accepted = await step(
        stack, case_id, "accept", {"accepted_on": OPENED_ON.isoformat()}
    )
    noticed = await step(stack, case_id, "issue-notice-of-intent", notice())
    assert accepted.status_code == noticed.status_code == 200, noticed.text
    return case_id


async def detail(stack: Stack, case_id: str) -> dict[str, Any]:
    answer = await stack.cases.get(f"/cases/{case_id}")
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


def day(value: date) -> str:
    return value.isoformat()


async def test_a_penalty_runs_from_notice_through_hearing_to_the_fine_paid(
    stack: Stack,
) -> None:
    case_id = await noticed_case(stack)
    requested_on = NOTIFIED_ON + timedelta(days=1)
    hearing_on = CALENDAR.add_working_days(requested_on, 7).due

    requested = await step(
        stack, case_id, "request-hearing", {"requested_on": day(requested_on)}
    )
    after_request = await detail(stack, case_id)
    too_soon = await step(
        stack,
        case_id,
        "schedule-hearing",
        {
            "notified_on": day(requested_on),
            "hearing_on": day(hearing_on - timedelta(days=1)),
            "place": "区人社局听证室",
        },
    )
    scheduled = await step(
        stack,
        case_id,
        "schedule-hearing",
        {
            "notified_on": day(requested_on),
            "hearing_on": day(hearing_on),
            "place": "区人社局听证室",
        },
    )
    held = await step(
        stack,
        case_id,
        "record-hearing",
        {"heard_on": day(hearing_on), "summary": "当事人陈述申辩"},
    )
    decided = await step(
        stack,
        case_id,
        "decide-penalty",
        {"decided_on": day(hearing_on), "served_on": day(hearing_on), "fine": FINE},
    )
    after_decision = await detail(stack, case_id)
    paid = await step(
        stack,
        case_id,
        "record-fine-paid",
        {"paid_on": day(hearing_on), "amount": FINE},
    )

    assert (
        requested.status_code
        == scheduled.status_code
        == held.status_code
        == decided.status_code
        == paid.status_code
        == 200
    )
    problem(too_soon, 409, "hearing-notice-too-short")
    assert after_request["penalty"] == "hearing_requested"
    assert "schedule-hearing" in after_request["allowed_next"]
    assert "decide-penalty" not in after_request["allowed_next"]
    assert after_decision["penalty"] == "decided"
    assert {"record-fine-paid", "propose-referral"} <= set(
        after_decision["allowed_next"]
    )
    fine_due = day(hearing_on + timedelta(days=15))
    assert {"kind": "fine_payment", "due": fine_due} in [
        {"kind": d["kind"], "due": d["due"]} for d in after_decision["deadlines"]
    ]
    paid_case = await detail(stack, case_id)
    assert paid_case["penalty"] == "fine_paid"
    assert paid_case["state"]["penalty_proceedings"]["surcharge_due"] == "0.00"
    types = [e["type"].split(".")[2] for e in paid_case["history"]][2:]
    assert types == [
        "NoticeOfIntentIssued",
        "HearingRequested",
        "HearingScheduled",
        "HearingHeld",
        "PenaltyDecided",
        "FinePaid",
    ]

    async def listed() -> bool:
        params = {"penalty": "fine_paid", "limit": "500"}
        rows = (await stack.cases.get("/cases", params=params)).json()
        return case_id in [r["case_id"] for r in rows]

    await eventually(listed)
    rows = (await stack.cases.get("/cases", params={"penalty": "decided"})).json()
    assert case_id not in [r["case_id"] for r in rows]
    problem(
        await stack.cases.get("/cases", params={"penalty": "fined"}),
        422,
        "invalid-input",
    )


async def test_a_hearing_asked_for_after_five_working_days_is_refused(
    stack: Stack,
) -> None:
    case_id = await noticed_case(stack)
    before = await detail(stack, case_id)

    late = await step(stack, case_id, "request-hearing", {"requested_on": day(TODAY)})

    body = problem(late, 409, "hearing-request-too-late")
    assert "too late" in body["detail"]
    after = await detail(stack, case_id)
    assert after["version"] == before["version"]
    assert after["penalty"] == "notice_of_intent"
    # The window closed long ago: deciding is next, asking for a hearing is not.
    assert "decide-penalty" in after["allowed_next"]
    assert "request-hearing" not in after["allowed_next"]


async def test_an_unpaid_fine_holds_closing_and_a_referral_runs_beside_the_penalty(
    stack: Stack,
) -> None:
    case_id = await noticed_case(stack)
    decided_on = day(TODAY - timedelta(days=1))
    decided = await step(
        stack,
        case_id,
        "decide-penalty",
        {"decided_on": decided_on, "served_on": decided_on, "fine": "10000.00"},
    )
    ordered = await step(
        stack,
        case_id,
        "order-payment",
        {
            "ordered_on": day(TODAY),
            "pay_by": day(TODAY + timedelta(days=7)),
            "served_on": day(TODAY),
            "service_method": "in_person",
            "amount": "20000.00",
        },
    )
    paid = await step(
        stack, case_id, "record-payment", {"paid_on": day(TODAY), "amount": "20000.00"}
    )
    unpaid = await step(stack, case_id, "close", {"closed_on": day(TODAY)})
    referred = await step(
        stack,
        case_id,
        "propose-referral",
        {"proposed_on": day(TODAY), "grounds": "拒不支付劳动报酬"},
    )

    assert (
        decided.status_code
        == ordered.status_code
        == paid.status_code
        == referred.status_code
        == 200
    )
    problem(unpaid, 409, "fine-unpaid")
    case = await detail(stack, case_id)
    assert (case["status"], case["criminal"], case["penalty"]) == (
        "paid",
        "referral_proposed",
        "decided",
    )
    assert "close" not in case["allowed_next"]


async def test_no_penalty_after_the_defence_settles_the_track(stack: Stack) -> None:
    # Given a notice whose hearing window closed, when the office decides to impose
    # no penalty, then the track is `no_penalty` and offers no decision any more; a
    # decision served in 2099 was refused first, naming `served_on`.
    case_id = await noticed_case(stack)
    decided_on = day(TODAY - timedelta(days=1))
    future = await step(
        stack,
        case_id,
        "decide-penalty",
        {"decided_on": decided_on, "served_on": "2099-01-05", "fine": FINE},
    )
    none = await step(
        stack,
        case_id,
        "decide-no-penalty",
        {"decided_on": decided_on, "reason": "当事人陈述申辩成立"},
    )

    body = problem(future, 422, "invalid-input")
    assert body["errors"][0]["pointer"] == "#/served_on"
    assert body["errors"][0]["rule"] == "not_in_future"
    assert none.status_code == 200, none.text
    case = await detail(stack, case_id)
    assert case["penalty"] == "no_penalty"
    assert not {"decide-penalty", "decide-no-penalty"} & set(case["allowed_next"])


async def test_a_fine_sent_to_the_court_reaches_the_court(stack: Stack) -> None:
    # Given a fine decided and unpaid after its 15 days, when the office applies to
    # the court, then the court finds the case in its inbox and records its
    # acceptance, though the case's own status is not court enforcement.
    case_id = await noticed_case(stack)
    decided_on = day(TODAY - timedelta(days=20))
    decided = await step(
        stack,
        case_id,
        "decide-penalty",
        {"decided_on": decided_on, "served_on": decided_on, "fine": FINE},
    )
    applied = await step(
        stack, case_id, "apply-fine-enforcement", {"applied_on": day(TODAY)}
    )
    assert decided.status_code == applied.status_code == 200, applied.text

    async def with_the_court() -> bool:
        inbox = (await stack.cases.get("/inbox", headers=COURT)).json()
        return any(
            (i["kind"], i["link"]) == ("court_enforcement", f"/cases/{case_id}")
            for i in inbox
        )

    await eventually(with_the_court)
    accepted = await step(
        stack,
        case_id,
        "record-enforcement-accepted",
        {"accepted_on": day(TODAY), "document_number": "（2024）东0102执99号"},
        COURT,
    )
    assert accepted.status_code == 200, accepted.text
    case = await detail(stack, case_id)
    assert case["status"] != "court_enforcement"
    assert case["state"]["court"]["accepted_on"] == day(TODAY)
