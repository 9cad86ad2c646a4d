"""The members read models: unit directory, people, posts and role holdings over time."""

from __future__ import annotations

from services.members.domain.joint_meeting import (
    JOINT_MEETING,
    JointMeetingEstablished,
    LeadUnitSet,
    OfficeHostSet,
    RoleEnded,
    RoleGranted,
)
from services.members.domain.person import (
    PERSON,
    PersonAppointed,
    PersonMoved,
    PersonRelieved,
    PersonTitleChanged,
)
from services.members.domain.unit import (
    UNIT,
    UnitAdmitted,
    UnitDutiesSet,
    UnitRenamed,
    UnitWithdrawn,
)
from shared.db import DbConnection
from shared.envelope import Envelope

DIRECTORY = "members_directory"


class MembersDirectory:
    """Feeds `unit_directory`, `unit_names`, `people`, `person_posts`, `role_holdings`
    and `joint_meeting` from `qingqian.members.events`."""

    name = DIRECTORY
    # Every effect goes through the runner's connection (see `Projection`).
    is_transactional = True
    tables = (
        "unit_directory",
        "unit_names",
        "people",
        "person_posts",
        "role_holdings",
        "joint_meeting",
    )

    def __init__(self, topic: str) -> None:
        self.topics = (topic,)

    async def apply(self, conn: DbConnection, event: Envelope) -> None:
        """Apply one members event to the read models."""
        category = event.subject.split("-", 1)[0]
        if category == UNIT.category:
            await self._unit(conn, event)
        elif category == PERSON.category:
            await self._person(conn, event)
        elif category == JOINT_MEETING.category:
            await self._joint_meeting(conn, event)

    async def _unit(self, conn: DbConnection, event: Envelope) -> None:
        code = UNIT.entity_id(event.subject)
        fact = UNIT.decode(event.event_type, event.schema_version, event.data)
        match fact:
            case UnitAdmitted():
                await conn.execute(
                    "INSERT INTO unit_directory (code, name_zh, name_en, kind, status,"
                    " duties, admitted_on, version, updated_at)"
                    " VALUES ($1, $2, $3, $4, 'active', $5, $6, $7, $8)",
                    code,
                    fact.name_zh,
                    fact.name_en,
                    fact.kind.value,
                    list(fact.duties),
                    fact.effective_on,
                    event.streamversion,
                    event.time,
                )
                await _name(conn, code, fact.effective_on, fact.name_zh, fact.name_en)
            case UnitRenamed():
                await _touch_unit(
                    conn, code, event, name_zh=fact.name_zh, name_en=fact.name_en
                )
                await _name(conn, code, fact.effective_on, fact.name_zh, fact.name_en)
            case UnitDutiesSet():
                await _touch_unit(conn, code, event, duties=list(fact.duties))
            case UnitWithdrawn():
                await _touch_unit(
                    conn,
                    code,
                    event,
                    status="withdrawn",
                    withdrawn_on=fact.effective_on,
                    succeeded_by=fact.succeeded_by,
                )

    async def _person(self, conn: DbConnection, event: Envelope) -> None:
        person_id = PERSON.entity_id(event.subject)
        fact = PERSON.decode(event.event_type, event.schema_version, event.data)
        match fact:
            case PersonAppointed():
                await conn.execute(
                    "INSERT INTO people (person_id, name, unit_code, title, status,"
                    " appointed_on, version) VALUES ($1, $2, $3, $4, 'active', $5, $6)",
                    person_id,
                    fact.name,
                    fact.unit_code,
                    fact.title,
                    fact.effective_on,
                    event.streamversion,
                )
                await _post(
                    conn, person_id, fact.effective_on, fact.unit_code, fact.title
                )
            case PersonTitleChanged():
                unit_code = await conn.fetchval(
                    "UPDATE people SET title = $2, version = $3 WHERE person_id = $1"
                    " RETURNING unit_code",
                    person_id,
                    fact.title,
                    event.streamversion,
                )
                await _post(conn, person_id, fact.effective_on, unit_code, fact.title)
            case PersonMoved():
                await conn.execute(
                    "UPDATE people SET unit_code = $2, title = $3, version = $4"
                    " WHERE person_id = $1",
                    person_id,
                    fact.unit_code,
                    fact.title,
                    event.streamversion,
                )
                await _post(
                    conn, person_id, fact.effective_on, fact.unit_code, fact.title
                )
            case PersonRelieved():
                await conn.execute(
                    "UPDATE people SET status = 'relieved', relieved_on = $2, version = $3"
                    " WHERE person_id = $1",
                    person_id,
                    fact.effective_on,
                    event.streamversion,
                )

    async def _joint_meeting(self, conn: DbConnection, event: Envelope) -> None:
        meeting_id = JOINT_MEETING.entity_id(event.subject)
        fact = JOINT_MEETING.decode(event.event_type, event.schema_version, event.data)
        match fact:
            case JointMeetingEstablished():
                await conn.execute(
                    "INSERT INTO joint_meeting (id, name, lead_unit, office_unit,"
                    " established_on) VALUES ($1, $2, $3, $4, $5)",
                    meeting_id,
                    fact.name,
                    fact.lead_unit,
                    fact.office_unit,
                    fact.effective_on,
                )
            case LeadUnitSet():
                await conn.execute(
                    "UPDATE joint_meeting SET lead_unit = $2 WHERE id = $1",
                    meeting_id,
                    fact.unit_code,
                )
            case OfficeHostSet():
                await conn.execute(
                    "UPDATE joint_meeting SET office_unit = $2 WHERE id = $1",
                    meeting_id,
                    fact.unit_code,
                )
            case RoleGranted():
                await conn.execute(
                    "INSERT INTO role_holdings (person_id, role, unit_code, effective_from)"
                    " VALUES ($1, $2, $3, $4)",
                    fact.person_id,
                    fact.role.value,
                    fact.unit_code,
                    fact.effective_on,
                )
            case RoleEnded():
                await conn.execute(
                    "UPDATE role_holdings SET effective_to = $3, end_reason = $4"
                    " WHERE person_id = $1 AND role = $2 AND effective_to IS NULL",
                    fact.person_id,
                    fact.role.value,
                    fact.effective_on,
                    fact.reason,
                )


async def _name(conn: DbConnection, code: str, since: object, zh: str, en: str) -> None:
    await conn.execute(
        "INSERT INTO unit_names (code, effective_from, name_zh, name_en)"
        " VALUES ($1, $2, $3, $4) ON CONFLICT (code, effective_from)"
        " DO UPDATE SET name_zh = excluded.name_zh, name_en = excluded.name_en",
        code,
        since,
        zh,
        en,
    )


async def _post(
    conn: DbConnection, person_id: str, since: object, unit_code: str, title: str
) -> None:
    await conn.execute(
        "INSERT INTO person_posts (person_id, effective_from, unit_code, title)"
        " VALUES ($1, $2, $3, $4) ON CONFLICT (person_id, effective_from)"
        " DO UPDATE SET unit_code = excluded.unit_code, title = excluded.title",
        person_id,
        since,
        unit_code,
        title,
    )


async def _touch_unit(
    conn: DbConnection, code: str, event: Envelope, **changes: object
) -> None:
    columns = list(changes)
    assignments = ", ".join(f"{c} = ${i}" for i, c in enumerate(columns, start=4))
    await conn.execute(
        f"UPDATE unit_directory SET version = $2, updated_at = $3, {assignments}"  # noqa: S608 - column names are ours
        " WHERE code = $1",
        code,
        event.streamversion,
        event.time,
        *changes.values(),
    )
