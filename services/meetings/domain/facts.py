"""What meetings are made of: kinds, agenda items, material requests, attendance, minutes,
the tasks decisions hand to units, and inspection findings (DESIGN.md §4 "meetings",
rules.md §4.3), with the plain value types of the meetings domain."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Self

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from shared.amounts import Money
from shared.dates import BusinessDate
from shared.values import CaseId, ListingId, Name, Note, PersonId, Text, UnitCode, Uscc

ItemId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{0,31}$")]
"""An agenda item's or a requested material's id within its meeting (`1`, `report`)."""

ReportEvery = Annotated[int, Field(ge=1, le=366)]
"""How often, in calendar days, a unit must report progress on a task."""


class _Value(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class MeetingKind(StrEnum):
    """全体会议 the half-yearly plenary, 专题会议 a special meeting on one topic (needs
    the convener's approval), 联合督查 a joint supervision inspection (rules.md §4.3)."""

    PLENARY = "plenary"
    SPECIAL = "special"
    INSPECTION = "inspection"


class AgendaItemSpec(_Value):
    """A topic to put on the agenda, optionally about cases or listings (for the
    行刑衔接 review of cases referred to police, or listings awaiting decision)."""

    title: Text
    case_ids: tuple[CaseId, ...] = ()
    listing_ids: tuple[ListingId, ...] = ()


class AgendaItem(AgendaItemSpec):
    """An agenda item with the id the meeting gave it (`1`, `2`, … in order)."""

    item_id: ItemId


class InspectionPlan(_Value):
    """督查方案: what a joint inspection looks at, where, and over which days."""

    text: Text
    area: Note = ""
    starts_on: BusinessDate
    ends_on: BusinessDate

    @model_validator(mode="after")
    def _ends_after_it_starts(self) -> Self:
        if self.ends_on < self.starts_on:
            raise ValueError("ends_on is before starts_on")
        return self


class MaterialRequest(_Value):
    """One material a notice asks one unit to prepare, and when it is due."""

    material_id: ItemId
    unit_code: UnitCode
    title: Text
    due: BusinessDate


class AttendanceStatus(StrEnum):
    """Present, absent, excused (请假) or represented by someone sent in the person's place."""

    PRESENT = "present"
    ABSENT = "absent"
    EXCUSED = "excused"
    REPRESENTED = "represented"


class AttendanceEntry(_Value):
    """One person's attendance for a unit; `represented_by` names who came instead."""

    unit_code: UnitCode
    person_name: Text
    person_id: PersonId | None = None
    status: AttendanceStatus
    represented_by: Text | None = None
    note: Note = ""

    @model_validator(mode="after")
    def _represented_names_who(self) -> Self:
        if (self.status is AttendanceStatus.REPRESENTED) != (
            self.represented_by is not None
        ):
            raise ValueError(
                "represented_by is given exactly when status is represented"
            )
        return self


class MinutesItem(_Value):
    """What the minutes record under one agenda item."""

    agenda_item_id: ItemId
    text: Text


class MinutesStatus(StrEnum):
    """Minutes are drafted, circulated to the units, amended, and approved."""

    NONE = "none"
    DRAFTED = "drafted"
    CIRCULATED = "circulated"
    AMENDED = "amended"
    APPROVED = "approved"


class TaskSpec(_Value):
    """A task a decision (or the annual work plan) hands to one unit: what, by when,
    how often to report (optional), and the cases or listings it concerns."""

    unit_code: UnitCode
    task: Text
    due: BusinessDate
    report_every_days: ReportEvery | None = None
    case_ids: tuple[CaseId, ...] = ()
    listing_ids: tuple[ListingId, ...] = ()


class TaskAssignment(TaskSpec):
    """A task with the id of the action item (stream `action-<id>`) that tracks it."""

    action_id: str


class ActionOrigin(StrEnum):
    """Whether an action item carries out a meeting's decision or the annual work plan."""

    DECISION = "decision"
    WORK_PLAN = "work_plan"


class Sector(StrEnum):
    """Construction, where most arrears are, or any other sector (as cases keeps it)."""

    CONSTRUCTION = "construction"
    OTHER = "other"


class ArrearsFound(_Value):
    """What an inspection found about wage arrears: enough for cases to receive a case."""

    employer_name: Name
    employer_uscc: Uscc | None = None
    uscc_override_reason: Text | None = None
    sector: Sector
    project_name: Name | None = None
    workers_count: int = Field(ge=1, le=100_000)
    months_owed: int = Field(ge=0, le=600)
    amount_owed: Money
    territorial_unit: UnitCode
    is_mass_incident: bool = False
