"""The whole chain over HTTP and Kafka: a unit admitted in members → a case assigned to
it, ordered to pay and overdue above the threshold in cases → a candidate in credit,
notice, objection reviewed, decision, publication → units confirm their sanctions →
`GET /check` says listed → early removal refused (paid before the decision), revoked
on reconsideration → not listed, sanctions to lift and lifted."""

from __future__ import annotations

import uuid

import pytest

from services.cases.deadline_watcher import case_deadline_watcher
from services.cases.rules import CaseRules
from shared.auth import Scope
from shared.db import create_pool
from shared.domain import Role
from shared.jwks import service_signer
from shared.key_rotation import keyring_of
from shared.personal_data import PersonalVault
from shared.settings import DistrictSettings
from shared.store import EventStore
from tests.integration.credit.conftest import (
    DISTRICT_FILE,
    TOKENS,
    Chain,
    day,
    fetchval,
    ok,
)
from tests.session_zone import ZONE
from tests.support import eventually

pytestmark = [
    pytest.mark.integration,
    pytest.mark.asyncio(loop_scope="session"),
    pytest.mark.timeout(180),
]

USCC = "9111000071093123XX"


async def test_the_whole_chain_from_a_new_unit_to_early_removal(chain: Chain) -> None:
    unit = "u" + uuid.uuid4().hex[:8]
    await ok(
        await chain.members.post(
            "/units",
            json={
                "code": unit,
                "name_zh": "区住房和城乡建设局",
                "name_en": "Housing and Construction Bureau",
                "kind": "bureau",
                "effective_on": "2020-01-01",
            },
        )
    )

    async def cases_knows_unit() -> bool:
        return bool(
            await fetchval(
                chain.cases_settings.database_url,
                "SELECT is_active FROM member_units WHERE code = $1",
                unit,
            )
        )

    await eventually(cases_knows_unit, timeout=30)

    # cases: received long ago, assigned to the new unit, ordered to pay, overdue.
    received = await ok(
        await chain.cases.post(
            "/cases",
            json={
                "source": "complaint",
                "sector": "construction",
                "employer": {"name": "青海某建设工程有限公司", "uscc": USCC},
                "project": {"name": "城东区某安置小区项目"},
                "workers_count": 15,
                "months_owed": 5,
                "amount_owed": "180000.00",
                "territorial_unit": "sq-huochezhan",
                "received_on": day(-300),
            },
        )
    )
    case_id = received["stream"].removeprefix("case-")
    await ok(
        await chain.cases.post(
            f"/cases/{case_id}/accept", json={"accepted_on": day(-299)}
        )
    )
    await ok(
        await chain.cases.post(
            f"/cases/{case_id}/assign",
            json={"lead_unit": unit, "helping_units": ["gafj"], "due_on": day(30)},
        )
    )
    await ok(
        await chain.cases.post(
            f"/cases/{case_id}/order-payment",
            json={
                "ordered_on": day(-298),
                "pay_by": day(-291),
                "served_on": day(-298),
                "service_method": "in_person",
                "amount": "180000.00",
            },
        )
    )

    async def order_deadline_projected() -> bool:
        return bool(
            await fetchval(
                chain.cases_settings.database_url,
                "SELECT 1 FROM case_deadlines WHERE case_id = $1 AND kind = 'payment_order'",
                case_id,
            )
        )

    await eventually(order_deadline_projected)
    pool = await create_pool(
        str(chain.cases_settings.database_url), min_size=1, max_size=2
    )
    try:
        watcher = case_deadline_watcher(
            EventStore(
                pool,
                vault=PersonalVault(pool, keyring_of(chain.cases_settings)),
                signer=service_signer(chain.cases_settings),
            ),
            pool,
            CaseRules.from_district(DistrictSettings.load(DISTRICT_FILE)),
            zone=ZONE,
            interval=3600,
        )
        assert await watcher.check_once() >= 1
    finally:
        await pool.close()
    await ok(
        await chain.cases.post(
            f"/cases/{case_id}/record-payment",
            json={"paid_on": day(-210), "amount": "180000.00"},
        )
    )

    # credit: the recommendation opened a candidate for the employer, once.
    listing_id = f"c-{case_id}"

    async def candidate_opened() -> bool:
        return (await chain.credit.get(f"/listings/{listing_id}")).status_code == 200

    await eventually(candidate_opened, timeout=30)
    candidate = (await chain.credit.get(f"/listings/{listing_id}")).json()
    assert candidate["status"] == "candidate"
    assert candidate["state"]["grounds"]["case_ids"] == [case_id]

    step = f"/listings/{listing_id}"
    await ok(
        await chain.credit.post(
            f"{step}/serve-notice", json={"served_on": day(0), "method": "in_person"}
        )
    )
    early = await chain.credit.post(
        f"{step}/decide",
        json={
            "decided_on": day(0),
            "decision_id": "东人社惩决〔2026〕1号",
            "decided_by": "区人社局局长",
        },
    )
    assert early.status_code == 409, early.text
    assert early.json()["code"] == "objection-period-running"
    await ok(
        await chain.credit.post(
            f"{step}/file-objection", json={"filed_on": day(0), "text": "已在协调支付"}
        )
    )
    await ok(
        await chain.credit.post(
            f"{step}/review-objection",
            json={
                "reviewed_on": day(0),
                "upheld": False,
                "reasoning": "逾期未支付属实",
            },
        )
    )
    await ok(
        await chain.credit.post(
            f"{step}/decide",
            json={
                "decided_on": day(0),
                "decision_id": "东人社惩决〔2026〕1号",
                "decided_by": "区人社局局长",
            },
        )
    )
    published = await ok(
        await chain.credit.post(f"{step}/publish", json={"published_on": day(0)})
    )

    async def tasks_opened() -> bool:
        tasks = (
            await chain.credit.get(
                "/sanction-tasks/jsj",
                params={"wait_for": f"{published['stream']}@{published['position']}"},
            )
        ).json()
        return any(t["listing_id"] == listing_id for t in tasks)

    await eventually(tasks_opened)
    detail = (await chain.credit.get(step)).json()
    tasks = detail["state"]["sanction_tasks"]
    assert {t["unit_code"] for t in tasks} >= {"jsj", "fgj", "fy", "gafj", "rsj", unit}
    for task in [t for t in tasks if t["unit_code"] in {"jsj", "fy"}]:
        headers = TOKENS.headers(
            Role.UNIT_STAFF, person=f"{task['unit_code']}-staff", unit=task["unit_code"]
        )
        await ok(
            await chain.credit.post(
                f"{step}/record-sanction-applied",
                json={
                    "task_id": task["task_id"],
                    "applied_on": day(0),
                    "basis": "保障农民工工资支付条例第48条",
                    "reference": f"{task['unit_code']}-2026-1",
                },
                headers=headers,
            )
        )
    other_unit = next(t for t in tasks if t["unit_code"] == "fgj")
    refused = await chain.credit.post(
        f"{step}/record-sanction-applied",
        json={
            "task_id": other_unit["task_id"],
            "applied_on": day(0),
            "basis": "x",
            "reference": "x",
        },
        headers=TOKENS.headers(Role.UNIT_STAFF, person="p", unit="jsj"),
    )
    assert refused.status_code == 403

    last = await ok(await chain.credit.get(step))
    wait = {"wait_for": f"listing-{listing_id}@{last['history'][-1]['position']}"}
    checked = (await chain.credit.get("/check", params={"uscc": USCC} | wait)).json()
    public = (await chain.credit.get("/public-list")).json()
    assert checked["is_listed"] is True
    assert checked["until"] is not None
    measures = {
        (m["unit_code"], m["status"])
        for lst in checked["listings"]
        for m in lst["measures"]
    }
    assert ("jsj", "applied") in measures
    on_list = [e for e in public["records"] if e["uscc"] == USCC]
    assert [e["project_name"] for e in on_list] == ["城东区某安置小区项目"]

    # early removal: the arrears were paid (day -210) before the listing decision, so
    # this is no credit repair (409); the decision is set aside on reconsideration.
    refused_removal = await chain.credit.post(
        f"{step}/apply-for-early-removal",
        json={
            "applied_on": day(0),
            "paid_on": day(-210),
            "commitment_text": "本公司承诺今后按时足额支付农民工工资",
        },
    )
    assert refused_removal.status_code == 409, refused_removal.text
    assert refused_removal.json()["code"] == "payment-before-listing"
    removed = await ok(
        await chain.credit.post(
            f"{step}/revoke",
            json={
                "revoked_on": day(0),
                "by": "reconsideration",
                "reference": "东府复决〔2026〕7号",
            },
        )
    )

    after = (
        await chain.credit.get(
            "/check",
            params={
                "uscc": USCC,
                "wait_for": f"{removed['stream']}@{removed['position']}",
            },
        )
    ).json()
    assert after["is_listed"] is False
    detail = (await chain.credit.get(step)).json()
    assert detail["status"] == "revoked"
    lifting = [t for t in detail["state"]["sanction_tasks"] if t["unit_code"] == "jsj"]
    assert lifting[0]["status"] == "lift_pending"
    await ok(
        await chain.credit.post(
            f"{step}/record-sanction-lifted",
            json={
                "task_id": lifting[0]["task_id"],
                "lifted_on": day(0),
                "reference": "jsj-2026-1-lift",
            },
            headers=TOKENS.headers(Role.UNIT_STAFF, person="jsj-staff", unit="jsj"),
        )
    )
    final = (await chain.credit.get(step)).json()
    assert (
        next(t for t in final["state"]["sanction_tasks"] if t["unit_code"] == "jsj")[
            "status"
        ]
        == "lifted"
    )


