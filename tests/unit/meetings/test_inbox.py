"""The meetings part of a unit's inbox: the materials a notice asked of the unit that
it has not handed in, and its action items, with their due days."""

from __future__ import annotations

from datetime import timedelta

from services.meetings.inbox import action_item, material_items
from tests.unit.meetings.factories import (
    MATERIAL_DUE,
    SENT_ON,
    material_submitted,
    meeting_of,
    notified,
)

MEETING_ID = "2024-001"


def test_a_unit_sees_each_material_asked_of_it_and_not_yet_handed_in() -> None:
    meeting = meeting_of(notified())

    items = material_items(MEETING_ID, meeting, "jsj", today=MATERIAL_DUE)

    assert [(i.kind, i.unit, i.due_on, i.since, i.link) for i in items] == [
        ("material_request", "jsj", MATERIAL_DUE, SENT_ON, f"/meetings/{MEETING_ID}")
    ]
    assert items[0].title == f"会议材料：在建项目欠薪排查（{meeting.title}）"
    assert items[0].is_overdue is False


def test_a_material_past_its_day_is_overdue() -> None:
    later = MATERIAL_DUE + timedelta(days=1)

    [item] = material_items(MEETING_ID, meeting_of(notified()), "jsj", today=later)

    assert item.is_overdue is True


def test_a_material_handed_in_leaves_the_inbox_of_that_unit_only() -> None:
    meeting = meeting_of(notified(), [material_submitted()])

    assert material_items(MEETING_ID, meeting, "jsj", today=MATERIAL_DUE) == []
    assert [
        i.title for i in material_items(MEETING_ID, meeting, "rsj", today=MATERIAL_DUE)
    ] == [f"会议材料：案件统计（{meeting.title}）"]


def test_a_unit_asked_nothing_sees_nothing() -> None:
    assert material_items(MEETING_ID, meeting_of(notified()), "fy", today=SENT_ON) == []


def test_an_action_item_names_its_task_and_meeting_and_is_due_by_its_day() -> None:
    item = action_item(
        action_id="2024-001-d1-jsj",
        task="排查在建项目工资专户",
        meeting_title="上半年全体会议",
        due=MATERIAL_DUE,
        assigned_on=SENT_ON,
        unit="jsj",
        today=MATERIAL_DUE + timedelta(days=1),
    )

    assert item.model_dump() == {
        "kind": "action_item",
        "title": "落实事项：排查在建项目工资专户（上半年全体会议）",
        "due_on": MATERIAL_DUE,
        "is_overdue": True,
        "link": "/action-items/2024-001-d1-jsj",
        "unit": "jsj",
        "since": SENT_ON,
    }
