"""The steps each status allows: every status of a meeting and an action item names its
next steps, every step is a command with a decide function named after it in the
command's own capability module, in every
status each step it does not name is refused with the status and the steps it allows,
and each command names the roles that may run it."""

from __future__ import annotations

import inspect
import re
import sys
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from services.meetings.domain import (
    agenda,
    approval,
    cancellation,
    carrying_out,
    deciding,
    delegation,
    holding,
    inspection,
    minutes,
    notices,
    overdue,
    proposal,
    scheduling,
    topics,
)
from services.meetings.domain.action_item import ACTION_STEPS, ActionItem
from services.meetings.domain.agenda import PlaceTopicOnAgenda
from services.meetings.domain.approval import ApproveMeeting, DeclineMeeting
from services.meetings.domain.cancellation import CancelMeeting
from services.meetings.domain.carrying_out import (
    AcceptActionItem,
    AssignActionItem,
    ReportProgress,
    SendBackActionItem,
)
from services.meetings.domain.deciding import AdoptWorkPlan, RecordDecision
from services.meetings.domain.delegation import DelegateChair, RevokeChairDelegation
from services.meetings.domain.holding import HoldMeeting, RecordAttendance
from services.meetings.domain.inspection import RaiseFinding
from services.meetings.domain.lifecycle import (
    ActionStatus,
    MeetingStatus,
    TopicStatus,
)
from services.meetings.domain.meeting import MEETING_STEPS, Meeting
from services.meetings.domain.minutes import (
    AmendMinutes,
    ApproveMinutes,
    CirculateMinutes,
    DraftMinutes,
)
from services.meetings.domain.notices import SendNotice, SubmitMaterial
from services.meetings.domain.overdue import MarkActionItemOverdue, OverdueKind
from services.meetings.domain.proposal import (
    AgendaItemSpec,
    MeetingKind,
    ProposeMeeting,
)
from services.meetings.domain.scheduling import ScheduleMeeting
from services.meetings.domain.topic import TOPIC_STEPS, Topic
from services.meetings.domain.topics import (
    AcceptTopic,
    DeclineTopic,
    ProposeTopic,
    TopicKind,
    WithdrawTopic,
)
from shared.domain import Command, Event, Role
from shared.errors import DomainError, InvalidTransition
from tests.unit.meetings.factories import (
    APPROVED_ON,
    CONVENER_ID,
    DEPUTY_ID,
    DRAFTED_ON,
    FIRST_PERIOD_END,
    HELD_ON,
    MEETING_ID,
    MINUTES,
    PROPOSED_ON,
    REQUESTS,
    SENT_ON,
    TASK_DUE,
    TODAY,
    action_item_assigned,
    action_of,
    approved,
    assigned,
    attendance_entry,
    awaiting_acceptance,
    completed,
    held,
    in_progress,
    meeting_cancelled,
    meeting_declined,
    meeting_of,
    notice_sent,
    proposed,
    scheduled,
)
from tests.unit.meetings.outside_facts import FACTS, TOPIC_ID, run
from tests.unit.meetings.topic_factories import (
    TOPIC_PROPOSED_ON,
    topic_accepted,
    topic_declined,
    topic_of,
    topic_proposed_history,
    topic_withdrawn,
)

INSPECTION = MeetingKind.INSPECTION
Decide = Callable[..., list[Any]]

