"""The state of one meeting (stream `meeting-<id>`) and its parts: notices and the
materials units submitted, attendance, minutes, decisions, the work plan and an
inspection's findings (rules.md §4.3)."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import assert_never

from pydantic import BaseModel, ConfigDict

from services.meetings.domain.events import (
    AttendanceRecorded,
    DecisionRecorded,
    FindingRecorded,
    InspectionFindingRaised,
    MaterialSubmitted,
    MeetingApproved,
    MeetingCancelled,
    MeetingDeclined,
    MeetingEvent,
    MeetingHeld,
    MeetingProposed,
    MeetingScheduled,
    MinutesAmended,
    MinutesApproved,
    MinutesCirculated,
    MinutesDrafted,
    NoticeSent,
    WorkPlanAdopted,
)
from services.meetings.domain.facts import (
    AgendaItem,
    ArrearsFound,
    AttendanceEntry,
    InspectionPlan,
    MaterialRequest,
    MeetingKind,
    MinutesItem,
    MinutesStatus,
    TaskAssignment,
)


class MeetingStatus(StrEnum):
    """Where a meeting stands: proposed by the office, approved or declined by the
    convener (special meetings only), scheduled, held, or cancelled."""

    NEW = "new"
    PROPOSED = "proposed"
    APPROVED = "approved"
    DECLINED = "declined"
    SCHEDULED = "scheduled"
    HELD = "held"
    CANCELLED = "cancelled"


class _Part(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Notice(_Part):
    """会议通知: a notice sent to the units, with the materials it asks of each."""

    notice_id: str
    sent_on: date
    text: str
    requests: tuple[MaterialRequest, ...] = ()


class Submission(_Part):
    """A material a unit handed in for a notice; the latest one counts."""

    notice_id: str
    material_id: str
    unit_code: str
    document_ref: str
    note: str
    submitted_on: date


class Minutes(_Part):
    """会议纪要: the minutes in their latest revision, and why they were last amended."""

    status: MinutesStatus = MinutesStatus.NONE
    revision: int = 0
    items: tuple[MinutesItem, ...] = ()
    reason: str = ""
    approved_on: date | None = None


class Decision(_Part):
    """议定事项: a decision and the task it hands each responsible unit."""

    decision_id: str
    agenda_item_id: str | None
    text: str
    decided_on: date
    tasks: tuple[TaskAssignment, ...] = ()


class WorkPlan(_Part):
    """The year's work plan a plenary adopted, with its tasks."""

    year: int
    title: str
    adopted_on: date
    tasks: tuple[TaskAssignment, ...] = ()


class Finding(_Part):
    """What an inspection found; with `arrears` it goes to cases as a case."""

    finding_id: str
    found_on: date
    description: str
    unit_code: str | None = None
    arrears: ArrearsFound | None = None
    suggested_lead_unit: str | None = None


class Meeting(BaseModel):
    """联席会议 meeting: a plenary, special meeting or joint inspection from its
    proposal to its decisions; a stream with no events is NEW."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    status: MeetingStatus = MeetingStatus.NEW
    kind: MeetingKind | None = None
    title: str = ""
    agenda: tuple[AgendaItem, ...] = ()
    invited_units: tuple[str, ...] = ()
    plan: InspectionPlan | None = None
    proposed_on: date | None = None
    proposed_for: date | None = None
    approved_on: date | None = None
    declined_on: date | None = None
    declined_reason: str = ""
    scheduled_on: date | None = None
    place: str = ""
    chair_person_id: str | None = None
    chair_role: str | None = None
    cancelled_on: date | None = None
    cancelled_reason: str = ""
    notices: tuple[Notice, ...] = ()
    submissions: tuple[Submission, ...] = ()
    held_on: date | None = None
    attendance: tuple[AttendanceEntry, ...] = ()
    minutes: Minutes = Minutes()
    decisions: tuple[Decision, ...] = ()
    work_plan: WorkPlan | None = None
    findings: tuple[Finding, ...] = ()

    def agenda_item(self, item_id: str) -> AgendaItem | None:
        """The agenda item with that id, if the meeting has one."""
        return next((a for a in self.agenda if a.item_id == item_id), None)

    def notice(self, notice_id: str) -> Notice | None:
        """The notice with that id, if one was sent."""
        return next((n for n in self.notices if n.notice_id == notice_id), None)

    def request(self, notice_id: str, material_id: str) -> MaterialRequest | None:
        """The material that notice asked for under that id, if it did."""
        notice = self.notice(notice_id)
        requests = notice.requests if notice else ()
        return next((r for r in requests if r.material_id == material_id), None)

    def missing_materials(self) -> tuple[MaterialRequest, ...]:
        """The materials asked for and not yet submitted, in the notices' order."""
        submitted = {(s.notice_id, s.material_id) for s in self.submissions}
        return tuple(
            r
            for n in self.notices
            for r in n.requests
            if (n.notice_id, r.material_id) not in submitted
        )


