"""Events as the store keeps them: every event of a meeting, an action item or a topic is known
to its aggregate and reads back from its JSON as it was written, and replaying a whole
history rebuilds the meeting and the action item field by field."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from services.meetings.domain.action_item import ACTION, ActionEvent, ActionItem
from services.meetings.domain.carrying_out import ActionOrigin, Report
from services.meetings.domain.deciding import Decision, WorkPlan
from services.meetings.domain.inspection import Finding
from services.meetings.domain.lifecycle import (
    ActionStatus,
    MeetingStatus,
    MinutesStatus,
)
from services.meetings.domain.meeting import MEETING, Meeting, MeetingEvent
from services.meetings.domain.minutes import Minutes
from services.meetings.domain.notices import Notice, Submission
from services.meetings.domain.overdue import OverdueKind
from services.meetings.domain.proposal import MeetingKind
from services.meetings.domain.topic import TOPIC, TopicEvent
from shared.domain import Event, event_classes
from tests.unit.meetings.factories import (
    ACTION_ID,
    AGENDA,
    CONVENER_ID,
    HELD_ON,
    MEETING_ID,
    MINUTES,
    MINUTES_APPROVED_ON,
    PLAN,
    PROPOSED_ON,
    REQUESTS,
    SENT_ON,
    SUBMITTED_ON,
    TASK,
    TASK_DUE,
    UNITS,
    action_item_accepted,
    action_item_assigned,
    action_item_overdue,
    action_item_sent_back,
    action_of,
    arrears_found,
    attendance_entry,
    attendance_recorded,
    chair_delegated,
    chair_delegation_revoked,
    decision_recorded,
    finding_recorded,
    inspection_finding_raised,
    inspection_proposed,
    material_submitted,
    meeting_approved,
    meeting_cancelled,
    meeting_declined,
    meeting_held,
    meeting_of,
    meeting_proposed,
    meeting_scheduled,
    minutes_amended,
    minutes_approved,
    minutes_circulated,
    minutes_drafted,
    notice_sent,
    progress_reported,
    topic_placed_on_agenda,
    work_plan_adopted,
)
from tests.unit.meetings.topic_factories import (
    topic_accepted,
    topic_declined,
    topic_proposed,
    topic_withdrawn,
)

MEETING_EVENTS: list[MeetingEvent] = [
    meeting_proposed(),
    meeting_approved(),
    meeting_declined(),
    meeting_scheduled(),
    meeting_cancelled(),
    chair_delegated(),
    chair_delegation_revoked(),
    topic_placed_on_agenda(),
    notice_sent(),
    material_submitted(),
    meeting_held(),
    attendance_recorded(),
    minutes_drafted(),
    minutes_circulated(),
    minutes_amended(),
    minutes_approved(),
    decision_recorded(),
    work_plan_adopted(),
    finding_recorded(),
    inspection_finding_raised(),
]
ACTION_EVENTS: list[ActionEvent] = [
    action_item_assigned(),
    progress_reported(),
    action_item_accepted(),
    action_item_sent_back(),
    action_item_overdue(),
]
TOPIC_EVENTS: list[TopicEvent] = [
    topic_proposed(),
    topic_accepted(),
    topic_declined(),
    topic_withdrawn(),
]
PLENARY_HISTORY: list[MeetingEvent] = [
    meeting_proposed(),
    meeting_scheduled(),
    notice_sent(),
    material_submitted(),
    meeting_held(),
    attendance_recorded(),
    minutes_drafted(),
    minutes_circulated(),
    minutes_amended(),
    minutes_approved(),
    decision_recorded(),
    work_plan_adopted(),
]


def test_the_factories_cover_every_event() -> None:
    assert {type(e) for e in MEETING_EVENTS} == set(event_classes(MEETING.events))
    assert {type(e) for e in ACTION_EVENTS} == set(event_classes(ACTION.events))
    assert {type(e) for e in TOPIC_EVENTS} == set(event_classes(TOPIC.events))


@pytest.mark.parametrize(
    ("aggregate", "event"),
    [(MEETING, e) for e in MEETING_EVENTS]
    + [(ACTION, e) for e in ACTION_EVENTS]
    + [(TOPIC, e) for e in TOPIC_EVENTS],
    ids=lambda x: type(x).__name__,
)
def test_an_event_reads_back_from_its_stored_json(aggregate: Any, event: Event) -> None:
    stored = event.model_dump(mode="json")

    assert aggregate.decode(event.event_type(), 1, stored) == event


def test_a_finding_of_arrears_stored_without_its_unit_reads_back() -> None:
    stored = inspection_finding_raised().model_dump(mode="json", exclude={"unit_code"})

    decoded = MEETING.decode("InspectionFindingRaised", 1, stored)

    assert decoded == inspection_finding_raised(unit_code=None)


def test_streams_are_named_for_their_category() -> None:
    assert MEETING.stream_id(MEETING_ID) == "meeting-2024-001"
    assert ACTION.stream_id(ACTION_ID) == "action-2024-001-d1-jsj"
    assert TOPIC.stream_id("2024-007") == "topic-2024-007"
    assert MEETING.initial == Meeting()
    assert ACTION.initial == ActionItem()


def test_a_plenarys_whole_history_rebuilds_the_meeting() -> None:
    meeting = MEETING.replay(PLENARY_HISTORY)

    assert meeting == Meeting(
        status=MeetingStatus.HELD,
        kind=MeetingKind.PLENARY,
        title="2024年上半年全体会议",
        agenda=AGENDA,
        invited_units=tuple(sorted(UNITS)),
        proposed_on=PROPOSED_ON,
        scheduled_on=HELD_ON,
        place="区政府三楼会议室",
        chair_person_id=CONVENER_ID,
        chair_role="convener",
        notices=(
            Notice(
                notice_id="n1",
                sent_on=SENT_ON,
                text="请各单位按时报送材料",
                requests=REQUESTS,
            ),
        ),
        submissions=(
            Submission(
                notice_id="n1",
                material_id="report",
                unit_code="jsj",
                document_ref="东建函〔2024〕5号",
                note="",
                submitted_on=SUBMITTED_ON,
            ),
        ),
        held_on=HELD_ON,
        attendance=(attendance_entry(),),
        minutes=Minutes(
            status=MinutesStatus.APPROVED,
            revision=2,
            items=MINUTES,
            reason="公安分局补充意见",
            approved_on=MINUTES_APPROVED_ON,
        ),
        decisions=(
            Decision(
                decision_id="d1",
                agenda_item_id="1",
                text="建设局牵头落实工资专用账户",
                decided_on=HELD_ON,
                tasks=(TASK,),
            ),
        ),
        work_plan=WorkPlan(
            year=2024,
            title="2024年根治欠薪工作计划",
            adopted_on=HELD_ON,
            tasks=(TASK.model_copy(update={"action_id": "2024-001-wp2024-1"}),),
        ),
    )
    assert meeting.agenda_item("2") == AGENDA[1]
    assert meeting.agenda_item("3") is None
    assert meeting.request("n1", "report") == REQUESTS[0]
    assert meeting.request("n2", "report") is None
    assert meeting.missing_materials() == (REQUESTS[1],)


def test_an_inspections_history_keeps_its_plan_and_findings() -> None:
    arrears = inspection_finding_raised(finding_id="f2", suggested_lead_unit="rsj")

    meeting = meeting_of(
        [inspection_proposed(), meeting_scheduled(), finding_recorded(), arrears]
    )

    assert meeting.plan == PLAN
    assert meeting.findings == (
        Finding(
            finding_id="f1",
            found_on=HELD_ON,
            description="工地未设维权信息告示牌",
            unit_code="jsj",
        ),
        Finding(
            finding_id="f2",
            found_on=HELD_ON,
            description="拖欠十二名农民工三个月工资",
            arrears=arrears_found(),
            suggested_lead_unit="rsj",
        ),
    )


def test_an_action_items_whole_history_rebuilds_it() -> None:
    done = progress_reported(
        reported_on=date(2024, 6, 14), is_complete=True, document_ref="东建函"
    )
    history: list[ActionEvent] = [
        action_item_assigned(case_ids=("2024-000123",)),
        action_item_overdue(),
        progress_reported(),
        done,
        action_item_sent_back(),
        action_item_overdue(kind=OverdueKind.PAST_DUE, missed=TASK_DUE),
        done,
        action_item_accepted(),
    ]

    item = action_of(history)

    report = Report(reported_on=date(2024, 4, 10), text=progress_reported().text)
    final = Report(
        reported_on=date(2024, 6, 14),
        text=progress_reported().text,
        document_ref="东建函",
        is_complete=True,
    )
    assert item == ActionItem(
        status=ActionStatus.COMPLETED,
        meeting_id=MEETING_ID,
        origin=ActionOrigin.DECISION,
        source_id="d1",
        unit_code="jsj",
        task=TASK.task,
        due=TASK_DUE,
        report_every_days=30,
        case_ids=("2024-000123",),
        assigned_on=HELD_ON,
        reports=(report, final, final),
        accepted_on=date(2024, 6, 20),
        sent_back_reasons=("尚有两个项目未开户",),
        flagged_past_due=True,
        missed_reports=(date(2024, 4, 19),),
    )
    assert not item.is_overdue