MEETING_COMMANDS: dict[type[Command], Command] = {
    ProposeMeeting: ProposeMeeting(
        kind=MeetingKind.PLENARY,
        title="全体会议",
        agenda=(AgendaItemSpec(title="议题"),),
        proposed_on=PROPOSED_ON,
    ),
    ApproveMeeting: ApproveMeeting(approved_on=APPROVED_ON),
    DeclineMeeting: DeclineMeeting(declined_on=APPROVED_ON, reason="否"),
    ScheduleMeeting: ScheduleMeeting(
        scheduled_on=HELD_ON, place="会议室", chair_person_id=CONVENER_ID
    ),
    CancelMeeting: CancelMeeting(cancelled_on=SENT_ON, reason="冲突"),
    DelegateChair: DelegateChair(deputy_person_id=DEPUTY_ID, delegated_on=SENT_ON),
    RevokeChairDelegation: RevokeChairDelegation(revoked_on=SENT_ON, reason="出差"),
    PlaceTopicOnAgenda: PlaceTopicOnAgenda(
        topic_id=TOPIC_ID, title="议题", proposed_by="jsj"
    ),
    SendNotice: SendNotice(
        sent_on=SENT_ON,
        text="通知",
        requests=(REQUESTS[0].model_copy(update={"material_id": "extra"}),),
    ),
    SubmitMaterial: SubmitMaterial(
        notice_id="n1", material_id="report", document_ref="函", submitted_on=SENT_ON
    ),
    HoldMeeting: HoldMeeting(held_on=HELD_ON),
    RaiseFinding: RaiseFinding(found_on=HELD_ON, description="发现"),
    RecordAttendance: RecordAttendance(entries=(attendance_entry(),)),
    DraftMinutes: DraftMinutes(items=MINUTES, drafted_on=DRAFTED_ON),
    CirculateMinutes: CirculateMinutes(circulated_on=DRAFTED_ON),
    AmendMinutes: AmendMinutes(items=MINUTES, reason="补充", amended_on=DRAFTED_ON),
    ApproveMinutes: ApproveMinutes(approved_on=DRAFTED_ON),
    RecordDecision: RecordDecision(text="决定", decided_on=HELD_ON),
    AdoptWorkPlan: AdoptWorkPlan(
        year=2024,
        title="工作计划",
        adopted_on=HELD_ON,
        tasks=(deciding.TaskSpec(unit_code="jsj", task="任务", due=TASK_DUE),),
    ),
}
ACTION_COMMANDS: dict[type[Command], Command] = {
    AssignActionItem: AssignActionItem(
        **action_item_assigned().model_dump(exclude={"report_every_days"})
    ),
    ReportProgress: ReportProgress(reported_on=date(2024, 4, 10), text="进展"),
    AcceptActionItem: AcceptActionItem(accepted_on=date(2024, 6, 20)),
    SendBackActionItem: SendBackActionItem(
        sent_back_on=date(2024, 6, 20), reason="未完成"
    ),
}
TOPIC_COMMANDS: dict[type[Command], Command] = {
    ProposeTopic: ProposeTopic(
        title="议题",
        description="说明",
        kind=TopicKind.MEETING_TOPIC,
        proposed_on=TOPIC_PROPOSED_ON,
    ),
    AcceptTopic: AcceptTopic(meeting_id=MEETING_ID, accepted_on=TODAY),
    DeclineTopic: DeclineTopic(declined_on=TODAY, reason="不属联席会议职责"),
    WithdrawTopic: WithdrawTopic(withdrawn_on=TODAY),
}
MEETING_HISTORIES: dict[MeetingStatus, list[Any]] = {
    MeetingStatus.NEW: [],
    MeetingStatus.PROPOSED: proposed(MeetingKind.SPECIAL),
    MeetingStatus.APPROVED: approved(),
    MeetingStatus.DECLINED: [*proposed(MeetingKind.SPECIAL), meeting_declined()],
    MeetingStatus.SCHEDULED: [*scheduled(INSPECTION), notice_sent()],
    MeetingStatus.HELD: held(INSPECTION),
    MeetingStatus.CANCELLED: [*scheduled(), meeting_cancelled()],
}
ACTION_HISTORIES: dict[ActionStatus, list[Any]] = {
    ActionStatus.NEW: [],
    ActionStatus.OPEN: assigned(),
    ActionStatus.IN_PROGRESS: in_progress(),
    ActionStatus.AWAITING_ACCEPTANCE: awaiting_acceptance(),
    ActionStatus.COMPLETED: completed(),
}
TOPIC_HISTORIES: dict[TopicStatus, list[Any]] = {
    TopicStatus.NEW: [],
    TopicStatus.PROPOSED: topic_proposed_history(),
    TopicStatus.ACCEPTED: [*topic_proposed_history(), topic_accepted()],
    TopicStatus.DECLINED: [*topic_proposed_history(), topic_declined()],
    TopicStatus.WITHDRAWN: [*topic_proposed_history(), topic_withdrawn()],
}
PERMITTED: dict[type[Command], set[Role]] = {
    ProposeMeeting: {Role.OFFICE},
    ApproveMeeting: {Role.CONVENER},
    DeclineMeeting: {Role.CONVENER},
    ScheduleMeeting: {Role.OFFICE, Role.CONVENER, Role.DEPUTY_CONVENER},
    CancelMeeting: {Role.OFFICE, Role.CONVENER},
    DelegateChair: {Role.CONVENER},
    RevokeChairDelegation: {Role.CONVENER},
    PlaceTopicOnAgenda: {Role.SYSTEM},
    ProposeTopic: {Role.OFFICE, Role.UNIT_STAFF},
    AcceptTopic: {Role.OFFICE},
    DeclineTopic: {Role.OFFICE},
    WithdrawTopic: {Role.OFFICE, Role.UNIT_STAFF},
    SendNotice: {Role.OFFICE},
    SubmitMaterial: {Role.OFFICE, Role.UNIT_STAFF},
    HoldMeeting: {Role.OFFICE},
    RecordAttendance: {Role.OFFICE},
    DraftMinutes: {Role.OFFICE},
    CirculateMinutes: {Role.OFFICE},
    AmendMinutes: {Role.OFFICE},
    ApproveMinutes: {Role.CONVENER, Role.DEPUTY_CONVENER},
    RecordDecision: {Role.OFFICE},
    AdoptWorkPlan: {Role.OFFICE},
    RaiseFinding: {Role.OFFICE},
    AssignActionItem: {Role.SYSTEM},
    ReportProgress: {Role.OFFICE, Role.UNIT_STAFF},
    AcceptActionItem: {Role.OFFICE},
    SendBackActionItem: {Role.OFFICE},
    MarkActionItemOverdue: {Role.SYSTEM},
}


