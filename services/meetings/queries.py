"""Reads of the meetings read models and, for one meeting or action item, of its stream."""

from __future__ import annotations

from datetime import date
from typing import Literal

import asyncpg

from services.meetings.command_table import COMMANDS
from services.meetings.domain.action_item import ACTION
from services.meetings.domain.meeting import MEETING, Meeting
from services.meetings.views import (
    ActionItemBriefView,
    ActionItemDetailView,
    ActionItemView,
    ChairView,
    FindingView,
    ImplementationView,
    MaterialStatusView,
    MeetingDetailView,
    MeetingSummaryView,
)
from shared.errors import NotFound
from shared.handling import decode_all
from shared.store import EventStore

When = Literal["upcoming", "past", "all"]


def _summary(row: asyncpg.Record) -> MeetingSummaryView:
    return MeetingSummaryView(**{k: row[k] for k in MeetingSummaryView.model_fields})


async def list_meetings(
    pool: asyncpg.Pool,
    *,
    when: When,
    kind: str | None,
    limit: int,
    offset: int,
) -> list[MeetingSummaryView]:
    """Upcoming meetings (not yet held, not cancelled or declined), soonest first; past
    meetings (held), latest first; or all by number."""
    where = {
        "upcoming": "held_on IS NULL AND status NOT IN ('cancelled', 'declined')",
        "past": "held_on IS NOT NULL",
        "all": "true",
    }[when]
    order = {
        "upcoming": "coalesce(scheduled_on, proposed_for, proposed_on), meeting_id",
        "past": "held_on DESC, meeting_id DESC",
        "all": "meeting_id",
    }[when]
    rows = await pool.fetch(
        f"SELECT * FROM meetings WHERE {where} AND ($1::text IS NULL OR kind = $1)"  # noqa: S608 - fixed texts
        f" ORDER BY {order} LIMIT $2 OFFSET $3",
        kind,
        limit,
        offset,
    )
    return [_summary(r) for r in rows]


async def meeting_detail(
    store: EventStore, pool: asyncpg.Pool, meeting_id: str, *, today: date
) -> MeetingDetailView:
    """A meeting rebuilt from its stream, with unit names, its action items' standing
    and the cases its findings became."""
    records = await store.history(MEETING.stream_id(meeting_id))
    if not records:
        raise NotFound(f"meeting {meeting_id} does not exist")
    meeting = MEETING.replay(decode_all(MEETING, records))
    names = await _unit_names(pool)
    materials = _materials(meeting, names, today)
    missing: dict[str, list[str]] = {}
    for m in materials:
        if m.is_missing:
            missing.setdefault(m.unit_code, []).append(m.title)
    recorded = {entry.unit_code for entry in meeting.attendance}
    items = await pool.fetch(
        "SELECT action_id, unit_code, status, due, is_overdue FROM action_items"
        " WHERE meeting_id = $1 ORDER BY action_id",
        meeting_id,
    )
    cases = {
        r["finding_id"]: r["case_id"]
        for r in await pool.fetch(
            "SELECT finding_id, case_id FROM finding_cases WHERE meeting_id = $1",
            meeting_id,
        )
    }
    return MeetingDetailView(
        meeting_id=meeting_id,
        version=records[-1].version,
        status=meeting.status.value,
        allowed_next=COMMANDS.verbs(meeting.allowed_steps()),
        chair=await _chair(pool, meeting),
        materials=materials,
        missing_by_unit=missing,
        not_recorded_units=[u for u in meeting.invited_units if u not in recorded]
        if meeting.held_on
        else [],
        action_items=[ActionItemBriefView(**dict(r)) for r in items],
        findings=[
            FindingView(
                finding_id=f.finding_id,
                found_on=f.found_on,
                description=f.description,
                is_wage_arrears=f.arrears is not None,
                case_id=cases.get(f.finding_id),
            )
            for f in meeting.findings
        ],
        state=meeting.model_dump(mode="json"),
    )


def _materials(
    meeting: Meeting, names: dict[str, str], today: date
) -> list[MaterialStatusView]:
    latest = {(s.notice_id, s.material_id): s for s in meeting.submissions}
    views = []
    for notice in meeting.notices:
        for request in notice.requests:
            sub = latest.get((notice.notice_id, request.material_id))
            views.append(
                MaterialStatusView(
                    notice_id=notice.notice_id,
                    material_id=request.material_id,
                    unit_code=request.unit_code,
                    unit_name=names.get(request.unit_code),
                    title=request.title,
                    due=request.due,
                    submitted_on=sub.submitted_on if sub else None,
                    document_ref=sub.document_ref if sub else None,
                    note=sub.note if sub else None,
                    is_missing=sub is None,
                    is_late=(sub.submitted_on > request.due)
                    if sub
                    else today > request.due,
                )
            )
    return views


