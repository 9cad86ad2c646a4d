"""The meetings service over HTTP and Kafka: chairs checked against the roles members
publishes, a plenary from proposal to decisions carried out (and the plenary rule), a
special meeting that waits for the convener, and an inspection finding that becomes one
case in cases."""

from __future__ import annotations

import asyncio
import uuid
from datetime import date, timedelta
from typing import Any

import httpx
import pytest

from services.cases.process_managers import CasesFromInspectionFindings
from services.cases.rules import CaseRules
from services.meetings.watcher import action_watcher
from shared.db import create_pool
from shared.domain import Role
from shared.envelope import Envelope
from shared.jwks import service_signer
from shared.settings import load_district
from shared.store import EventStore
from tests.integration.credit.conftest import TOKENS, day, fetchval, ok
from tests.integration.meetings.conftest import Stack
from tests.session_zone import TODAY, ZONE
from tests.support import eventually

pytestmark = [
    pytest.mark.integration,
    pytest.mark.asyncio(loop_scope="session"),
    pytest.mark.timeout(180),
]

CONVENER = TOKENS.headers(Role.CONVENER, person="2017-01", unit="qzf")
JSJ = TOKENS.headers(Role.UNIT_STAFF, person="jsj-staff", unit="jsj")
PLAN_YEAR = (TODAY - timedelta(days=210)).year
GAFJ = TOKENS.headers(Role.UNIT_STAFF, person="gafj-staff", unit="gafj")


async def _roles_known(stack: Stack) -> None:
    async def known() -> bool:
        count = await fetchval(
            stack.meetings_settings.database_url,
            "SELECT count(*) FROM joint_meeting_roles WHERE role = 'convener'",
        )
        units = await fetchval(
            stack.meetings_settings.database_url,
            "SELECT count(*) FROM member_units WHERE is_active",
        )
        return bool(count) and bool(units and units > 20)

    await eventually(known, timeout=60)


def _half(day: date) -> tuple[int, int]:
    return day.year, 1 if day.month <= 6 else 2


def _halves_over_since_2017() -> list[tuple[int, int]]:
    """Every half-year from 2017's second to the one before today's."""
    return [
        (y, h)
        for y in range(2017, TODAY.year + 1)
        for h in (1, 2)
        if (2017, 2) <= (y, h) < _half(TODAY)
    ]


async def rows(answer: httpx.Response) -> list[dict[str, Any]]:
    """The list body of a successful answer."""
    assert answer.status_code == 200, answer.text
    body: list[dict[str, Any]] = answer.json()
    return body


def _wait(appended: dict[str, Any]) -> dict[str, str]:
    """Wait for a command's answer (its position), or for a stream's version."""
    if "position" in appended:
        return {"wait_for": f"{appended['stream']}@{appended['position']}"}
    return {"wait_for": f"{appended['stream']}@v{appended['version']}"}