async def test_a_check_names_no_personal_id_number_and_finds_persons_by_it(
    chain: Chain,
) -> None:
    id_number = "11010519491231002X"
    opened = await chain.credit.post(
        "/listings",
        json={
            "subject": {
                "kind": "legal_representative",
                "name": "赵六",
                "id_number": id_number,
                "role_at_employer": "法定代表人",
            },
            "grounds": {
                "amount_owed": "90000.00",
                "months_owed": 4,
                "workers_count": 12,
                "is_order_overdue": True,
            },
            "opened_from": "by_hand",
            "opened_on": day(0),
        },
    )
    assert opened.status_code == 201, opened.text

    checked = await chain.credit.get(
        "/check",
        params={
            "person": id_number,
            "wait_for": f"{opened.json()['stream']}@{opened.json()['position']}",
        },
    )
    body = checked.json()
    assert checked.status_code == 200
    assert id_number not in checked.text
    assert body["is_listed"] is False
    assert [listing["status"] for listing in body["listings"]] == ["candidate"]
    assert (await chain.credit.get("/check")).status_code == 422
    assert (await chain.credit.get("/check", params={"uscc": "bad"})).status_code == 422
    assert (
        await chain.credit.get("/check", params={"uscc": USCC, "person": id_number})
    ).status_code == 422