CAPABILITIES = (
    proposal,
    approval,
    scheduling,
    delegation,
    agenda,
    notices,
    holding,
    minutes,
    deciding,
    inspection,
    cancellation,
    carrying_out,
    overdue,
    topics,
)
"""The modules that hold the meetings service's commands, each with its decide functions."""


def snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def command_classes() -> set[type[Command]]:
    return {
        obj
        for module in CAPABILITIES
        for obj in vars(module).values()
        if isinstance(obj, type) and issubclass(obj, Command) and obj is not Command
    }


def decide_of(command: Command) -> Decide:
    return decide_for(type(command))


def decide_for(command: type[Command]) -> Decide:
    """The decide function named after the command, in the command's own module."""
    module = sys.modules[command.__module__]
    decide: Decide = getattr(module, snake(command.__name__))
    return decide


def refusal(
    decide: Decide, state: Any, command: Command, **facts: Any
) -> DomainError | None:
    try:
        run(decide, state, command, **facts)
    except DomainError as error:
        return error
    return None


def meeting_in(status: MeetingStatus) -> Meeting:
    return meeting_of(MEETING_HISTORIES[status])


def action_in(status: ActionStatus) -> ActionItem:
    return action_of(ACTION_HISTORIES[status])


def topic_in(status: TopicStatus) -> Topic:
    return topic_of(TOPIC_HISTORIES[status])


def test_every_status_names_its_next_steps() -> None:
    assert set(MEETING_STEPS) == set(MeetingStatus) == set(MEETING_HISTORIES)
    assert set(ACTION_STEPS) == set(ActionStatus) == set(ACTION_HISTORIES)
    assert set(TOPIC_STEPS) == set(TopicStatus) == set(TOPIC_HISTORIES)
    assert all(
        TOPIC_STEPS[s] == ()
        for s in (TopicStatus.ACCEPTED, TopicStatus.DECLINED, TopicStatus.WITHDRAWN)
    )
    assert MEETING_STEPS[MeetingStatus.DECLINED] == ()
    assert MEETING_STEPS[MeetingStatus.CANCELLED] == ()
    assert ACTION_STEPS[ActionStatus.COMPLETED] == ()


def test_every_step_named_is_a_command_and_every_command_a_step() -> None:
    tables = (MEETING_STEPS, ACTION_STEPS, TOPIC_STEPS)
    steps = {s for table in tables for v in table.values() for s in v}

    # The watcher's step is no one's next step: it runs only when a date passed.
    assert steps | {MarkActionItemOverdue} == command_classes()
    assert set(MEETING_COMMANDS) | set(ACTION_COMMANDS) | set(TOPIC_COMMANDS) == steps


def test_every_command_has_a_decide_function_asking_only_for_known_facts() -> None:
    for command in command_classes():
        decide = decide_for(command)
        facts = {
            name
            for name, p in inspect.signature(decide).parameters.items()
            if p.kind is p.KEYWORD_ONLY
        }
        assert facts <= set(FACTS), command.__name__


def test_each_command_names_the_roles_that_may_run_it() -> None:
    assert set(PERMITTED) == command_classes()
    assert {c: set(c.permitted) for c in PERMITTED} == PERMITTED
    assert all(Role.AUDITOR not in c.permitted for c in PERMITTED)


