"""Only the fields meetings reads from other services' events (`extra="ignore"`); contract
tests hold them to what members and cases write."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict


class _Inbound(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")


class PersonAppointed(_Inbound):
    """members: a person sits for a unit."""

    name: str
    unit_code: str


class PersonMoved(_Inbound):
    """members: a person now sits for another unit."""

    unit_code: str


class RoleGranted(_Inbound):
    """members: a person holds a role in the joint meeting from a date."""

    person_id: str
    role: str
    unit_code: str
    effective_on: date


class RoleEnded(_Inbound):
    """members: a person no longer holds the role from a date."""

    person_id: str
    role: str
    effective_on: date


class CaseReceived(_Inbound):
    """cases: a case was received; from an inspection finding it names the finding."""

    source_reference: str | None = None
