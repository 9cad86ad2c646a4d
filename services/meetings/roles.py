"""Who holds which role in the joint meeting on a given day, kept from the members
service's events: the chair of a plenary or special meeting must be the convener or a
deputy convener on the meeting's date (DESIGN.md §4 "meetings")."""

from __future__ import annotations

from datetime import date

import asyncpg

from services.meetings.inbound_events import (
    PersonAppointed,
    PersonMoved,
    RoleEnded,
    RoleGranted,
)
from shared.db import DbConnection
from shared.envelope import Envelope

JOINT_MEETING_ROLES = "joint_meeting_roles"


class JointMeetingRoles:
    """Feeds `joint_meeting_roles` (role periods) and `member_people` (names)."""

    name = JOINT_MEETING_ROLES
    # Every effect goes through the runner's connection (see `Projection`).
    is_transactional = True
    tables = ("joint_meeting_roles", "member_people")

    def __init__(self, members_topic: str) -> None:
        self.topics = (members_topic,)

    async def apply(self, conn: DbConnection, event: Envelope) -> None:
        """A granted role opens a period, an ended one closes it; people keep names."""
        match event.event_type:
            case "RoleGranted":
                granted = RoleGranted.model_validate(event.data)
                await conn.execute(
                    "INSERT INTO joint_meeting_roles (person_id, role, unit_code, from_date)"
                    " VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
                    granted.person_id,
                    granted.role,
                    granted.unit_code,
                    granted.effective_on,
                )
            case "RoleEnded":
                ended = RoleEnded.model_validate(event.data)
                # A role ended on a day is no longer held that day (a change of role
                # ends one and grants the other on the same day).
                await conn.execute(
                    "UPDATE joint_meeting_roles SET to_date = $3"
                    " WHERE person_id = $1 AND role = $2 AND to_date IS NULL",
                    ended.person_id,
                    ended.role,
                    ended.effective_on,
                )
            case "PersonAppointed" if event.subject.startswith("person-"):
                appointed = PersonAppointed.model_validate(event.data)
                await conn.execute(
                    "INSERT INTO member_people (person_id, name, unit_code) VALUES ($1, $2, $3)"
                    " ON CONFLICT (person_id) DO UPDATE SET name = excluded.name,"
                    " unit_code = excluded.unit_code",
                    event.subject.removeprefix("person-"),
                    appointed.name,
                    appointed.unit_code,
                )
            case "PersonMoved" if event.subject.startswith("person-"):
                moved = PersonMoved.model_validate(event.data)
                await conn.execute(
                    "UPDATE member_people SET unit_code = $2 WHERE person_id = $1",
                    event.subject.removeprefix("person-"),
                    moved.unit_code,
                )


async def roles_on(pool: asyncpg.Pool, person_id: str, day: date) -> frozenset[str]:
    """The joint-meeting roles the person holds on that day."""
    rows = await pool.fetch(
        "SELECT role FROM joint_meeting_roles WHERE person_id = $1 AND from_date <= $2"
        " AND (to_date IS NULL OR to_date > $2)",
        person_id,
        day,
    )
    return frozenset(r["role"] for r in rows)


async def holders_on(pool: asyncpg.Pool, role: str, day: date) -> list[asyncpg.Record]:
    """Who holds the role on that day, with their names."""
    return await pool.fetch(
        "SELECT r.person_id, p.name, r.unit_code FROM joint_meeting_roles r"
        " LEFT JOIN member_people p ON p.person_id = r.person_id"
        " WHERE r.role = $1 AND r.from_date <= $2 AND (r.to_date IS NULL OR r.to_date > $2)"
        " ORDER BY r.person_id",
        role,
        day,
    )