async def test_a_plenary_from_proposal_to_decisions_carried_out(stack: Stack) -> None:
    await _roles_known(stack)
    g = stack.meetings
    rule = await ok(await g.get("/plenary-rule"))
    assert rule["is_warning"] is True
    assert rule["last_held_on"] is None
    # Looking back: no plenary since the roster's establishment, so every half-year over
    # since 2017-08-02 is missed, the first one from that day.
    assert rule["established_on"] == "2017-08-02"
    missed = rule["missed_half_years"]
    assert missed[0] == {
        "year": 2017,
        "half": 2,
        "from": "2017-08-02",
        "to": "2017-12-31",
    }
    assert [(h["year"], h["half"]) for h in missed] == _halves_over_since_2017()
    assert rule["late_intervals"] == []
    assert rule["longest_interval"] is None

    proposed = await ok(
        await g.post(
            "/meetings",
            json={
                "kind": "plenary",
                "title": "上半年全体会议",
                "agenda": [
                    {"title": "通报上半年清欠工作"},
                    {"title": "部署下一步工作", "case_ids": ["2024-000001"]},
                ],
                "proposed_on": day(-220),
            },
        )
    )
    meeting = proposed["stream"].removeprefix("meeting-")
    base = f"/meetings/{meeting}"

    # The chair must be the convener or a deputy on the day: 2017-04 is a member.
    refused = await g.post(
        f"{base}/schedule",
        json={
            "scheduled_on": day(-210),
            "place": "区政府三楼会议室",
            "chair_person_id": "2017-04",
        },
    )
    assert refused.status_code == 422, refused.text
    assert refused.json()["errors"][0]["pointer"] == "#/chair_person_id"
    await ok(
        await g.post(
            f"{base}/schedule",
            json={
                "scheduled_on": day(-210),
                "place": "区政府三楼会议室",
                "chair_person_id": "2017-01",
            },
        )
    )
    await ok(
        await g.post(
            f"{base}/send-notice",
            json={
                "sent_on": day(-218),
                "text": "请各成员单位准备上半年工作总结",
                "requests": [
                    {
                        "material_id": "jsj-summary",
                        "unit_code": "jsj",
                        "title": "工作总结",
                        "due": day(-212),
                    },
                    {
                        "material_id": "gafj-summary",
                        "unit_code": "gafj",
                        "title": "工作总结",
                        "due": day(-212),
                    },
                ],
            },
        )
    )
    # Only the unit asked may submit its material.
    wrong = await g.post(
        f"{base}/submit-material",
        headers=GAFJ,
        json={
            "notice_id": "n1",
            "material_id": "jsj-summary",
            "document_ref": "DOC-1",
            "submitted_on": day(-213),
        },
    )
    assert wrong.status_code == 403, wrong.text
    submitted = await ok(
        await g.post(
            f"{base}/submit-material",
            headers=JSJ,
            json={
                "notice_id": "n1",
                "material_id": "jsj-summary",
                "document_ref": "住建〔2024〕12号",
                "note": "附表",
                "submitted_on": day(-213),
            },
        )
    )
    detail = await ok(await g.get(base, params=_wait(submitted)))
    assert detail["missing_by_unit"] == {"gafj": ["工作总结"]}

    await ok(await g.post(f"{base}/hold", json={"held_on": day(-210)}))
    await ok(
        await g.post(
            f"{base}/record-attendance",
            json={
                "entries": [
                    {"unit_code": "jsj", "person_name": "张三", "status": "present"},
                    {
                        "unit_code": "gafj",
                        "person_name": "李四",
                        "status": "represented",
                        "represented_by": "王五",
                    },
                    {"unit_code": "fy", "person_name": "赵六", "status": "excused"},
                ]
            },
        )
    )
    await ok(
        await g.post(
            f"{base}/draft-minutes",
            json={
                "items": [{"agenda_item_id": "1", "text": "通报了工作"}],
                "drafted_on": day(-209),
            },
        )
    )
    await ok(
        await g.post(f"{base}/circulate-minutes", json={"circulated_on": day(-208)})
    )
    await ok(
        await g.post(
            f"{base}/amend-minutes",
            json={
                "items": [{"agenda_item_id": "1", "text": "通报并讨论了工作"}],
                "reason": "公安分局意见",
                "amended_on": day(-207),
            },
        )
    )
    not_convener = await g.post(
        f"{base}/approve-minutes", json={"approved_on": day(-206)}
    )
    assert not_convener.status_code == 403
    await ok(
        await g.post(
            f"{base}/approve-minutes", headers=CONVENER, json={"approved_on": day(-206)}
        )
    )

    decided = await ok(
        await g.post(
            f"{base}/record-decision",
            json={
                "agenda_item_id": "2",
                "text": "住建局、公安分局限期落实",
                "decided_on": day(-210),
                "tasks": [
                    {
                        "unit_code": "jsj",
                        "task": "排查在建项目工资专户",
                        "due": day(-150),
                    },
                    {
                        "unit_code": "gafj",
                        "task": "对恶意欠薪线索立案侦查",
                        "due": day(-180),
                        "report_every_days": 30,
                    },
                ],
            },
        )
    )
    await ok(
        await g.post(
            f"{base}/adopt-work-plan",
            json={
                "year": PLAN_YEAR,
                "title": "年度清欠工作计划",
                "adopted_on": day(-210),
                "tasks": [
                    {"unit_code": "rsj", "task": "每季度通报欠薪案件", "due": day(-30)}
                ],
            },
        )
    )
    jsj_item = f"{meeting}-d1-jsj"
    gafj_item = f"{meeting}-d1-gafj"
    # The decision's answer names the meeting; its action items have ids of their own.
    assert decided["stream"] == f"meeting-{meeting}"
    opened = {"stream": f"action-{jsj_item}", "version": 1}
    mine = await rows(await g.get("/units/jsj/action-items", params=_wait(opened)))
    assert [i["action_id"] for i in mine] == [jsj_item]

    # Only the responsible unit reports; the office accepts.
    assert (
        await g.post(
            f"/action-items/{jsj_item}/report-progress",
            headers=GAFJ,
            json={"reported_on": day(-160), "text": "x"},
        )
    ).status_code == 403
    await ok(
        await g.post(
            f"/action-items/{jsj_item}/report-progress",
            headers=JSJ,
            json={
                "reported_on": day(-160),
                "text": "已排查42个项目",
                "is_complete": True,
            },
        )
    )
    accepted = await ok(
        await g.post(
            f"/action-items/{jsj_item}/accept", json={"accepted_on": day(-155)}
        )
    )

    # gafj never reports: the watcher flags the due date and each missed report once,
    # however many watchers run at the same time.
    pool = await create_pool(stack.meetings_settings.database_url or "")
    try:
        store = EventStore(pool, signer=service_signer(stack.meetings_settings))
        watchers = [
            action_watcher(store, pool, zone=ZONE, interval=3600) for _ in range(3)
        ]
        await ok(await g.get(f"/action-items/{gafj_item}", params=_wait(accepted)))
        for _ in range(12):
            await asyncio.gather(*(w.check_once() for w in watchers))
            await asyncio.sleep(0.2)
    finally:
        await pool.close()
    history = await rows(await g.get(f"/action-items/{gafj_item}/events"))
    flags = [
        (e["data"]["kind"], e["data"]["missed"])
        for e in history
        if e["type"].endswith("ActionItemOverdue.v1")
    ]
    # Reports were owed every 30 days up to the due date; after it, the item is overdue
    # as such and no further period is flagged.
    assert sorted(flags) == [("missed_report", day(-180)), ("past_due", day(-180))]

    overdue = await rows(
        await g.get(
            "/action-items",
            params={
                "overdue": "true",
                "meeting": meeting,
                **_wait({"stream": f"action-{gafj_item}", "version": len(history)}),
            },
        )
    )
    # The work plan's task (due 30 days ago, never reported) is overdue too.
    assert [i["action_id"] for i in overdue] == [
        gafj_item,
        f"{meeting}-wp{PLAN_YEAR}-1",
    ]
    rates = {
        r["key"]: r
        for r in await rows(await g.get("/implementation", params={"by": "unit"}))
    }
    assert rates["jsj"]["rate"] == 1.0
    assert rates["jsj"]["completed_on_time"] == 1
    assert rates["gafj"]["rate"] == 0.0
    assert rates["gafj"]["overdue"] == 1

    # The plenary rule: held 210 days ago, so more than six months have passed.
    rule = await ok(await g.get("/plenary-rule"))
    assert rule["last_plenary_id"] == meeting
    assert rule["is_warning"] is True
    assert rule["days_overdue"] > 0
    # The half-year the plenary was held in is no longer missed; every other one is.
    held_half = _half(date.fromisoformat(rule["last_held_on"]))
    assert [(h["year"], h["half"]) for h in rule["missed_half_years"]] == [
        h for h in _halves_over_since_2017() if h != held_half
    ]
    assert rule["longest_interval"] is None

    detail = await ok(await g.get(base))
    assert detail["chair"]["name"] == "马吉祥"
    assert detail["chair"]["role"] == "convener"
    assert detail["state"]["minutes"]["status"] == "approved"
    assert detail["not_recorded_units"]
    assert "jsj" not in detail["not_recorded_units"]
    events = await rows(await g.get(f"{base}/events"))
    assert events[0]["type"].endswith("MeetingProposed.v1")


