"""Reads of the members read models (never the event store's tables)."""

from __future__ import annotations

from datetime import date

import asyncpg

from services.members.views import (
    JointMeetingView,
    PersonView,
    RosterEntryView,
    RosterView,
    UnitDetailView,
    UnitNameView,
    UnitView,
)
from shared.errors import NotFound

_ROLE_ORDER = ["convener", "deputy_convener", "office_director", "member", "liaison"]


async def list_units(
    pool: asyncpg.Pool, *, status: str | None, kind: str | None
) -> list[UnitView]:
    """Units, optionally filtered by status and kind, by code."""
    rows = await pool.fetch(
        "SELECT * FROM unit_directory WHERE ($1::text IS NULL OR status = $1)"
        " AND ($2::text IS NULL OR kind = $2) ORDER BY code",
        status,
        kind,
    )
    return [_unit(r) for r in rows]


async def get_unit(pool: asyncpg.Pool, code: str) -> UnitDetailView:
    """A unit with its names over time and its people (NotFound if unknown)."""
    row = await pool.fetchrow("SELECT * FROM unit_directory WHERE code = $1", code)
    if row is None:
        raise NotFound(f"unit {code} does not exist")
    names = await pool.fetch(
        "SELECT effective_from, name_zh, name_en FROM unit_names WHERE code = $1 ORDER BY effective_from",
        code,
    )
    return UnitDetailView(
        **_unit(row).model_dump(),
        names=[UnitNameView(**dict(n)) for n in names],
        people=await list_people(pool, unit_code=code, status=None),
    )


async def list_people(
    pool: asyncpg.Pool, *, unit_code: str | None, status: str | None
) -> list[PersonView]:
    """People with their current roles, optionally of one unit or status."""
    rows = await pool.fetch(
        "SELECT p.*, coalesce(array_agg(h.role ORDER BY h.role)"
        " FILTER (WHERE h.role IS NOT NULL), '{}') AS roles"
        " FROM people p LEFT JOIN role_holdings h"
        " ON h.person_id = p.person_id AND h.effective_to IS NULL"
        " WHERE ($1::text IS NULL OR p.unit_code = $1) AND ($2::text IS NULL OR p.status = $2)"
        " GROUP BY p.person_id ORDER BY p.person_id",
        unit_code,
        status,
    )
    return [_person(r) for r in rows]


async def get_person(pool: asyncpg.Pool, person_id: str) -> PersonView:
    """One person with current roles (NotFound if unknown)."""
    rows = await pool.fetch(
        "SELECT p.*, coalesce(array_agg(h.role ORDER BY h.role)"
        " FILTER (WHERE h.role IS NOT NULL), '{}') AS roles"
        " FROM people p LEFT JOIN role_holdings h"
        " ON h.person_id = p.person_id AND h.effective_to IS NULL"
        " WHERE p.person_id = $1 GROUP BY p.person_id",
        person_id,
    )
    if not rows:
        raise NotFound(f"person {person_id} does not exist")
    return _person(rows[0])


async def roster(
    pool: asyncpg.Pool, as_of: date, *, joint_meeting_id: str
) -> RosterView:
    """Who held which role on `as_of`, with their unit's name and title on that day."""
    rows = await pool.fetch(
        "SELECT h.person_id, p.name, h.role, post.unit_code, post.title,"
        " coalesce(n.name_zh, '') AS unit_name_zh, coalesce(n.name_en, '') AS unit_name_en"
        " FROM role_holdings h JOIN people p ON p.person_id = h.person_id"
        " LEFT JOIN LATERAL (SELECT unit_code, title FROM person_posts pp"
        "   WHERE pp.person_id = h.person_id AND pp.effective_from <= $1"
        "   ORDER BY pp.effective_from DESC LIMIT 1) post ON true"
        " LEFT JOIN LATERAL (SELECT name_zh, name_en FROM unit_names un"
        "   WHERE un.code = coalesce(post.unit_code, h.unit_code) AND un.effective_from <= $1"
        "   ORDER BY un.effective_from DESC LIMIT 1) n ON true"
        " WHERE h.effective_from <= $1 AND (h.effective_to IS NULL OR h.effective_to > $1)"
        " ORDER BY h.person_id",
        as_of,
    )
    entries: dict[str, RosterEntryView] = {}
    for r in rows:
        entry = entries.get(r["person_id"])
        if entry is None:
            entry = RosterEntryView(
                person_id=r["person_id"],
                name=r["name"],
                unit_code=r["unit_code"] or "",
                unit_name_zh=r["unit_name_zh"],
                unit_name_en=r["unit_name_en"],
                title=r["title"] or "",
                roles=[],
            )
            entries[r["person_id"]] = entry
        entry.roles.append(r["role"])
    for entry in entries.values():
        entry.roles.sort(key=_ROLE_ORDER.index)
    people = sorted(
        entries.values(), key=lambda e: (_ROLE_ORDER.index(e.roles[0]), e.person_id)
    )
    name = await pool.fetchval(
        "SELECT name FROM joint_meeting WHERE id = $1", joint_meeting_id
    )
    return RosterView(
        as_of=as_of,
        joint_meeting=name,
        convener=next((e for e in people if "convener" in e.roles), None),
        deputy_conveners=[e for e in people if "deputy_convener" in e.roles],
        office_director=next((e for e in people if "office_director" in e.roles), None),
        people=people,
        count=len(people),
    )


async def joint_meeting(
    pool: asyncpg.Pool, joint_meeting_id: str, *, today: date
) -> JointMeetingView:
    """The joint meeting and its convener today (NotFound before it is established)."""
    row = await pool.fetchrow(
        "SELECT * FROM joint_meeting WHERE id = $1", joint_meeting_id
    )
    if row is None:
        raise NotFound(f"joint meeting {joint_meeting_id} is not established")
    current = await roster(pool, today, joint_meeting_id=joint_meeting_id)
    return JointMeetingView(**dict(row), convener=current.convener)


def _unit(row: asyncpg.Record) -> UnitView:
    return UnitView(**{k: row[k] for k in UnitView.model_fields})


def _person(row: asyncpg.Record) -> PersonView:
    values = {k: row[k] for k in PersonView.model_fields if k != "roles"}
    return PersonView(**values, roles=sorted(row["roles"], key=_ROLE_ORDER.index))
