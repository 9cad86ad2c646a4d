"""The unit directory every service keeps from `qingqian.members.events`: which unit
codes exist, their names, and whether they are active (DESIGN.md §4 members).

The inbound models hold only the fields read here (`extra="ignore"`); a contract test
holds them to what members writes."""

from __future__ import annotations

import asyncpg
from pydantic import BaseModel, ConfigDict

from shared.db import DbConnection
from shared.envelope import Envelope


class _Inbound(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")


class UnitAdmitted(_Inbound):
    """members: a unit joined the joint meeting."""

    name_zh: str
    name_en: str
    kind: str


class UnitRenamed(_Inbound):
    """members: a unit's new name."""

    name_zh: str
    name_en: str


class UnitWithdrawn(_Inbound):
    """members: a unit left; cases can no longer be assigned to it."""

    succeeded_by: str | None = None


MEMBER_UNIT_EVENTS: dict[str, type[_Inbound]] = {
    "UnitAdmitted": UnitAdmitted,
    "UnitRenamed": UnitRenamed,
    "UnitWithdrawn": UnitWithdrawn,
}


MEMBER_UNITS = "member_units"


class MemberDirectory:
    """Feeds `member_units` from the members service's unit events."""

    name = MEMBER_UNITS
    # Every effect goes through the runner's connection (see `Projection`).
    is_transactional = True
    tables = ("member_units",)

    def __init__(self, members_topic: str) -> None:
        self.topics = (members_topic,)

    async def apply(self, conn: DbConnection, event: Envelope) -> None:
        """Admitted units appear, renamed ones change name, withdrawn ones go inactive."""
        model = MEMBER_UNIT_EVENTS.get(event.event_type)
        if model is None or not event.subject.startswith("unit-"):
            return
        code = event.subject.removeprefix("unit-")
        fact = model.model_validate(event.data)
        match fact:
            case UnitAdmitted():
                await conn.execute(
                    "INSERT INTO member_units (code, name_zh, name_en, kind, is_active, updated_at)"
                    " VALUES ($1, $2, $3, $4, true, $5) ON CONFLICT (code) DO UPDATE SET"
                    " name_zh = excluded.name_zh, name_en = excluded.name_en, kind = excluded.kind,"
                    " is_active = true, updated_at = excluded.updated_at",
                    code,
                    fact.name_zh,
                    fact.name_en,
                    fact.kind,
                    event.time,
                )
            case UnitRenamed():
                await conn.execute(
                    "UPDATE member_units SET name_zh = $2, name_en = $3, updated_at = $4 WHERE code = $1",
                    code,
                    fact.name_zh,
                    fact.name_en,
                    event.time,
                )
            case UnitWithdrawn():
                await conn.execute(
                    "UPDATE member_units SET is_active = false, updated_at = $2 WHERE code = $1",
                    code,
                    event.time,
                )


async def active_units(pool: asyncpg.Pool) -> frozenset[str]:
    """The codes of the units cases may be assigned to now."""
    rows = await pool.fetch("SELECT code FROM member_units WHERE is_active")
    return frozenset(r["code"] for r in rows)


async def unit_names(pool: asyncpg.Pool) -> dict[str, str]:
    """Active units' codes and Chinese names."""
    rows = await pool.fetch(
        "SELECT code, name_zh FROM member_units WHERE is_active ORDER BY code"
    )
    return {r["code"]: r["name_zh"] for r in rows}