async def test_a_special_meeting_waits_for_the_convener_and_a_deputy_chairs_only_while_deputy(
    stack: Stack,
) -> None:
    await _roles_known(stack)
    g = stack.meetings
    proposed = await ok(
        await g.post(
            "/meetings",
            json={
                "kind": "special",
                "title": "行刑衔接专题会议",
                "agenda": [{"title": "研究涉嫌拒不支付劳动报酬罪案件"}],
                "invited_units": ["rsj", "gafj", "fy"],
                "proposed_on": day(-5),
            },
        )
    )
    base = f"/meetings/{proposed['stream'].removeprefix('meeting-')}"
    schedule = {
        "scheduled_on": day(5),
        "place": "人社局会议室",
        "chair_person_id": "2017-02",
    }
    early = await g.post(f"{base}/schedule", json=schedule)
    assert early.status_code == 409, early.text
    assert early.json()["type"].endswith("convener-approval-required")
    assert (
        await g.post(f"{base}/approve", json={"approved_on": day(-4)})
    ).status_code == 403
    await ok(
        await g.post(f"{base}/approve", headers=CONVENER, json={"approved_on": day(-4)})
    )

    # 2017-02 stops being deputy convener from tomorrow: chairing in 5 days is refused.
    ended = await ok(
        await stack.members.post(
            "/joint-meeting/end-role",
            json={
                "person_id": "2017-02",
                "role": "deputy_convener",
                "effective_on": day(1),
                "reason": "工作调动",
            },
        )
    )

    async def ended_seen() -> bool:
        return (
            await fetchval(
                stack.meetings_settings.database_url,
                "SELECT to_date FROM joint_meeting_roles WHERE person_id = '2017-02' AND role = 'deputy_convener'",
            )
            is not None
        )

    await eventually(ended_seen, timeout=30)
    assert ended["version"] > 0
    refused = await g.post(f"{base}/schedule", json=schedule)
    assert refused.status_code == 422, refused.text
    # On a day before the end, the same deputy may chair.
    await ok(
        await g.post(f"{base}/schedule", json={**schedule, "scheduled_on": day(0)})
    )


