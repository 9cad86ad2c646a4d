"""Topics and chair delegation over HTTP: jsj's staff propose topics in their own
unit's name; the office accepts one onto a plenary's agenda (the meeting shows it at
once), declines another with a reason (none: 422), and jsj withdraws a third (gafj
may not); the convener on the roster delegates the plenary's chair to a deputy, which
no one else may do, and only the delegated deputy chairs the plenary."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from shared.domain import Role
from tests.integration.credit.conftest import TOKENS, day, fetchval, ok
from tests.integration.meetings.conftest import Stack
from tests.support import eventually

pytestmark = [
    pytest.mark.integration,
    pytest.mark.asyncio(loop_scope="session"),
    pytest.mark.timeout(180),
]

JSJ = TOKENS.headers(Role.UNIT_STAFF, person="jsj-staff", unit="jsj")
GAFJ = TOKENS.headers(Role.UNIT_STAFF, person="gafj-staff", unit="gafj")
# The convener's token names only him and his unit: the roster makes him convener.
CONVENER = TOKENS.headers(person="2017-01", unit="qzf")
# 2017-05 is a member of the joint meeting, not its convener, whatever he claims.
PRETENDER = TOKENS.headers(Role.CONVENER, person="2017-05", unit="gafj")
DEPUTY = "2017-03"
OTHER_DEPUTY = "2017-02"


async def _roles_known(stack: Stack) -> None:
    async def known() -> bool:
        url = stack.meetings_settings.database_url
        count = await fetchval(
            url, "SELECT count(*) FROM joint_meeting_roles WHERE role = 'convener'"
        )
        units = await fetchval(url, "SELECT count(*) FROM member_units WHERE is_active")
        return bool(count) and bool(units and units > 20)

    await eventually(known, timeout=60)


def _wait(appended: dict[str, Any]) -> dict[str, str]:
    return {"wait_for": f"{appended['stream']}@{appended['position']}"}


def _problem(answer: httpx.Response, status: int) -> dict[str, Any]:
    assert answer.status_code == status, answer.text
    body: dict[str, Any] = answer.json()
    return body


async def _plenary(stack: Stack) -> str:
    proposed = await ok(
        await stack.meetings.post(
            "/meetings",
            json={
                "kind": "plenary",
                "title": "下半年全体会议",
                "agenda": [{"title": "通报清欠工作"}],
                "proposed_on": day(-3),
                "proposed_for": day(10),
            },
        )
    )
    meeting_id: str = proposed["stream"].removeprefix("meeting-")
    return meeting_id


async def _propose(stack: Stack, title: str, kind: str = "meeting_topic") -> str:
    body = {
        "title": title,
        "description": "多个市政项目总包单位未按月拨付人工费",
        "kind": kind,
        "wanted_meeting_kind": "plenary",
        "proposed_on": day(-2),
    }
    proposed = await ok(await stack.meetings.post("/topics", headers=JSJ, json=body))
    assert proposed["stream"].startswith("topic-")
    topic_id: str = proposed["stream"].removeprefix("topic-")
    return topic_id


async def test_units_propose_topics_the_office_accepts_or_declines(
    stack: Stack,
) -> None:
    await _roles_known(stack)
    g = stack.meetings
    meeting_id = await _plenary(stack)
    accepted_id = await _propose(stack, "市政工程项目欠薪问题")
    declined_id = await _propose(stack, "建立工资保证金差异化缴存", kind="measure")
    withdrawn_id = await _propose(stack, "春节前集中清欠行动")
    assert accepted_id.endswith("-001")
    proposed = {f"/topics/{t}" for t in (accepted_id, declined_id, withdrawn_id)}

    async def office_review() -> set[str]:
        # The office sits in the labour-inspection bureau: its inbox holds the review.
        inbox = (await g.get("/inbox", params={"unit": "rsj"})).json()
        return {i["link"] for i in inbox if i["kind"] == "topic_to_review"}

    async def all_in_review() -> bool:
        return proposed <= await office_review()

    await eventually(all_in_review)

    accepted = await ok(
        await g.post(
            f"/topics/{accepted_id}/accept",
            json={"meeting_id": meeting_id, "accepted_on": day(0)},
        )
    )
    # The meeting's agenda has the topic at once, as an item named for it.
    meeting = await ok(await g.get(f"/meetings/{meeting_id}"))
    agenda = meeting["state"]["agenda"]
    assert agenda[-1] == {
        "item_id": f"topic-{accepted_id}",
        "title": "市政工程项目欠薪问题",
        "case_ids": [],
        "listing_ids": [],
    }
    assert len(agenda) == 2
    again = await g.post(
        f"/topics/{accepted_id}/accept",
        json={"meeting_id": meeting_id, "accepted_on": day(0)},
    )
    assert _problem(again, 409)["code"] == "invalid-transition"
    no_meeting = await g.post(
        f"/topics/{declined_id}/accept",
        json={"meeting_id": "2001-999", "accepted_on": day(0)},
    )
    assert _problem(no_meeting, 422)["errors"][0]["pointer"] == "#/meeting_id"
    # A topic names only a meeting that exists.
    for_no_meeting = await g.post(
        "/topics",
        headers=JSJ,
        json={
            "title": "欠薪线索排查",
            "description": "排查在建项目",
            "kind": "meeting_topic",
            "target_meeting_id": "2001-999",
            "proposed_on": day(0),
        },
    )
    error = _problem(for_no_meeting, 422)["errors"][0]
    assert (error["pointer"], error["rule"]) == (
        "#/target_meeting_id",
        "meeting_exists",
    )

    no_reason = await g.post(
        f"/topics/{declined_id}/decline", json={"declined_on": day(0), "reason": " "}
    )
    assert _problem(no_reason, 422)["errors"][0]["pointer"] == "#/reason"
    by_unit = await g.post(
        f"/topics/{declined_id}/decline",
        headers=JSJ,
        json={"declined_on": day(0), "reason": "不同意"},
    )
    _problem(by_unit, 403)
    declined_it = await ok(
        await g.post(
            f"/topics/{declined_id}/decline",
            json={"declined_on": day(0), "reason": "已由建设局专项处理"},
        )
    )

    not_theirs = await g.post(
        f"/topics/{withdrawn_id}/withdraw", headers=GAFJ, json={"withdrawn_on": day(0)}
    )
    assert _problem(not_theirs, 403)["code"] == "not-permitted"
    withdrawn = await ok(
        await g.post(
            f"/topics/{withdrawn_id}/withdraw",
            headers=JSJ,
            json={"withdrawn_on": day(0), "reason": "已自行解决"},
        )
    )

    # Each topic's stream may sit in its own partition: wait for each last step.
    for appended in (accepted, declined_it):
        await ok(await g.get(f"/topics/{accepted_id}", params=_wait(appended)))
    listed = (
        await g.get(
            "/topics", params={"proposed_by": "jsj", **_wait(withdrawn)}, headers=JSJ
        )
    ).json()
    assert [(t["topic_id"], t["status"]) for t in listed] == [
        (accepted_id, "accepted"),
        (declined_id, "declined"),
        (withdrawn_id, "withdrawn"),
    ]
    assert {t["proposed_by"] for t in listed} == {"jsj"}
    declined = (await g.get("/topics", params={"status": "declined"})).json()
    assert [(t["topic_id"], t["note"]) for t in declined] == [
        (declined_id, "已由建设局专项处理")
    ]
    assert (await g.get("/topics", params={"proposed_by": "gafj"})).json() == []
    assert _problem(await g.get("/topics", params={"unit": "jsj"}), 422)
    assert _problem(await g.get("/topics", params={"status": "lost"}), 422)

    assert not proposed & await office_review()
    detail = await ok(await g.get(f"/topics/{accepted_id}", params=_wait(accepted)))
    assert (detail["status"], detail["allowed_next"]) == ("accepted", [])
    assert detail["agenda_item_id"] == f"topic-{accepted_id}"
    assert detail["state"]["meeting_id"] == meeting_id
    history = (await g.get(f"/topics/{accepted_id}/events")).json()
    assert [e["type"].rsplit(".", 2)[-2] for e in history] == [
        "TopicProposed",
        "TopicAccepted",
    ]
    _problem(await g.get("/topics/2001-999"), 404)
    # The process manager that follows the acceptance adds nothing more.
    meeting_events = (await g.get(f"/meetings/{meeting_id}/events")).json()
    placed = [e for e in meeting_events if "TopicPlacedOnAgenda" in e["type"]]
    assert len(placed) == 1


async def test_the_convener_delegates_a_plenarys_chair_to_a_deputy(
    stack: Stack,
) -> None:
    await _roles_known(stack)
    g = stack.meetings
    meeting_id = await _plenary(stack)
    base = f"/meetings/{meeting_id}"
    delegation = {"deputy_person_id": DEPUTY, "delegated_on": day(0)}

    for who in ({}, PRETENDER, JSJ):
        refused = await g.post(f"{base}/delegate-chair", headers=who, json=delegation)
        assert _problem(refused, 403)["code"] == "not-permitted"
    not_deputy = await g.post(
        f"{base}/delegate-chair",
        headers=CONVENER,
        json={**delegation, "deputy_person_id": "2017-04"},
    )
    assert _problem(not_deputy, 422)["errors"][0]["pointer"] == "#/deputy_person_id"
    nothing = await g.post(
        f"{base}/revoke-chair-delegation",
        headers=CONVENER,
        json={"revoked_on": day(0), "reason": "改由总召集人主持"},
    )
    assert _problem(nothing, 409)["code"] == "no-chair-delegation"
    await ok(await g.post(f"{base}/delegate-chair", headers=CONVENER, json=delegation))

    schedule = {"scheduled_on": day(0), "place": "区政府三楼会议室"}
    undelegated = await g.post(
        f"{base}/schedule", json={**schedule, "chair_person_id": OTHER_DEPUTY}
    )
    assert _problem(undelegated, 409)["code"] == "chair-not-delegated"
    await ok(
        await g.post(f"{base}/schedule", json={**schedule, "chair_person_id": DEPUTY})
    )
    await ok(await g.post(f"{base}/hold", json={"held_on": day(0)}))

    meeting = await ok(await g.get(f"/meetings/{meeting_id}"))
    assert meeting["state"]["delegated_chair"] == DEPUTY
    assert meeting["state"]["chair_role"] == "deputy_convener"
    events = (await g.get(f"{base}/events")).json()
    assert [e["type"].rsplit(".", 2)[-2] for e in events] == [
        "MeetingProposed",
        "ChairDelegated",
        "MeetingScheduled",
        "MeetingHeld",
    ]
