"""Events of the meetings service with defaults, to build histories in tests.

The default meeting, 2024-001: proposed Friday 2024-03-01 (a special meeting approved
Monday 2024-03-04), scheduled for Wednesday 2024-03-20 with the convener in the chair,
notified Wednesday 2024-03-06 asking jsj for its report and rsj for its statistics by
Friday 2024-03-15, held on 2024-03-20; minutes drafted 03-22, circulated 03-25,
amended 03-27, approved 03-29. Its decision d1 gives jsj a task due Friday 2024-06-28,
reported on every 30 days (periods end 04-19, 05-19, 06-18, …). Today is Monday
2024-04-01."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from services.meetings.domain.action_item import ACTION, ActionEvent, ActionItem
from services.meetings.domain.agenda import TopicPlacedOnAgenda
from services.meetings.domain.approval import MeetingApproved, MeetingDeclined
from services.meetings.domain.cancellation import MeetingCancelled
from services.meetings.domain.carrying_out import (
    ActionItemAccepted,
    ActionItemAssigned,
    ActionItemSentBack,
    ActionOrigin,
    ProgressReported,
)
from services.meetings.domain.deciding import (
    DecisionRecorded,
    TaskAssignment,
    WorkPlanAdopted,
)
from services.meetings.domain.delegation import ChairDelegated, ChairDelegationRevoked
from services.meetings.domain.holding import (
    AttendanceEntry,
    AttendanceRecorded,
    AttendanceStatus,
    MeetingHeld,
)
from services.meetings.domain.inspection import (
    ArrearsFound,
    FindingRecorded,
    InspectionFindingRaised,
    Sector,
)
from services.meetings.domain.meeting import MEETING, Meeting, MeetingEvent
from services.meetings.domain.minutes import (
    MinutesAmended,
    MinutesApproved,
    MinutesCirculated,
    MinutesDrafted,
    MinutesItem,
)
from services.meetings.domain.notices import (
    MaterialRequest,
    MaterialSubmitted,
    NoticeSent,
)
from services.meetings.domain.overdue import ActionItemOverdue, OverdueKind
from services.meetings.domain.powers import Powers
from services.meetings.domain.proposal import (
    AgendaItem,
    InspectionPlan,
    MeetingKind,
    MeetingProposed,
)
from services.meetings.domain.scheduling import MeetingScheduled

MEETING_ID = "2024-001"
UNITS = frozenset({"rsj", "jsj", "gafj", "fy", "czj", "sq-linjiaya"})
SPECIAL_UNITS = ("rsj", "jsj", "gafj")
INSPECTION_UNITS = ("rsj", "jsj")
CONVENER_ID = "2017-03"
DEPUTY_ID = "2017-04"
OFFICE_ID = "office"

PROPOSED_ON = date(2024, 3, 1)
APPROVED_ON = date(2024, 3, 4)
SENT_ON = date(2024, 3, 6)
MATERIAL_DUE = date(2024, 3, 15)
SUBMITTED_ON = date(2024, 3, 12)
HELD_ON = date(2024, 3, 20)
DRAFTED_ON = date(2024, 3, 22)
CIRCULATED_ON = date(2024, 3, 25)
AMENDED_ON = date(2024, 3, 27)
MINUTES_APPROVED_ON = date(2024, 3, 29)
TASK_DUE = date(2024, 6, 28)
REPORT_EVERY = 30
FIRST_PERIOD_END = date(2024, 4, 19)
TODAY = date(2024, 4, 1)

ACTION_ID = f"{MEETING_ID}-d1-jsj"
VALID_USCC = "91110108551385082Q"
INVALID_USCC = "91110108551385081Q"

AGENDA = (
    AgendaItem(item_id="1", title="上半年欠薪案件办理情况"),
    AgendaItem(item_id="2", title="移送公安案件的行刑衔接", case_ids=("2024-000123",)),
)
PLAN = InspectionPlan(
    text="对在建工程项目工资支付情况开展联合督查",
    area="城东片区",
    starts_on=date(2024, 3, 18),
    ends_on=date(2024, 3, 22),
)
REQUESTS = (
    MaterialRequest(
        material_id="report",
        unit_code="jsj",
        title="在建项目欠薪排查",
        due=MATERIAL_DUE,
    ),
    MaterialRequest(
        material_id="statistics",
        unit_code="rsj",
        title="案件统计",
        due=MATERIAL_DUE,
    ),
)
MINUTES = (MinutesItem(agenda_item_id="1", text="各单位汇报了案件办理情况"),)
TASK = TaskAssignment(
    action_id=ACTION_ID,
    unit_code="jsj",
    task="督促在建项目落实农民工工资专用账户",
    due=TASK_DUE,
    report_every_days=REPORT_EVERY,
)


def meeting_proposed(**overrides: Any) -> MeetingProposed:
    """A plenary inviting every active unit."""
    defaults: dict[str, Any] = {
        "kind": MeetingKind.PLENARY,
        "title": "2024年上半年全体会议",
        "agenda": AGENDA,
        "invited_units": tuple(sorted(UNITS)),
        "plan": None,
        "proposed_on": PROPOSED_ON,
        "proposed_for": None,
    }
    return MeetingProposed(**(defaults | overrides))


def special_proposed(**overrides: Any) -> MeetingProposed:
    defaults: dict[str, Any] = {
        "kind": MeetingKind.SPECIAL,
        "title": "春节前欠薪专题会议",
        "invited_units": SPECIAL_UNITS,
    }
    return meeting_proposed(**(defaults | overrides))


def inspection_proposed(**overrides: Any) -> MeetingProposed:
    defaults: dict[str, Any] = {
        "kind": MeetingKind.INSPECTION,
        "title": "在建工程联合督查",
        "invited_units": INSPECTION_UNITS,
        "plan": PLAN,
    }
    return meeting_proposed(**(defaults | overrides))


def meeting_approved(**overrides: Any) -> MeetingApproved:
    defaults: dict[str, Any] = {"approved_on": APPROVED_ON, "note": "同意"}
    return MeetingApproved(**(defaults | overrides))


def meeting_declined(**overrides: Any) -> MeetingDeclined:
    defaults: dict[str, Any] = {"declined_on": APPROVED_ON, "reason": "并入全体会议"}
    return MeetingDeclined(**(defaults | overrides))


def meeting_scheduled(**overrides: Any) -> MeetingScheduled:
    defaults: dict[str, Any] = {
        "scheduled_on": HELD_ON,
        "place": "区政府三楼会议室",
        "chair_person_id": CONVENER_ID,
        "chair_role": "convener",
    }
    return MeetingScheduled(**(defaults | overrides))


def chair_delegated(**overrides: Any) -> ChairDelegated:
    defaults: dict[str, Any] = {
        "deputy_person_id": DEPUTY_ID,
        "delegated_on": SENT_ON,
        "for_date": HELD_ON,
    }
    return ChairDelegated(**(defaults | overrides))


def chair_delegation_revoked(**overrides: Any) -> ChairDelegationRevoked:
    defaults: dict[str, Any] = {
        "deputy_person_id": DEPUTY_ID,
        "revoked_on": SENT_ON,
        "reason": "副总召集人出差",
    }
    return ChairDelegationRevoked(**(defaults | overrides))


def topic_placed_on_agenda(**overrides: Any) -> TopicPlacedOnAgenda:
    defaults: dict[str, Any] = {
        "topic_id": "2024-007",
        "proposed_by": "jsj",
        "item": AgendaItem(item_id="topic-2024-007", title="市政工程项目欠薪问题"),
    }
    return TopicPlacedOnAgenda(**(defaults | overrides))


def meeting_cancelled(**overrides: Any) -> MeetingCancelled:
    defaults: dict[str, Any] = {"cancelled_on": SENT_ON, "reason": "防汛工作冲突"}
    return MeetingCancelled(**(defaults | overrides))


def notice_sent(**overrides: Any) -> NoticeSent:
    defaults: dict[str, Any] = {
        "notice_id": "n1",
        "sent_on": SENT_ON,
        "text": "请各单位按时报送材料",
        "requests": REQUESTS,
    }
    return NoticeSent(**(defaults | overrides))


def material_submitted(**overrides: Any) -> MaterialSubmitted:
    defaults: dict[str, Any] = {
        "notice_id": "n1",
        "material_id": "report",
        "unit_code": "jsj",
        "document_ref": "东建函〔2024〕5号",
        "note": "",
        "submitted_on": SUBMITTED_ON,
    }
    return MaterialSubmitted(**(defaults | overrides))


def meeting_held(**overrides: Any) -> MeetingHeld:
    defaults: dict[str, Any] = {"held_on": HELD_ON}
    return MeetingHeld(**(defaults | overrides))


def attendance_entry(**overrides: Any) -> AttendanceEntry:
    defaults: dict[str, Any] = {
        "unit_code": "jsj",
        "person_name": "王建国",
        "status": AttendanceStatus.PRESENT,
    }
    return AttendanceEntry(**(defaults | overrides))


def attendance_recorded(**overrides: Any) -> AttendanceRecorded:
    defaults: dict[str, Any] = {"entries": (attendance_entry(),)}
    return AttendanceRecorded(**(defaults | overrides))


def minutes_drafted(**overrides: Any) -> MinutesDrafted:
    defaults: dict[str, Any] = {
        "revision": 1,
        "items": MINUTES,
        "drafted_on": DRAFTED_ON,
    }
    return MinutesDrafted(**(defaults | overrides))


def minutes_circulated(**overrides: Any) -> MinutesCirculated:
    defaults: dict[str, Any] = {"revision": 1, "circulated_on": CIRCULATED_ON}
    return MinutesCirculated(**(defaults | overrides))


def minutes_amended(**overrides: Any) -> MinutesAmended:
    defaults: dict[str, Any] = {
        "revision": 2,
        "items": MINUTES,
        "reason": "公安分局补充意见",
        "amended_on": AMENDED_ON,
    }
    return MinutesAmended(**(defaults | overrides))


def minutes_approved(**overrides: Any) -> MinutesApproved:
    defaults: dict[str, Any] = {"revision": 2, "approved_on": MINUTES_APPROVED_ON}
    return MinutesApproved(**(defaults | overrides))


def decision_recorded(**overrides: Any) -> DecisionRecorded:
    defaults: dict[str, Any] = {
        "decision_id": "d1",
        "agenda_item_id": "1",
        "text": "建设局牵头落实工资专用账户",
        "decided_on": HELD_ON,
        "tasks": (TASK,),
    }
    return DecisionRecorded(**(defaults | overrides))


def work_plan_adopted(**overrides: Any) -> WorkPlanAdopted:
    defaults: dict[str, Any] = {
        "year": 2024,
        "title": "2024年根治欠薪工作计划",
        "adopted_on": HELD_ON,
        "tasks": (TASK.model_copy(update={"action_id": f"{MEETING_ID}-wp2024-1"}),),
    }
    return WorkPlanAdopted(**(defaults | overrides))


def finding_recorded(**overrides: Any) -> FindingRecorded:
    defaults: dict[str, Any] = {
        "finding_id": "f1",
        "found_on": HELD_ON,
        "description": "工地未设维权信息告示牌",
        "unit_code": "jsj",
    }
    return FindingRecorded(**(defaults | overrides))


def arrears_found(**overrides: Any) -> ArrearsFound:
    defaults: dict[str, Any] = {
        "employer_name": "城东宏达建筑劳务有限公司",
        "employer_uscc": VALID_USCC,
        "sector": Sector.CONSTRUCTION,
        "project_name": "城东安置房二期",
        "workers_count": 12,
        "months_owed": 3,
        "amount_owed": Decimal("86000.00"),
        "territorial_unit": "sq-linjiaya",
    }
    return ArrearsFound(**(defaults | overrides))


def inspection_finding_raised(**overrides: Any) -> InspectionFindingRaised:
    defaults: dict[str, Any] = {
        "finding_id": "f1",
        "found_on": HELD_ON,
        "description": "拖欠十二名农民工三个月工资",
        "arrears": arrears_found(),
        "suggested_lead_unit": "rsj",
        "unit_code": None,
    }
    return InspectionFindingRaised(**(defaults | overrides))


PROPOSALS = {
    MeetingKind.PLENARY: meeting_proposed,
    MeetingKind.SPECIAL: special_proposed,
    MeetingKind.INSPECTION: inspection_proposed,
}


def proposed(kind: MeetingKind = MeetingKind.PLENARY) -> list[MeetingEvent]:
    """A meeting of that kind just proposed."""
    return [PROPOSALS[kind]()]


def approved() -> list[MeetingEvent]:
    """A special meeting the convener approved."""
    return [special_proposed(), meeting_approved()]


def scheduled(kind: MeetingKind = MeetingKind.PLENARY) -> list[MeetingEvent]:
    """A meeting scheduled for 2024-03-20: a plenary or special meeting chaired by
    the convener, an inspection with no chair named."""
    if kind is MeetingKind.INSPECTION:
        chair = meeting_scheduled(chair_person_id=None, chair_role=None)
        return [*proposed(kind), chair]
    before = approved() if kind is MeetingKind.SPECIAL else proposed(kind)
    return [*before, meeting_scheduled()]


def notified(kind: MeetingKind = MeetingKind.PLENARY) -> list[MeetingEvent]:
    """A scheduled meeting whose notice asked jsj and rsj for materials."""
    return [*scheduled(kind), notice_sent()]


def held(kind: MeetingKind = MeetingKind.PLENARY) -> list[MeetingEvent]:
    """A notified meeting that took place on 2024-03-20."""
    return [*notified(kind), meeting_held()]


def meeting_of(*histories: Sequence[MeetingEvent]) -> Meeting:
    """The meeting after these histories, one after the other."""
    return MEETING.replay(event for history in histories for event in history)


def action_item_assigned(**overrides: Any) -> ActionItemAssigned:
    defaults: dict[str, Any] = {
        "meeting_id": MEETING_ID,
        "origin": ActionOrigin.DECISION,
        "source_id": "d1",
        "unit_code": "jsj",
        "task": TASK.task,
        "due": TASK_DUE,
        "report_every_days": REPORT_EVERY,
        "case_ids": (),
        "listing_ids": (),
        "assigned_on": HELD_ON,
    }
    return ActionItemAssigned(**(defaults | overrides))


def progress_reported(**overrides: Any) -> ProgressReported:
    defaults: dict[str, Any] = {
        "reported_on": date(2024, 4, 10),
        "text": "已督促12个在建项目开设专用账户",
        "document_ref": None,
        "is_complete": False,
    }
    return ProgressReported(**(defaults | overrides))


def action_item_accepted(**overrides: Any) -> ActionItemAccepted:
    defaults: dict[str, Any] = {"accepted_on": date(2024, 6, 20), "note": ""}
    return ActionItemAccepted(**(defaults | overrides))


def action_item_sent_back(**overrides: Any) -> ActionItemSentBack:
    defaults: dict[str, Any] = {
        "sent_back_on": date(2024, 6, 20),
        "reason": "尚有两个项目未开户",
    }
    return ActionItemSentBack(**(defaults | overrides))


def action_item_overdue(**overrides: Any) -> ActionItemOverdue:
    defaults: dict[str, Any] = {
        "kind": OverdueKind.MISSED_REPORT,
        "missed": FIRST_PERIOD_END,
        "flagged_on": date(2024, 4, 20),
    }
    return ActionItemOverdue(**(defaults | overrides))


def assigned(**overrides: Any) -> list[ActionEvent]:
    """An open action item, with `action_item_assigned(**overrides)`."""
    return [action_item_assigned(**overrides)]


def in_progress(**overrides: Any) -> list[ActionEvent]:
    """An action item its unit reported on once, on 2024-04-10."""
    return [*assigned(**overrides), progress_reported()]


def awaiting_acceptance(**overrides: Any) -> list[ActionEvent]:
    """An action item its unit reported complete on 2024-06-14."""
    done = progress_reported(reported_on=date(2024, 6, 14), is_complete=True)
    return [*in_progress(**overrides), done]


def completed(**overrides: Any) -> list[ActionEvent]:
    """An action item the office accepted as done."""
    return [*awaiting_acceptance(**overrides), action_item_accepted()]


def action_of(*histories: Sequence[ActionEvent]) -> ActionItem:
    """The action item after these histories, one after the other."""
    return ACTION.replay(event for history in histories for event in history)


def powers(
    person: str = CONVENER_ID,
    *,
    roster: frozenset[str] = frozenset({"convener"}),
    token: frozenset[str] = frozenset(),
    on: date = TODAY,
) -> Powers:
    """The actor as a decide function sees him: token roles, roster roles on `on`."""
    return Powers(person=person, token_roles=token, roster_roles=roster, on=on)


# The convener on the roster (his token carries no role); the office (by its token).
CONVENER_POWERS = powers()
OFFICE_POWERS = powers(OFFICE_ID, roster=frozenset(), token=frozenset({"office"}))
