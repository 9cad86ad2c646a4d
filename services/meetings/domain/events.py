"""What happens to a meeting (stream `meeting-<id>`): proposed, approved or declined by
the convener, scheduled with its chair, notified, held, minuted, decided; an inspection's
findings; a plenary's annual work plan."""

from __future__ import annotations

from datetime import date

from services.meetings.domain.facts import (
    AgendaItem,
    ArrearsFound,
    AttendanceEntry,
    InspectionPlan,
    MaterialRequest,
    MeetingKind,
    MinutesItem,
    TaskAssignment,
)
from shared.domain import Event


class MeetingProposed(Event):
    """The office proposed a meeting with its agenda and the units invited (every active
    unit for a plenary)."""

    kind: MeetingKind
    title: str
    agenda: tuple[AgendaItem, ...]
    invited_units: tuple[str, ...]
    plan: InspectionPlan | None
    proposed_on: date
    proposed_for: date | None


class MeetingApproved(Event):
    """The convener approved a special meeting; only then can it be scheduled."""

    approved_on: date
    note: str


class MeetingDeclined(Event):
    """The convener declined a special meeting."""

    declined_on: date
    reason: str


class MeetingScheduled(Event):
    """The meeting's date, place and chair (the convener or a delegated deputy convener,
    on that date, for a plenary or special meeting); a later one reschedules it."""

    scheduled_on: date
    place: str
    chair_person_id: str | None
    chair_role: str | None


class MeetingCancelled(Event):
    """The meeting will not take place."""

    cancelled_on: date
    reason: str


class NoticeSent(Event):
    """会议通知: a notice to the units naming, per unit, the materials to prepare."""

    notice_id: str
    sent_on: date
    text: str
    requests: tuple[MaterialRequest, ...]


class MaterialSubmitted(Event):
    """A unit submitted a requested material: a document reference and a note."""

    notice_id: str
    material_id: str
    unit_code: str
    document_ref: str
    note: str
    submitted_on: date


class MeetingHeld(Event):
    """The meeting took place (for an inspection: was carried out)."""

    held_on: date


class AttendanceRecorded(Event):
    """Who came for which unit, who was absent or excused, who was sent instead; a later
    entry for the same unit and person replaces the earlier one."""

    entries: tuple[AttendanceEntry, ...]


class MinutesDrafted(Event):
    """会议纪要: the first draft of the minutes, under the agenda items."""

    revision: int
    items: tuple[MinutesItem, ...]
    drafted_on: date


class MinutesCirculated(Event):
    """The draft went to the units for comment."""

    revision: int
    circulated_on: date


class MinutesAmended(Event):
    """A new revision of the minutes, and why."""

    revision: int
    items: tuple[MinutesItem, ...]
    reason: str
    amended_on: date


class MinutesApproved(Event):
    """The chair approved the minutes in this revision."""

    revision: int
    approved_on: date


class DecisionRecorded(Event):
    """议定事项: a decision under an agenda item and the action item of each unit
    responsible for carrying it out."""

    decision_id: str
    agenda_item_id: str | None
    text: str
    decided_on: date
    tasks: tuple[TaskAssignment, ...]


class WorkPlanAdopted(Event):
    """The plenary adopted the year's work plan; each task is tracked as an action item."""

    year: int
    title: str
    adopted_on: date
    tasks: tuple[TaskAssignment, ...]


class FindingRecorded(Event):
    """An inspection finding about something other than wage arrears."""

    finding_id: str
    found_on: date
    description: str
    unit_code: str | None


class InspectionFindingRaised(Event):
    """An inspection found wage arrears: cases receives it as a case (source
    `inspection_finding`), once per finding."""

    finding_id: str
    found_on: date
    description: str
    arrears: ArrearsFound
    suggested_lead_unit: str | None
    # The unit the finding concerns, if the inspectors named one (added with a
    # default, so events stored without it read back unchanged).
    unit_code: str | None = None


MeetingEvent = (
    MeetingProposed
    | MeetingApproved
    | MeetingDeclined
    | MeetingScheduled
    | MeetingCancelled
    | NoticeSent
    | MaterialSubmitted
    | MeetingHeld
    | AttendanceRecorded
    | MinutesDrafted
    | MinutesCirculated
    | MinutesAmended
    | MinutesApproved
    | DecisionRecorded
    | WorkPlanAdopted
    | FindingRecorded
    | InspectionFindingRaised
)
