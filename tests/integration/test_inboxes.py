"""One inbox per unit over HTTP: a case assigned to a unit is in that unit's cases
inbox; a community reads a case in its territory with `/cases?territorial_unit=` and in
its inbox; a meeting's material request and action item for jsj are in jsj's meetings
inbox; a sanction task in its credit inbox; a unit asking for another's inbox is
refused (403), the office reads any."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import pytest_asyncio

from services.cases.app import create_app as create_cases
from services.cases.deadline_watcher import case_deadline_watcher
from services.cases.rules import CaseRules
from services.cases.settings import CasesSettings
from services.credit.app import create_app as create_credit
from services.credit.settings import CreditSettings
from services.meetings.app import create_app as create_meetings
from services.meetings.settings import MeetingsSettings
from services.members.app import create_app as create_members
from services.members.settings import MembersSettings
from shared.db import create_pool
from shared.domain import Role
from shared.jwks import service_signer
from shared.key_rotation import keyring_of
from shared.personal_data import PersonalVault
from shared.settings import DistrictSettings
from shared.store import EventStore
from tests.integration.credit.conftest import (
    DISTRICT_FILE,
    OFFICE,
    TOKENS,
    day,
    fetchval,
    ok,
)
from tests.service_server import LocalServers, serving
from tests.session_zone import ZONE
from tests.support import eventually

pytestmark = [
    pytest.mark.integration,
    pytest.mark.asyncio(loop_scope="session"),
    pytest.mark.timeout(240),
]

JSJ = TOKENS.headers(Role.UNIT_STAFF, person="jsj-staff", unit="jsj")
COMMUNITY = "sq-dongguan"
DONGGUAN = TOKENS.headers(Role.UNIT_STAFF, person="dg-staff", unit=COMMUNITY)


class Stack:
    def __init__(
        self,
        clients: dict[str, httpx.AsyncClient],
        cases: CasesSettings,
        meetings: MeetingsSettings,
    ) -> None:
        self.members = clients["members"]
        self.cases = clients["cases"]
        self.meetings = clients["meetings"]
        self.credit = clients["credit"]
        self.cases_settings = cases
        self.meetings_settings = meetings


@contextlib.asynccontextmanager
async def running_stack(
    pg_server_url: str, template_database: str, kafka_bootstrap: str
) -> AsyncIterator[Stack]:
    """members (with its roster), cases, meetings and credit on fresh databases; every
    client carries an office token; the watchers wait an hour between rounds."""
    servers = LocalServers(
        pg_server_url, template_database, kafka_bootstrap, TOKENS, DISTRICT_FILE
    )
    members = await servers.settings(MembersSettings)
    cases = await servers.settings(CasesSettings, deadline_watch_seconds=3600)
    meetings = await servers.settings(MeetingsSettings, deadline_watch_seconds=3600)
    credit = await servers.settings(CreditSettings, deadline_watch_seconds=3600)
    async with (
        serving(create_members(members)) as m,
        serving(create_cases(cases)) as c,
        serving(create_meetings(meetings)) as g,
        serving(create_credit(credit)) as k,
    ):
        clients = {"members": m, "cases": c, "meetings": g, "credit": k}
        for client in clients.values():
            client.headers.update(OFFICE)
        yield Stack(clients, cases, meetings)


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def stack(
    pg_server_url: str, template_database: str, kafka_bootstrap: str
) -> AsyncIterator[Stack]:
    async with running_stack(pg_server_url, template_database, kafka_bootstrap) as s:
        yield s


async def _directories_arrived(stack: Stack) -> None:
    """cases knows the community and meetings the units and the convener."""

    async def arrived() -> bool:
        community = await fetchval(
            stack.cases_settings.database_url,
            "SELECT is_active FROM member_units WHERE code = $1",
            COMMUNITY,
        )
        convener = await fetchval(
            stack.meetings_settings.database_url,
            "SELECT count(*) FROM joint_meeting_roles WHERE role = 'convener'",
        )
        units = await fetchval(
            stack.meetings_settings.database_url,
            "SELECT count(*) FROM member_units WHERE is_active",
        )
        return bool(community) and bool(convener) and bool(units and units > 20)

    await eventually(arrived, timeout=60)


async def inbox(
    client: httpx.AsyncClient, headers: dict[str, str], **params: str
) -> list[dict[str, Any]]:
    answer = await client.get("/inbox", headers=headers, params=params)
    assert answer.status_code == 200, answer.text
    body: list[dict[str, Any]] = answer.json()
    return body


def _wait(appended: dict[str, Any]) -> str:
    return f"{appended['stream']}@{appended['position']}"


async def _case_in_the_community(stack: Stack) -> tuple[str, dict[str, Any]]:
    """A case in sq-dongguan's territory, ordered to pay long ago above the threshold,
    assigned to rsj helped by jsj; the answer of its assignment."""
    received = await ok(
        await stack.cases.post(
            "/cases",
            json={
                "source": "complaint",
                "sector": "construction",
                "employer": {
                    "name": "青海某建设工程有限公司",
                    "uscc": "9111000071093123XX",
                },
                "project": {"name": "城东区某安置小区项目"},
                "workers_count": 15,
                "months_owed": 5,
                "amount_owed": "180000.00",
                "territorial_unit": COMMUNITY,
                "received_on": day(-300),
            },
        )
    )
    case_id = received["stream"].removeprefix("case-")
    step = f"/cases/{case_id}"
    await ok(await stack.cases.post(f"{step}/accept", json={"accepted_on": day(-299)}))
    assigned = await ok(
        await stack.cases.post(
            f"{step}/assign",
            json={"lead_unit": "rsj", "helping_units": ["jsj"], "due_on": day(30)},
        )
    )
    await ok(
        await stack.cases.post(
            f"{step}/order-payment",
            json={
                "ordered_on": day(-298),
                "pay_by": day(-291),
                "served_on": day(-298),
                "service_method": "in_person",
                "amount": "180000.00",
            },
        )
    )
    return case_id, assigned


async def test_a_case_is_in_its_units_inbox_and_its_territorys(stack: Stack) -> None:
    await _directories_arrived(stack)
    case_id, assigned = await _case_in_the_community(stack)

    mine = await inbox(stack.cases, JSJ, wait_for=_wait(assigned))
    [item] = [i for i in mine if i["link"] == f"/cases/{case_id}"]
    assert item == {
        "kind": "assigned_case",
        "title": f"交办案件（协办）：青海某建设工程有限公司（{case_id}）",
        "due_on": day(30),
        "is_overdue": False,
        "link": f"/cases/{case_id}",
        "unit": "jsj",
        "since": day(-300),
    }

    listed = await stack.cases.get(
        "/cases", headers=DONGGUAN, params={"territorial_unit": COMMUNITY}
    )
    assert listed.status_code == 200, listed.text
    assert [c["case_id"] for c in listed.json()] == [case_id]
    elsewhere = await stack.cases.get(
        "/cases", headers=DONGGUAN, params={"territorial_unit": "sq-huochezhan"}
    )
    assert elsewhere.json() == []
    theirs = await inbox(stack.cases, DONGGUAN)
    assert [(i["kind"], i["link"], i["unit"]) for i in theirs] == [
        ("territorial_case", f"/cases/{case_id}", COMMUNITY)
    ]
    # The office reads any unit's inbox; a unit only its own.
    assert await inbox(stack.cases, OFFICE, unit=COMMUNITY) == theirs
    refused = await stack.cases.get("/inbox", headers=JSJ, params={"unit": COMMUNITY})
    assert refused.status_code == 403, refused.text

    # The order lapsed: the case is recommended, credit opens a candidate and, once
    # decided and published, jsj has sanctions to confirm.
    await _deadlines_checked(stack, case_id)
    listing = await _listing_published(stack, f"c-{case_id}")

    async def sanction_arrived() -> bool:
        items = await inbox(stack.credit, JSJ)
        return any(i["link"] == f"/listings/{listing}" for i in items)

    await eventually(sanction_arrived, timeout=30)
    sanctions = [
        i for i in await inbox(stack.credit, JSJ) if i["link"] == f"/listings/{listing}"
    ]
    assert {i["kind"] for i in sanctions} == {"sanction_task"}
    assert {i["title"] for i in sanctions} == {
        "联合惩戒（实施）：限制施工许可和招标投标（青海某建设工程有限公司）",
        "联合惩戒（实施）：限制市场准入（青海某建设工程有限公司）",
        "联合惩戒（实施）：限制评优评先（青海某建设工程有限公司）",
    }
    assert all(i["due_on"] > day(0) and not i["is_overdue"] for i in sanctions)
    other = await stack.credit.get("/inbox", headers=JSJ, params={"unit": "fy"})
    assert other.status_code == 403, other.text


async def _deadlines_checked(stack: Stack, case_id: str) -> None:
    """The cases watcher sees the order to pay lapsed (one round of our own)."""

    async def order_deadline_projected() -> bool:
        return bool(
            await fetchval(
                stack.cases_settings.database_url,
                "SELECT 1 FROM case_deadlines WHERE case_id = $1 AND kind = 'payment_order'",
                case_id,
            )
        )

    await eventually(order_deadline_projected)
    settings = stack.cases_settings
    pool = await create_pool(str(settings.database_url), min_size=1, max_size=2)
    try:
        watcher = case_deadline_watcher(
            EventStore(
                pool,
                vault=PersonalVault(pool, keyring_of(settings)),
                signer=service_signer(settings),
            ),
            pool,
            CaseRules.from_district(DistrictSettings.load(DISTRICT_FILE)),
            zone=ZONE,
            interval=3600,
        )
        assert await watcher.check_once() >= 1
    finally:
        await pool.close()


async def _listing_published(stack: Stack, listing_id: str) -> str:
    """The candidate served, its objection dismissed, decided and published."""

    async def candidate_opened() -> bool:
        return (await stack.credit.get(f"/listings/{listing_id}")).status_code == 200

    await eventually(candidate_opened, timeout=30)
    step = f"/listings/{listing_id}"
    decision = {
        "decided_on": day(0),
        "decision_id": "东人社惩决〔2026〕9号",
        "decided_by": "区人社局局长",
    }
    for verb, body in [
        ("serve-notice", {"served_on": day(0), "method": "in_person"}),
        ("file-objection", {"filed_on": day(0), "text": "已在协调支付"}),
        (
            "review-objection",
            {"reviewed_on": day(0), "upheld": False, "reasoning": "逾期未支付属实"},
        ),
        ("decide", decision),
        ("publish", {"published_on": day(0)}),
    ]:
        await ok(await stack.credit.post(f"{step}/{verb}", json=body))
    return listing_id


async def test_a_meetings_material_and_action_item_are_in_jsjs_inbox(
    stack: Stack,
) -> None:
    await _directories_arrived(stack)
    g = stack.meetings
    proposed = await ok(
        await g.post(
            "/meetings",
            json={
                "kind": "plenary",
                "title": "全体会议",
                "agenda": [{"title": "部署清欠工作"}],
                "proposed_on": day(-20),
            },
        )
    )
    base = f"/meetings/{proposed['stream'].removeprefix('meeting-')}"
    await ok(
        await g.post(
            f"{base}/schedule",
            json={
                "scheduled_on": day(-10),
                "place": "区政府三楼会议室",
                "chair_person_id": "2017-01",
            },
        )
    )
    noticed = await ok(
        await g.post(
            f"{base}/send-notice",
            json={
                "sent_on": day(-18),
                "text": "请准备材料",
                "requests": [
                    {
                        "material_id": "jsj-summary",
                        "unit_code": "jsj",
                        "title": "在建项目排查情况",
                        "due": day(-12),
                    }
                ],
            },
        )
    )
    material = {
        "kind": "material_request",
        "title": "会议材料：在建项目排查情况（全体会议）",
        "due_on": day(-12),
        "is_overdue": True,
        "link": base,
        "unit": "jsj",
        "since": day(-18),
    }
    assert await inbox(g, JSJ, wait_for=_wait(noticed)) == [material]

    await ok(await g.post(f"{base}/hold", json={"held_on": day(-10)}))
    decided = await ok(
        await g.post(
            f"{base}/record-decision",
            json={
                "agenda_item_id": "1",
                "text": "住建局限期排查",
                "decided_on": day(-10),
                "tasks": [
                    {"unit_code": "jsj", "task": "排查在建项目工资专户", "due": day(20)}
                ],
            },
        )
    )
    action_id = f"{base.removeprefix('/meetings/')}-d1-jsj"

    async def item_arrived() -> bool:
        items = await inbox(g, JSJ, wait_for=_wait(decided))
        return any(i["kind"] == "action_item" for i in items)

    await eventually(item_arrived)
    # Overdue first: the material asked for before the meeting, then the task.
    assert await inbox(g, JSJ) == [
        material,
        {
            "kind": "action_item",
            "title": "落实事项：排查在建项目工资专户（全体会议）",
            "due_on": day(20),
            "is_overdue": False,
            "link": f"/action-items/{action_id}",
            "unit": "jsj",
            "since": day(-10),
        },
    ]
    assert await inbox(g, OFFICE, unit="jsj") == await inbox(g, JSJ)
    refused = await g.get("/inbox", headers=JSJ, params={"unit": "gafj"})
    assert refused.status_code == 403, refused.text

    submitted = await ok(
        await g.post(
            f"{base}/submit-material",
            headers=JSJ,
            json={
                "notice_id": "n1",
                "material_id": "jsj-summary",
                "document_ref": "住建〔2026〕3号",
                "submitted_on": day(-9),
            },
        )
    )
    after = await inbox(g, JSJ, wait_for=_wait(submitted))
    assert [i["kind"] for i in after] == ["action_item"]