async def test_a_token_claiming_convener_approves_nothing_unless_the_roster_says_so(
    stack: Stack,
) -> None:
    await _roles_known(stack)
    g = stack.meetings
    proposed = await ok(
        await g.post(
            "/meetings",
            json={
                "kind": "special",
                "title": "欠薪线索专题会议",
                "agenda": [{"title": "研究欠薪线索"}],
                "invited_units": ["rsj", "gafj"],
                "proposed_on": day(-1),
            },
        )
    )
    base = f"/meetings/{proposed['stream'].removeprefix('meeting-')}"
    # 2017-05 is a member of the joint meeting, not its convener.
    pretender = TOKENS.headers(Role.CONVENER, person="2017-05", unit="gafj")
    # The convener's token names only him and his unit.
    convener = TOKENS.headers(person="2017-01", unit="qzf")

    refused = await g.post(
        f"{base}/approve", headers=pretender, json={"approved_on": day(0)}
    )

    assert refused.status_code == 403, refused.text
    assert refused.json()["code"] == "not-permitted"
    assert "joint_meeting_role_on_roster" in refused.json()["detail"]
    assert "2017-05 is not" in refused.json()["detail"]
    assert len(await rows(await g.get(f"{base}/events"))) == 1
    approved = await ok(
        await g.post(f"{base}/approve", headers=convener, json={"approved_on": day(0)})
    )
    assert approved["version"] == 2