def test_the_histories_reach_their_statuses() -> None:
    assert {s: meeting_in(s).status for s in MeetingStatus} == {
        s: s for s in MeetingStatus
    }
    assert {s: action_in(s).status for s in ActionStatus} == {
        s: s for s in ActionStatus
    }
    assert {s: topic_in(s).status for s in TopicStatus} == {s: s for s in TopicStatus}


@pytest.mark.parametrize(
    ("status", "step"),
    [
        (status, step)
        for status in MeetingStatus
        for step in MEETING_COMMANDS
        if step not in MEETING_STEPS[status]
    ],
)
def test_a_meeting_step_its_status_does_not_allow_is_refused_naming_what_it_allows(
    status: MeetingStatus, step: type[Command]
) -> None:
    command = MEETING_COMMANDS[step]

    with pytest.raises(InvalidTransition) as refused:
        run(decide_of(command), meeting_in(status), command)

    assert refused.value.current == status
    assert refused.value.allowed == MEETING_STEPS[status]
    assert refused.value.detail.startswith(f"The meeting is {status} and cannot be ")


@pytest.mark.parametrize(
    ("status", "step"),
    [(status, step) for status in MeetingStatus for step in MEETING_STEPS[status]],
)
def test_a_meeting_step_its_status_allows_is_never_refused_for_the_status(
    status: MeetingStatus, step: type[Command]
) -> None:
    command = MEETING_COMMANDS[step]

    answer = refusal(decide_of(command), meeting_in(status), command)

    # Refused for a rule, a date or the minutes' order perhaps, which other tests check.
    assert not (isinstance(answer, InvalidTransition) and answer.current == status)


@pytest.mark.parametrize(
    ("status", "step"),
    [
        (status, step)
        for status in ActionStatus
        for step in ACTION_COMMANDS
        if step not in ACTION_STEPS[status]
    ],
)
def test_an_action_step_its_status_does_not_allow_is_refused_naming_what_it_allows(
    status: ActionStatus, step: type[Command]
) -> None:
    command = ACTION_COMMANDS[step]

    with pytest.raises(InvalidTransition) as refused:
        run(decide_of(command), action_in(status), command)

    assert refused.value.current == status
    assert refused.value.allowed == ACTION_STEPS[status]
    assert refused.value.detail.startswith(f"The action item is {status} and cannot ")


@pytest.mark.parametrize(
    ("status", "step"),
    [(status, step) for status in ActionStatus for step in ACTION_STEPS[status]],
)
def test_an_action_step_its_status_allows_is_taken(
    status: ActionStatus, step: type[Command]
) -> None:
    command = ACTION_COMMANDS[step]

    events: list[Event] = run(
        decide_of(command), action_in(status), command, today=date(2024, 6, 20)
    )

    assert len(events) == 1


@pytest.mark.parametrize("status", list(ActionStatus))
def test_the_watchers_step_is_never_an_illegal_transition(status: ActionStatus) -> None:
    command = MarkActionItemOverdue(
        kind=OverdueKind.MISSED_REPORT, missed=FIRST_PERIOD_END
    )

    answer = refusal(
        decide_of(command), action_in(status), command, today=date(2024, 4, 20)
    )

    assert answer is None


@pytest.mark.parametrize(
    ("status", "step"),
    [
        (status, step)
        for status in TopicStatus
        for step in TOPIC_COMMANDS
        if step not in TOPIC_STEPS[status]
    ],
)
def test_a_topic_step_its_status_does_not_allow_is_refused_naming_what_it_allows(
    status: TopicStatus, step: type[Command]
) -> None:
    command = TOPIC_COMMANDS[step]

    with pytest.raises(InvalidTransition) as refused:
        run(decide_of(command), topic_in(status), command)

    assert refused.value.current == status
    assert refused.value.allowed == TOPIC_STEPS[status]
    assert refused.value.detail.startswith(f"The topic is {status} and cannot be ")


@pytest.mark.parametrize(
    ("status", "step"),
    [(status, step) for status in TopicStatus for step in TOPIC_STEPS[status]],
)
def test_a_topic_step_its_status_allows_is_taken(
    status: TopicStatus, step: type[Command]
) -> None:
    command = TOPIC_COMMANDS[step]

    events = run(decide_of(command), topic_in(status), command)

    assert len(events) == 1
