"""Over HTTP, with a token of each unit: the construction bureau records a stop-work
order on a published listing and on a case credit heard of (the court may not), lifts
it once the employer paid; and early removal counts from the full payment cases
recorded during the listing, never from a day the employer declares."""

from __future__ import annotations

from typing import Any

import pytest

from shared.domain import Role
from tests.integration.credit.conftest import TOKENS, Chain, day, fetchval, ok
from tests.support import eventually

pytestmark = [
    pytest.mark.integration,
    pytest.mark.asyncio(loop_scope="session"),
    pytest.mark.timeout(180),
]

USCC = "91110108551385082Q"
JSJ = TOKENS.headers(Role.UNIT_STAFF, person="jsj-staff", unit="jsj")
FY = TOKENS.headers(Role.UNIT_STAFF, person="fy-staff", unit="fy")
COMMITMENT = "本公司承诺今后按时足额支付农民工工资"


async def received_case(chain: Chain, uscc: str = USCC) -> str:
    """A case received 300 days ago and accepted, that credit has heard of."""
    received = await ok(
        await chain.cases.post(
            "/cases",
            json={
                "source": "complaint",
                "sector": "construction",
                "employer": {"name": "某劳务公司", "uscc": uscc},
                "project": {"name": "城东区某安置小区项目"},
                "workers_count": 15,
                "months_owed": 5,
                "amount_owed": "180000.00",
                "territorial_unit": "sq-huochezhan",
                "received_on": day(-300),
            },
        )
    )
    case_id: str = received["stream"].removeprefix("case-")
    await ok(
        await chain.cases.post(
            f"/cases/{case_id}/accept", json={"accepted_on": day(-299)}
        )
    )

    async def credit_knows_it() -> bool:
        return bool(await _outcome(chain, case_id, "received_on"))

    await eventually(credit_knows_it, timeout=30)
    return case_id


async def _outcome(chain: Chain, case_id: str, column: str) -> Any:
    # `column` is one of the two names the tests pass.
    return await fetchval(
        chain.credit_settings.database_url,
        f"SELECT {column} FROM case_outcomes WHERE case_stream = $1",
        f"case-{case_id}",
    )


async def published_listing(chain: Chain, case_ids: list[str], uscc: str = USCC) -> str:
    """A listing opened by hand on those cases (or none), decided 260 days ago and
    published."""
    opened = await ok(
        await chain.credit.post(
            "/listings",
            json={
                "subject": {"kind": "employer", "name": "某劳务公司", "uscc": uscc},
                "grounds": {
                    "case_ids": case_ids,
                    "amount_owed": "180000.00",
                    "months_owed": 5,
                    "workers_count": 15,
                    "is_order_overdue": True,
                },
                "opened_from": "by_hand",
                "opened_on": day(-290),
            },
        )
    )
    step = f"/listings/{opened['stream'].removeprefix('listing-')}"
    await ok(
        await chain.credit.post(
            f"{step}/serve-notice", json={"served_on": day(-289), "method": "in_person"}
        )
    )
    decision = {
        "decided_on": day(-260),
        "decision_id": "东人社惩决〔2026〕9号",
        "decided_by": "区人社局局长",
    }
    await ok(await chain.credit.post(f"{step}/decide", json=decision))
    await ok(
        await chain.credit.post(f"{step}/publish", json={"published_on": day(-260)})
    )
    return step


def stop_work(**tie: str) -> dict[str, Any]:
    return {
        "kind": "stop_work_order",
        "taken_on": day(-250),
        "basis": "保障农民工工资支付条例第五十五条",
        "reference": "东建停字〔2026〕3号",
        **tie,
    }


def problem(answer: Any, status: int, code: str) -> dict[str, Any]:
    assert answer.status_code == status, answer.text
    body: dict[str, Any] = answer.json()
    assert body["code"] == code, body
    return body