async def test_an_inspection_finding_becomes_one_case_in_cases(stack: Stack) -> None:
    await _roles_known(stack)
    g = stack.meetings
    proposed = await ok(
        await g.post(
            "/meetings",
            json={
                "kind": "inspection",
                "title": "春节前联合督查",
                "agenda": [{"title": "在建工程项目工资支付情况"}],
                "invited_units": ["rsj", "jsj", "gafj"],
                "plan": {
                    "text": "督查在建项目",
                    "area": "火车站社区",
                    "starts_on": day(-10),
                    "ends_on": day(-8),
                },
                "proposed_on": day(-20),
            },
        )
    )
    meeting = proposed["stream"].removeprefix("meeting-")
    base = f"/meetings/{meeting}"
    await ok(
        await g.post(
            f"{base}/schedule", json={"scheduled_on": day(-10), "place": "火车站社区"}
        )
    )
    await ok(await g.post(f"{base}/hold", json={"held_on": day(-10)}))
    tag = uuid.uuid4().hex[:6]
    raised = await ok(
        await g.post(
            f"{base}/raise-finding",
            json={
                "found_on": day(-9),
                "description": f"某项目拖欠36名农民工工资 {tag}",
                "suggested_lead_unit": "rsj",
                "arrears": {
                    "employer_name": f"青海某劳务有限公司{tag}",
                    "sector": "construction",
                    "project_name": "城东某安置房项目",
                    "workers_count": 36,
                    "months_owed": 4,
                    "amount_owed": "412000.00",
                    "territorial_unit": "sq-huochezhan",
                },
            },
        )
    )
    await ok(
        await g.post(
            f"{base}/raise-finding",
            json={"found_on": day(-9), "description": "工资专户未按规定设立"},
        )
    )

    async def case_streams() -> str | None:
        value = await fetchval(
            stack.cases_settings.database_url,
            "SELECT string_agg(stream_id, ',') FROM events WHERE event_type = 'CaseReceived'"
            " AND data->>'source_reference' = $1",
            f"meeting-{meeting}/f1",
        )
        return str(value) if value else None

    async def case_received() -> bool:
        return await case_streams() is not None

    await eventually(case_received, timeout=60)
    found = await case_streams()
    assert found is not None
    assert "," not in found
    case = await ok(await stack.cases.get(f"/cases/{found.removeprefix('case-')}"))
    assert case["state"]["source"] == "inspection_finding"

    # A redelivered finding (same envelope, applied again) opens no second case.
    finding_events = await rows(await g.get(f"{base}/events"))
    envelope = next(
        e for e in finding_events if e["type"].endswith("InspectionFindingRaised.v1")
    )
    pool = await create_pool(stack.cases_settings.database_url or "")
    try:
        manager = CasesFromInspectionFindings(
            EventStore(pool, signer=service_signer(stack.cases_settings)),
            pool,
            CaseRules.from_district(load_district(stack.cases_settings)),
            meetings_topic="unused",
        )
        async with pool.acquire() as conn:
            await manager.apply(conn, Envelope.model_validate(envelope))
    finally:
        await pool.close()
    again = await case_streams()
    assert again == found

    async def linked() -> bool:
        detail = await ok(await g.get(base))
        return bool(detail["findings"][0]["case_id"] == found.removeprefix("case-"))

    await eventually(linked, timeout=60)
    detail = await ok(await g.get(base))
    assert [f["is_wage_arrears"] for f in detail["findings"]] == [True, False]
    assert raised["version"] > 0
