"""What people (and the watcher) ask of meetings and action items, and who may ask it:
the office runs meetings, the convener approves special meetings, the convener or a
deputy approves minutes, units submit materials and report on their own tasks."""

from __future__ import annotations

from datetime import date
from typing import ClassVar, Self

from pydantic import Field, model_validator

from services.meetings.domain.action_events import OverdueKind
from services.meetings.domain.facts import (
    ActionOrigin,
    AgendaItemSpec,
    ArrearsFound,
    AttendanceEntry,
    InspectionPlan,
    ItemId,
    MaterialRequest,
    MeetingKind,
    MinutesItem,
    ReportEvery,
    TaskSpec,
)
from shared.dates import BusinessDate
from shared.domain import Command, Role
from shared.values import CaseId, ListingId, Note, PersonId, Text, UnitCode

_OFFICE = frozenset({Role.OFFICE})
_CHAIRS = frozenset({Role.CONVENER, Role.DEPUTY_CONVENER})


class ProposeMeeting(Command):
    """The office proposes a meeting; a plenary invites every active unit (leave
    `invited_units` empty), a special meeting or inspection names its units."""

    permitted: ClassVar[frozenset[Role]] = _OFFICE

    kind: MeetingKind
    title: Text
    agenda: tuple[AgendaItemSpec, ...] = Field(min_length=1, max_length=100)
    invited_units: tuple[UnitCode, ...] = ()
    plan: InspectionPlan | None = None
    proposed_on: BusinessDate
    proposed_for: BusinessDate | None = None


class ApproveMeeting(Command):
    permitted: ClassVar[frozenset[Role]] = frozenset({Role.CONVENER})

    approved_on: BusinessDate
    note: Note = ""


class DeclineMeeting(Command):
    permitted: ClassVar[frozenset[Role]] = frozenset({Role.CONVENER})

    declined_on: BusinessDate
    reason: Text


class ScheduleMeeting(Command):
    """Set (or move) the date, place and chair."""

    permitted: ClassVar[frozenset[Role]] = _OFFICE | _CHAIRS

    scheduled_on: BusinessDate
    place: Text
    chair_person_id: PersonId | None = None


class CancelMeeting(Command):
    permitted: ClassVar[frozenset[Role]] = _OFFICE | frozenset({Role.CONVENER})

    cancelled_on: BusinessDate
    reason: Text


class SendNotice(Command):
    permitted: ClassVar[frozenset[Role]] = _OFFICE

    sent_on: BusinessDate
    text: Text
    requests: tuple[MaterialRequest, ...] = Field(default=(), max_length=500)


class SubmitMaterial(Command):
    """A unit hands in a material the notice asked of it (of its own unit only)."""

    permitted: ClassVar[frozenset[Role]] = _OFFICE | frozenset({Role.UNIT_STAFF})

    notice_id: ItemId
    material_id: ItemId
    document_ref: Text
    note: Note = ""
    submitted_on: BusinessDate


class HoldMeeting(Command):
    permitted: ClassVar[frozenset[Role]] = _OFFICE

    held_on: BusinessDate


class RecordAttendance(Command):
    permitted: ClassVar[frozenset[Role]] = _OFFICE

    entries: tuple[AttendanceEntry, ...] = Field(min_length=1, max_length=1000)


class DraftMinutes(Command):
    permitted: ClassVar[frozenset[Role]] = _OFFICE

    items: tuple[MinutesItem, ...] = Field(min_length=1, max_length=100)
    drafted_on: BusinessDate


class CirculateMinutes(Command):
    permitted: ClassVar[frozenset[Role]] = _OFFICE

    circulated_on: BusinessDate


class AmendMinutes(Command):
    permitted: ClassVar[frozenset[Role]] = _OFFICE

    items: tuple[MinutesItem, ...] = Field(min_length=1, max_length=100)
    reason: Text
    amended_on: BusinessDate


class ApproveMinutes(Command):
    permitted: ClassVar[frozenset[Role]] = _CHAIRS

    approved_on: BusinessDate


class RecordDecision(Command):
    """A decision and one task per responsible unit; each becomes an action item."""

    permitted: ClassVar[frozenset[Role]] = _OFFICE

    agenda_item_id: ItemId | None = None
    text: Text
    decided_on: BusinessDate
    tasks: tuple[TaskSpec, ...] = Field(default=(), max_length=200)

    @model_validator(mode="after")
    def _one_task_per_unit(self) -> Self:
        units = [t.unit_code for t in self.tasks]
        if len(set(units)) != len(units):
            raise ValueError("a decision gives each unit one task")
        return self


class AdoptWorkPlan(Command):
    """The plenary adopts the year's work plan; each task becomes an action item."""

    permitted: ClassVar[frozenset[Role]] = _OFFICE

    year: int = Field(ge=2017, le=2100)
    title: Text
    adopted_on: BusinessDate
    tasks: tuple[TaskSpec, ...] = Field(min_length=1, max_length=500)


class RaiseFinding(Command):
    """An inspection finding; with `arrears` it becomes a case in cases."""

    permitted: ClassVar[frozenset[Role]] = _OFFICE

    found_on: BusinessDate
    description: Text
    unit_code: UnitCode | None = None
    arrears: ArrearsFound | None = None
    suggested_lead_unit: UnitCode | None = None


class AssignActionItem(Command):
    """Opens an action item from a recorded decision or work plan (the service does
    this itself, never a person)."""

    permitted: ClassVar[frozenset[Role]] = frozenset({Role.SYSTEM})

    meeting_id: str
    origin: ActionOrigin
    source_id: str
    unit_code: UnitCode
    task: Text
    # Taken from the decision in the log, not typed by anyone: it must always load.
    due: date
    report_every_days: ReportEvery | None = None
    case_ids: tuple[CaseId, ...] = ()
    listing_ids: tuple[ListingId, ...] = ()
    assigned_on: date


class ReportProgress(Command):
    """The responsible unit (only) reports; `is_complete` asks the office to accept it."""

    permitted: ClassVar[frozenset[Role]] = _OFFICE | frozenset({Role.UNIT_STAFF})

    reported_on: BusinessDate
    text: Text
    document_ref: Text | None = None
    is_complete: bool = False


class AcceptActionItem(Command):
    permitted: ClassVar[frozenset[Role]] = _OFFICE

    accepted_on: BusinessDate
    note: Note = ""


class SendBackActionItem(Command):
    permitted: ClassVar[frozenset[Role]] = _OFFICE

    sent_back_on: BusinessDate
    reason: Text


class MarkActionItemOverdue(Command):
    """Run by the watcher for a due date or a reporting period that passed."""

    permitted: ClassVar[frozenset[Role]] = frozenset({Role.SYSTEM})

    kind: OverdueKind
    # Taken from the log by the watcher, not typed by anyone.
    missed: date