async def test_the_change_feed_gives_a_snapshot_then_deltas(chain: Chain) -> None:
    snapshot = (await chain.credit.get("/listings/changes", params={"after": 0})).json()
    opened = await chain.credit.post(
        "/listings",
        json={
            "subject": {
                "kind": "employer",
                "name": "某劳务公司",
                "uscc": "91110108551385082Q",
            },
            "grounds": {
                "amount_owed": "40000.00",
                "months_owed": 3,
                "workers_count": 10,
                "is_order_overdue": True,
            },
            "opened_from": "by_hand",
            "opened_on": day(0),
        },
    )
    assert opened.status_code == 201, opened.text

    async def delta_seen() -> bool:
        delta = (
            await chain.credit.get(
                "/listings/changes", params={"after": snapshot["cursor"]}
            )
        ).json()
        return [x["uscc"] for x in delta["listings"]] == ["91110108551385082Q"]

    await eventually(delta_seen)
    assert snapshot["is_snapshot"] is True


async def test_a_service_account_reads_only_what_its_scopes_name(chain: Chain) -> None:
    exchange = TOKENS.service_headers("tax-bureau", Scope.EXCHANGE_CREDIT_READ)
    feeds = TOKENS.service_headers("archive", Scope.EVENTS_READ)
    credit_reads = ["/listings", "/listings/changes"]

    for path in credit_reads:
        assert (await chain.credit.get(path, headers=exchange)).status_code == 200
    checked = await chain.credit.get("/check", params={"uscc": USCC}, headers=exchange)
    assert checked.status_code == 200, checked.text
    for path in ["/events", "/streams/listing-none/events", "/sanction-tasks/jsj"]:
        refused = await chain.credit.get(path, headers=exchange)
        assert refused.status_code == 403, (path, refused.text)
        assert refused.json()["code"] == "not-permitted"
    assert "events:read" in (await chain.credit.get("/events", headers=exchange)).text
    opened = await chain.credit.post("/listings", json={}, headers=exchange)
    assert opened.status_code == 403, opened.text

    for client in (chain.credit, chain.cases, chain.members):
        assert (await client.get("/events", headers=feeds)).status_code == 200
    missing = await chain.cases.get("/streams/case-2024-999999/events", headers=feeds)
    assert missing.status_code == 404, missing.text
    for path in credit_reads:
        refused = await chain.credit.get(path, headers=feeds)
        assert refused.status_code == 403, (path, refused.text)
        assert "exchange:credit:read" in refused.json()["detail"]
    assert (await chain.cases.get("/cases", headers=feeds)).status_code == 403
