"""The meeting aggregate (stream `meeting-<id>`): a plenary, special meeting or joint
inspection from its proposal through notice, attendance and minutes to its decisions,
work plan and findings (rules.md §4.3). Each step lives in its capability's module;
this one holds the state and sends each event to its capability's evolve branch."""

from __future__ import annotations

from datetime import date
from typing import Final, assert_never

from pydantic import BaseModel

from services.meetings.domain import (
    agenda,
    approval,
    cancellation,
    deciding,
    delegation,
    holding,
    inspection,
    minutes,
    notices,
    proposal,
    scheduling,
)
from services.meetings.domain.agenda import AgendaEvent, evolve_agenda
from services.meetings.domain.approval import (
    ApprovalEvent,
    evolve_approval,
)
from services.meetings.domain.cancellation import CancellationEvent, evolve_cancellation
from services.meetings.domain.deciding import (
    DecidingEvent,
    Decision,
    WorkPlan,
    evolve_deciding,
)
from services.meetings.domain.delegation import DelegationEvent, evolve_delegation
from services.meetings.domain.holding import (
    AttendanceEntry,
    HoldingEvent,
    evolve_holding,
)
from services.meetings.domain.inspection import (
    Finding,
    InspectionEvent,
    evolve_inspection,
)
from services.meetings.domain.lifecycle import MeetingStatus, steps_by_status
from services.meetings.domain.minutes import (
    Minutes,
    MinutesEvent,
    evolve_minutes,
)
from services.meetings.domain.notices import (
    MaterialRequest,
    Notice,
    NoticeEvent,
    Submission,
    evolve_notices,
)
from services.meetings.domain.offers import is_offered
from services.meetings.domain.proposal import (
    AgendaItem,
    InspectionPlan,
    MeetingKind,
    ProposalEvent,
    evolve_proposal,
)
from services.meetings.domain.scheduling import (
    SchedulingEvent,
    evolve_scheduling,
)
from shared.domain import Aggregate, Command


class Meeting(BaseModel, frozen=True, extra="forbid"):
    """联席会议 meeting: a plenary, special meeting or joint inspection from its
    proposal to its decisions; a stream with no events is NEW."""

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
    delegated_chair: str | None = None
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

    def allowed_steps(self) -> tuple[type[Command], ...]:
        """The commands the meeting allows next (`allowed_next`): its status's steps
        that no rule of its kind, chair, work plan or minutes refuses (`offers`)."""
        return tuple(c for c in MEETING_STEPS[self.status] if is_offered(self, c))

    def status_steps(self) -> tuple[type[Command], ...]:
        """The commands the meeting's status allows, whatever other rules say (a
        refusal for the status names them)."""
        return MEETING_STEPS[self.status]

    def minutes_steps(self) -> tuple[type[Command], ...]:
        """The minutes commands the minutes' status allows."""
        return minutes.MINUTES_STEPS[self.minutes.status]

    def missing_materials(self) -> tuple[MaterialRequest, ...]:
        """The materials asked for and not yet submitted, in the notices' order."""
        submitted = {(s.notice_id, s.material_id) for s in self.submissions}
        return tuple(
            r
            for n in self.notices
            for r in n.requests
            if (n.notice_id, r.material_id) not in submitted
        )


MEETING_STEPS: Final = steps_by_status(
    MeetingStatus,
    (
        proposal.ALLOWED_IN,
        approval.ALLOWED_IN,
        scheduling.ALLOWED_IN,
        delegation.ALLOWED_IN,
        agenda.ALLOWED_IN,
        notices.ALLOWED_IN,
        holding.ALLOWED_IN,
        minutes.ALLOWED_IN,
        deciding.ALLOWED_IN,
        inspection.ALLOWED_IN,
        cancellation.ALLOWED_IN,
    ),
)
"""The commands each status of a meeting allows, in the order `allowed_next` has
always shown them (the capabilities' order, then each one's own)."""

MeetingEvent = (
    ProposalEvent
    | ApprovalEvent
    | SchedulingEvent
    | DelegationEvent
    | AgendaEvent
    | NoticeEvent
    | HoldingEvent
    | MinutesEvent
    | DecidingEvent
    | InspectionEvent
    | CancellationEvent
)
"""Every event of a meeting: each capability's own."""


def evolve_meeting(meeting: Meeting, event: MeetingEvent) -> Meeting:
    """The meeting after one more event, as its capability evolves it."""
    if isinstance(event, ProposalEvent):
        return evolve_proposal(meeting, event)
    if isinstance(event, ApprovalEvent):
        return evolve_approval(meeting, event)
    if isinstance(event, SchedulingEvent):
        return evolve_scheduling(meeting, event)
    if isinstance(event, DelegationEvent):
        return evolve_delegation(meeting, event)
    if isinstance(event, AgendaEvent):
        return evolve_agenda(meeting, event)
    if isinstance(event, NoticeEvent):
        return evolve_notices(meeting, event)
    if isinstance(event, HoldingEvent):
        return evolve_holding(meeting, event)
    if isinstance(event, MinutesEvent):
        return evolve_minutes(meeting, event)
    if isinstance(event, DecidingEvent):
        return evolve_deciding(meeting, event)
    if isinstance(event, InspectionEvent):
        return evolve_inspection(meeting, event)
    if isinstance(event, CancellationEvent):
        return evolve_cancellation(meeting, event)
    assert_never(event)


MEETING: Aggregate[Meeting, MeetingEvent] = Aggregate(
    category="meeting", initial=Meeting(), evolve=evolve_meeting, events=MeetingEvent
)