async def test_the_construction_bureau_records_its_measures_and_early_removal_counts_from_the_recorded_payment(
    chain: Chain,
) -> None:
    case_id = await received_case(chain)
    step = await published_listing(chain, [case_id])
    listing_id = step.removeprefix("/listings/")

    # the construction bureau's own stop-work order on the published listing
    order = await ok(
        await chain.credit.post(
            "/construction-measures",
            json=stop_work(listing_id=listing_id),
            headers=JSJ,
        )
    )
    measure_id = order["stream"].removeprefix("measure-")
    court = await chain.credit.post(
        "/construction-measures", json=stop_work(listing_id=listing_id), headers=FY
    )
    assert court.status_code == 403, court.text
    on_case = await chain.credit.post(
        "/construction-measures", json=stop_work(case_id=case_id), headers=JSJ
    )
    assert on_case.status_code == 201, on_case.text
    unknown = await chain.credit.post(
        "/construction-measures", json=stop_work(case_id="1999-000001"), headers=JSJ
    )
    body = problem(unknown, 422, "invalid-input")
    assert [e["rule"] for e in body["errors"]] == ["case_known"]
    assert "case_id" in body["errors"][0]["pointer"]

    wait = {"wait_for": f"{order['stream']}@{order['position']}"}
    listed = (
        await chain.credit.get(
            "/construction-measures", params={"listing_id": listing_id} | wait
        )
    ).json()
    assert [(m["measure_id"], m["status"], m["unit_code"]) for m in listed] == [
        (measure_id, "in_force", "jsj")
    ]
    assert listed[0]["allowed_next"] == ["lift"]
    bad_filter = await chain.credit.get(
        "/construction-measures", params={"colour": "red"}
    )
    assert bad_filter.status_code == 422, bad_filter.text
    unpaid = await chain.credit.post(
        f"/construction-measures/{measure_id}/lift",
        json={"lifted_on": day(-240), "reference": "东建复字〔2026〕1号"},
        headers=JSJ,
    )
    problem(unpaid, 409, "payment-not-on-record")

    # a payment declared before the decision, and one cases never recorded: 409
    before = await chain.credit.post(
        f"{step}/apply-for-early-removal",
        json={
            "applied_on": day(0),
            "paid_on": day(-270),
            "commitment_text": COMMITMENT,
        },
    )
    problem(before, 409, "payment-before-listing")
    not_recorded = await chain.credit.post(
        f"{step}/apply-for-early-removal",
        json={
            "applied_on": day(0),
            "paid_on": day(-200),
            "commitment_text": COMMITMENT,
        },
    )
    problem(not_recorded, 409, "payment-not-on-record")

    # paid in full during the listing, on record in cases, over 6 months ago
    await ok(
        await chain.cases.post(
            f"/cases/{case_id}/record-payment",
            json={"paid_on": day(-200), "amount": "180000.00"},
        )
    )

    async def credit_knows_it_was_paid() -> bool:
        return await _outcome(chain, case_id, "cleared_on") is not None

    await eventually(credit_knows_it_was_paid, timeout=30)
    await ok(
        await chain.credit.post(
            f"{step}/apply-for-early-removal",
            json={
                "applied_on": day(0),
                "paid_on": day(-200),
                "commitment_text": COMMITMENT,
            },
        )
    )
    pending = await ok(await chain.credit.get(step))
    assert "decide-early-removal" in pending["allowed_next"]
    assert "apply-for-early-removal" not in pending["allowed_next"]
    await ok(
        await chain.credit.post(
            f"{step}/decide-early-removal", json={"decided_on": day(0)}
        )
    )
    assert (await ok(await chain.credit.get(step)))["status"] == "removed"

    # the employer paid: the bureau lifts its stop-work order
    lifted = await ok(
        await chain.credit.post(
            f"/construction-measures/{measure_id}/lift",
            json={"lifted_on": day(0), "reference": "东建复字〔2026〕2号"},
            headers=JSJ,
        )
    )
    after = (
        await chain.credit.get(
            f"/construction-measures/{measure_id}",
            params={"wait_for": f"{lifted['stream']}@{lifted['position']}"},
        )
    ).json()
    assert (after["status"], after["lifted_on"]) == ("lifted", day(0))


async def test_an_order_finding_more_owed_after_clearance_takes_the_payment_off_record(
    chain: Chain,
) -> None:
    case_id = await received_case(chain)
    await ok(
        await chain.cases.post(
            f"/cases/{case_id}/record-payment",
            json={"paid_on": day(-250), "amount": "180000.00"},
        )
    )

    async def cleared() -> bool:
        return await _outcome(chain, case_id, "cleared_on") is not None

    await eventually(cleared, timeout=30)
    # the investigation found more owed: the order to pay says so
    await ok(
        await chain.cases.post(
            f"/cases/{case_id}/order-payment",
            json={
                "ordered_on": day(-240),
                "pay_by": day(-233),
                "served_on": day(-240),
                "service_method": "in_person",
                "amount": "20000.00",
            },
        )
    )

    async def owed_again() -> bool:
        return await _outcome(chain, case_id, "cleared_on") is None

    await eventually(owed_again, timeout=30)
    measure = await chain.credit.post(
        "/construction-measures", json=stop_work(case_id=case_id), headers=JSJ
    )
    measure_id = (await ok(measure))["stream"].removeprefix("measure-")
    still_owed = await chain.credit.post(
        f"/construction-measures/{measure_id}/lift",
        json={"lifted_on": day(0), "reference": "东建复字〔2026〕5号"},
        headers=JSJ,
    )
    problem(still_owed, 409, "payment-not-on-record")


async def test_a_listing_opened_without_a_case_weighs_the_employers_cases(
    chain: Chain,
) -> None:
    uscc = "91630102MA74P3MP20"
    case_id = await received_case(chain, uscc)
    step = await published_listing(chain, [], uscc)
    await ok(
        await chain.cases.post(
            f"/cases/{case_id}/record-payment",
            json={"paid_on": day(-200), "amount": "180000.00"},
        )
    )

    async def cleared() -> bool:
        return await _outcome(chain, case_id, "cleared_on") is not None

    await eventually(cleared, timeout=30)
    # the employer's case holds the payment: no evidence of the office's own
    evidence = await chain.credit.post(
        f"{step}/record-payment-evidence",
        json={"paid_on": day(-200), "evidence": "转账凭证", "verified_by": "王五"},
    )
    assert case_id in problem(evidence, 409, "payment-recorded-in-cases")["detail"]
    await ok(
        await chain.credit.post(
            f"{step}/apply-for-early-removal",
            json={
                "applied_on": day(0),
                "paid_on": day(-200),
                "commitment_text": COMMITMENT,
            },
        )
    )
