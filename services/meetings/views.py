"""What the meetings API answers with."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field


class MeetingSummaryView(BaseModel):
    """One meeting in a list."""

    meeting_id: str
    kind: str
    title: str
    status: str
    proposed_on: date
    proposed_for: date | None
    scheduled_on: date | None
    held_on: date | None
    chair_person_id: str | None
    minutes_status: str
    decisions: int
    missing_materials: int
    version: int


class MaterialStatusView(BaseModel):
    """One requested material: who owes it, by when, and whether it came in."""

    notice_id: str
    material_id: str
    unit_code: str
    unit_name: str | None
    title: str
    due: date
    submitted_on: date | None
    document_ref: str | None
    note: str | None
    is_missing: bool
    is_late: bool


class ChairView(BaseModel):
    """Who chairs, in which role."""

    person_id: str
    name: str | None
    role: str | None


class ActionItemBriefView(BaseModel):
    """An action item as a meeting's decision shows it."""

    action_id: str
    unit_code: str
    status: str
    due: date
    is_overdue: bool


class FindingView(BaseModel):
    """An inspection finding and the case it became in cases, once cases received it."""

    finding_id: str
    found_on: date
    description: str
    is_wage_arrears: bool
    case_id: str | None


class MeetingDetailView(BaseModel):
    """A meeting: agenda, notices and what is still missing from whom, attendance,
    minutes, decisions with their action items, findings, and its history."""

    meeting_id: str
    version: int
    status: str
    allowed_next: list[str]
    chair: ChairView | None
    materials: list[MaterialStatusView]
    missing_by_unit: dict[str, list[str]]
    not_recorded_units: list[str]
    action_items: list[ActionItemBriefView]
    findings: list[FindingView]
    state: dict[str, object]


class ActionItemView(BaseModel):
    """One action item as the lists show it."""

    action_id: str
    meeting_id: str
    origin: str
    source_id: str
    unit_code: str
    unit_name: str | None
    task: str
    due: date
    report_every_days: int | None
    case_ids: list[str]
    listing_ids: list[str]
    status: str
    assigned_on: date
    last_reported_on: date | None
    completed_on: date | None
    is_overdue: bool
    was_late: bool
    misses: int
    version: int


class ActionItemDetailView(BaseModel):
    """An action item's state, the steps it allows, its reports."""

    action_id: str
    version: int
    status: str
    allowed_next: list[str]
    is_overdue: bool
    state: dict[str, object]


class ImplementationView(BaseModel):
    """落实率: how many of a unit's (or a meeting's) action items are done, on time."""

    key: str
    name: str | None
    total: int
    completed: int
    completed_on_time: int
    open: int
    overdue: int
    rate: float
    on_time_rate: float


class MissedHalfYearView(BaseModel):
    """A half-year over with no plenary held in it, `from` its first day (the joint
    meeting's establishment for its first half-year) `to` its last."""

    model_config = ConfigDict(populate_by_name=True)

    year: int
    half: int
    from_: date = Field(alias="from")
    to: date


class PlenaryIntervalView(BaseModel):
    """The days from one plenary to the next; late when more than six months."""

    model_config = ConfigDict(populate_by_name=True)

    from_: date = Field(alias="from")
    to: date
    days: int
    is_late: bool


class PlenaryRuleView(BaseModel):
    """原则上每半年召开一次全体会议: when the last plenary was held, by when the next is due,
    and a warning (not a block) when more than six months have passed; looking back, every
    half-year since the joint meeting was established with no plenary held in it, every
    interval of more than six months between two plenaries, and the longest interval."""

    last_plenary_id: str | None
    last_held_on: date | None
    due_by: date | None
    next_scheduled_id: str | None
    next_scheduled_on: date | None
    today: date
    days_overdue: int
    is_warning: bool
    message: str
    established_on: date | None
    missed_half_years: list[MissedHalfYearView]
    late_intervals: list[PlenaryIntervalView]
    longest_interval: PlenaryIntervalView | None


class TopicView(BaseModel):
    """A proposed topic as the lists show it: who proposed what, for which meeting,
    and what the office made of it."""

    topic_id: str
    proposed_by: str
    title: str
    kind: str
    wanted_meeting_kind: str | None
    target_meeting_id: str | None
    status: str
    proposed_on: date
    meeting_id: str | None
    decided_on: date | None
    note: str
    version: int


class TopicDetailView(BaseModel):
    """A topic's state, the steps it allows and the agenda item it became."""

    topic_id: str
    version: int
    status: str
    allowed_next: list[str]
    agenda_item_id: str | None
    state: dict[str, object]