async def _chair(pool: asyncpg.Pool, meeting: Meeting) -> ChairView | None:
    if meeting.chair_person_id is None:
        return None
    name = await pool.fetchval(
        "SELECT name FROM member_people WHERE person_id = $1", meeting.chair_person_id
    )
    return ChairView(
        person_id=meeting.chair_person_id, name=name, role=meeting.chair_role
    )


async def _unit_names(pool: asyncpg.Pool) -> dict[str, str]:
    rows = await pool.fetch("SELECT code, name_zh FROM member_units")
    return {r["code"]: r["name_zh"] for r in rows}


_ACTION_SELECT = (
    "SELECT a.*, u.name_zh AS unit_name FROM action_items a"
    " LEFT JOIN member_units u ON u.code = a.unit_code"
)


def _action(row: asyncpg.Record) -> ActionItemView:
    return ActionItemView(**{k: row[k] for k in ActionItemView.model_fields})


async def action_items(
    pool: asyncpg.Pool,
    *,
    unit: str | None,
    meeting_id: str | None,
    is_open: bool | None,
    is_overdue: bool | None,
    limit: int,
    offset: int,
) -> list[ActionItemView]:
    """Action items, filtered by unit, meeting, open or not, overdue or not; soonest
    due first."""
    rows = await pool.fetch(
        _ACTION_SELECT + " WHERE ($1::text IS NULL OR a.unit_code = $1)"
        " AND ($2::text IS NULL OR a.meeting_id = $2)"
        " AND ($3::boolean IS NULL OR (a.status <> 'completed') = $3)"
        " AND ($4::boolean IS NULL OR a.is_overdue = $4)"
        " ORDER BY a.due, a.action_id LIMIT $5 OFFSET $6",
        unit,
        meeting_id,
        is_open,
        is_overdue,
        limit,
        offset,
    )
    return [_action(r) for r in rows]


async def action_item_detail(store: EventStore, action_id: str) -> ActionItemDetailView:
    """An action item rebuilt from its stream."""
    records = await store.history(ACTION.stream_id(action_id))
    if not records:
        raise NotFound(f"action item {action_id} does not exist")
    item = ACTION.replay(decode_all(ACTION, records))
    return ActionItemDetailView(
        action_id=action_id,
        version=records[-1].version,
        status=item.status.value,
        allowed_next=COMMANDS.verbs(item.allowed_steps()),
        is_overdue=item.is_overdue,
        state=item.model_dump(mode="json"),
    )


async def implementation(
    pool: asyncpg.Pool, *, by: Literal["unit", "meeting"]
) -> list[ImplementationView]:
    """落实率 per unit or per meeting: completed items over all items, and on time."""
    key = "a.unit_code" if by == "unit" else "a.meeting_id"
    name = "u.name_zh" if by == "unit" else "m.title"
    rows = await pool.fetch(
        f"SELECT {key} AS key, max({name}) AS name, count(*) AS total,"  # noqa: S608 - fixed texts
        " count(*) FILTER (WHERE a.status = 'completed') AS completed,"
        " count(*) FILTER (WHERE a.status = 'completed' AND NOT a.was_late) AS on_time,"
        " count(*) FILTER (WHERE a.status <> 'completed') AS open,"
        " count(*) FILTER (WHERE a.is_overdue) AS overdue"
        " FROM action_items a LEFT JOIN member_units u ON u.code = a.unit_code"
        " LEFT JOIN meetings m ON m.meeting_id = a.meeting_id"
        f" GROUP BY {key} ORDER BY {key}"
    )
    return [
        ImplementationView(
            key=r["key"],
            name=r["name"],
            total=r["total"],
            completed=r["completed"],
            completed_on_time=r["on_time"],
            open=r["open"],
            overdue=r["overdue"],
            rate=_ratio(r["completed"], r["total"]),
            on_time_rate=_ratio(r["on_time"], r["total"]),
        )
        for r in rows
    ]


def _ratio(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0
