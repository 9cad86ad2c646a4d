"""What the members API answers with."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel


class UnitView(BaseModel):
    """A member unit as it stands now."""

    code: str
    name_zh: str
    name_en: str
    kind: str
    status: str
    duties: list[str]
    admitted_on: date
    withdrawn_on: date | None
    succeeded_by: str | None
    version: int


class UnitNameView(BaseModel):
    """A name a unit had from a date."""

    effective_from: date
    name_zh: str
    name_en: str


class PersonView(BaseModel):
    """A person, their unit, title and current roles."""

    person_id: str
    name: str
    unit_code: str
    title: str
    status: str
    appointed_on: date
    relieved_on: date | None
    roles: list[str]
    version: int


class UnitDetailView(UnitView):
    """A unit with its former names and its people."""

    names: list[UnitNameView]
    people: list[PersonView]


class UnitStateView(BaseModel):
    """A unit's state rebuilt from its events as recorded at a past time."""

    code: str
    as_of: datetime
    version: int
    status: str
    name_zh: str
    name_en: str
    kind: str | None
    duties: list[str]
    succeeded_by: str | None


class RosterEntryView(BaseModel):
    """One person on the roster on a given date, with their roles then."""

    person_id: str
    name: str
    unit_code: str
    unit_name_zh: str
    unit_name_en: str
    title: str
    roles: list[str]


class RosterView(BaseModel):
    """The joint meeting's roster as it stood on a date."""

    as_of: date
    joint_meeting: str | None
    convener: RosterEntryView | None
    deputy_conveners: list[RosterEntryView]
    office_director: RosterEntryView | None
    people: list[RosterEntryView]
    count: int


class JointMeetingView(BaseModel):
    """The joint meeting: its lead unit, office host and convener now."""

    id: str
    name: str
    lead_unit: str
    office_unit: str
    established_on: date
    convener: RosterEntryView | None