def evolve_meeting(meeting: Meeting, event: MeetingEvent) -> Meeting:
    """The meeting after one more event."""
    match event:
        case MeetingProposed():
            return Meeting(status=MeetingStatus.PROPOSED, **dict(event))
        case MeetingApproved(approved_on=approved_on):
            return _moved(meeting, MeetingStatus.APPROVED, approved_on=approved_on)
        case MeetingDeclined(declined_on=declined_on, reason=reason):
            return _moved(
                meeting,
                MeetingStatus.DECLINED,
                declined_on=declined_on,
                declined_reason=reason,
            )
        case MeetingScheduled():
            return _moved(meeting, MeetingStatus.SCHEDULED, **dict(event))
        case MeetingCancelled(cancelled_on=cancelled_on, reason=reason):
            return _moved(
                meeting,
                MeetingStatus.CANCELLED,
                cancelled_on=cancelled_on,
                cancelled_reason=reason,
            )
        case NoticeSent():
            notices = (*meeting.notices, Notice(**dict(event)))
            return meeting.model_copy(update={"notices": notices})
        case MaterialSubmitted():
            return _with_submission(meeting, Submission(**dict(event)))
        case MeetingHeld(held_on=held_on):
            return _moved(meeting, MeetingStatus.HELD, held_on=held_on)
        case AttendanceRecorded(entries=entries):
            return _with_attendance(meeting, entries)
        case (
            MinutesDrafted()
            | MinutesCirculated()
            | MinutesAmended()
            | MinutesApproved()
        ):
            return meeting.model_copy(
                update={"minutes": _evolve_minutes(meeting.minutes, event)}
            )
        case DecisionRecorded():
            decisions = (*meeting.decisions, Decision(**dict(event)))
            return meeting.model_copy(update={"decisions": decisions})
        case WorkPlanAdopted():
            return meeting.model_copy(update={"work_plan": WorkPlan(**dict(event))})
        case FindingRecorded() | InspectionFindingRaised():
            findings = (*meeting.findings, Finding(**dict(event)))
            return meeting.model_copy(update={"findings": findings})
        case _:
            assert_never(event)


_MinutesEvent = MinutesDrafted | MinutesCirculated | MinutesAmended | MinutesApproved


def _evolve_minutes(minutes: Minutes, event: _MinutesEvent) -> Minutes:
    match event:
        case MinutesDrafted(revision=revision, items=items):
            return Minutes(status=MinutesStatus.DRAFTED, revision=revision, items=items)
        case MinutesCirculated(revision=revision):
            return minutes.model_copy(
                update={"status": MinutesStatus.CIRCULATED, "revision": revision}
            )
        case MinutesAmended(revision=revision, items=items, reason=reason):
            return minutes.model_copy(
                update={
                    "status": MinutesStatus.AMENDED,
                    "revision": revision,
                    "items": items,
                    "reason": reason,
                }
            )
        case MinutesApproved(revision=revision, approved_on=approved_on):
            return minutes.model_copy(
                update={
                    "status": MinutesStatus.APPROVED,
                    "revision": revision,
                    "approved_on": approved_on,
                }
            )
        case _:
            assert_never(event)


def _with_submission(meeting: Meeting, submission: Submission) -> Meeting:
    # A resubmission replaces the earlier one in its place.
    def key(s: Submission) -> tuple[str, str]:
        return (s.notice_id, s.material_id)

    earlier = meeting.submissions
    if any(key(s) == key(submission) for s in earlier):
        submissions = tuple(
            submission if key(s) == key(submission) else s for s in earlier
        )
    else:
        submissions = (*earlier, submission)
    return meeting.model_copy(update={"submissions": submissions})


def _with_attendance(meeting: Meeting, entries: tuple[AttendanceEntry, ...]) -> Meeting:
    # A later entry for the same person of the same unit corrects the earlier one.
    by_person = {(e.unit_code, e.person_name): e for e in meeting.attendance}
    for entry in entries:
        by_person[entry.unit_code, entry.person_name] = entry
    return meeting.model_copy(update={"attendance": tuple(by_person.values())})


def _moved(meeting: Meeting, status: MeetingStatus, **changes: object) -> Meeting:
    return meeting.model_copy(update={"status": status, **changes})
