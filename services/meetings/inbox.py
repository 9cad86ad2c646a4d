"""The meetings part of a unit's inbox (shared/inbox.py): the action items it must
still carry out, and the materials a meeting's notice asked of it that it has not
handed in."""

from __future__ import annotations

from datetime import date

from services.meetings.domain.lifecycle import RUNNING, MeetingStatus
from services.meetings.domain.meeting import MEETING, Meeting
from shared.dependencies import ServiceRuntime
from shared.handling import decode_all
from shared.inbox import InboxItem, inbox_item

# A notice's materials are asked for a meeting to come or just held (SubmitMaterial's
# statuses); a cancelled meeting asks nothing any more.
_COLLECTING = [MeetingStatus.SCHEDULED.value, MeetingStatus.HELD.value]


def action_item(
    *,
    action_id: str,
    task: str,
    meeting_title: str | None,
    due: date,
    assigned_on: date,
    unit: str,
    today: date,
) -> InboxItem:
    """落实事项: a task a meeting's decision or work plan gave the unit, due by its day."""
    origin = f"（{meeting_title}）" if meeting_title else ""
    return inbox_item(
        kind="action_item",
        title=f"落实事项：{task}{origin}",
        due_on=due,
        link=f"/action-items/{action_id}",
        unit=unit,
        today=today,
        since=assigned_on,
    )


def material_items(
    meeting_id: str, meeting: Meeting, unit: str, *, today: date
) -> list[InboxItem]:
    """会议材料: each material a notice of the meeting asked of the unit and that it has
    not submitted yet."""
    handed_in = {(s.notice_id, s.material_id) for s in meeting.submissions}
    return [
        inbox_item(
            kind="material_request",
            title=f"会议材料：{request.title}（{meeting.title}）",
            due_on=request.due,
            link=f"/meetings/{meeting_id}",
            unit=unit,
            today=today,
            since=notice.sent_on,
        )
        for notice in meeting.notices
        for request in notice.requests
        if request.unit_code == unit
        and (notice.notice_id, request.material_id) not in handed_in
    ]


async def meetings_inbox(rt: ServiceRuntime, unit: str, today: date) -> list[InboxItem]:
    """The meetings part of `unit`'s inbox: its running action items (`action_items`),
    and its missing materials, from the streams of the meetings still collecting some."""
    rows = await rt.pool.fetch(
        "SELECT a.action_id, a.task, a.due, a.assigned_on, m.title FROM action_items a"
        " LEFT JOIN meetings m ON m.meeting_id = a.meeting_id"
        " WHERE a.unit_code = $1 AND a.status = ANY($2::text[])",
        unit,
        [s.value for s in RUNNING],
    )
    items = [
        action_item(
            action_id=r["action_id"],
            task=r["task"],
            meeting_title=r["title"],
            due=r["due"],
            assigned_on=r["assigned_on"],
            unit=unit,
            today=today,
        )
        for r in rows
    ]
    collecting = await rt.pool.fetch(
        "SELECT meeting_id FROM meetings WHERE missing_materials > 0"
        " AND status = ANY($1::text[]) AND $2 = ANY(invited_units) ORDER BY meeting_id",
        _COLLECTING,
        unit,
    )
    for row in collecting:
        records = await rt.store.history(MEETING.stream_id(row["meeting_id"]))
        meeting = MEETING.replay(decode_all(MEETING, records))
        items += material_items(row["meeting_id"], meeting, unit, today=today)
    return items
