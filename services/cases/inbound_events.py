"""Only the fields cases reads from other services' events (`extra="ignore"`)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


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
