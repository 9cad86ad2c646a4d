"""The meetings command table holds together, names its steps as the API always has,
and serves each command at its path under its decide function's name."""

from __future__ import annotations

from dataclasses import replace

import pytest
from fastapi import FastAPI

from services.meetings.command_table import COMMANDS
from services.meetings.domain.action_item import ACTION_STEPS
from services.meetings.domain.lifecycle import (
    ActionStatus,
    MeetingStatus,
    MinutesStatus,
    TopicStatus,
)
from services.meetings.domain.meeting import MEETING_STEPS
from services.meetings.domain.minutes import MINUTES_STEPS
from services.meetings.domain.scheduling import ScheduleMeeting
from services.meetings.domain.topic import TOPIC_STEPS
from services.meetings.routes import commands
from shared.command_check import CommandTableError, check_table
from shared.command_table import CommandTable
from tests.unit.meetings.test_transitions import command_classes


def test_the_table_passes_the_start_up_check() -> None:
    check_table(COMMANDS)


def test_every_command_of_the_domain_has_a_row() -> None:
    assert {row.command for row in COMMANDS.rows} == command_classes()


def test_allowed_steps_keep_their_names() -> None:
    verbs = COMMANDS.verbs
    assert verbs(MEETING_STEPS[MeetingStatus.NEW]) == ["propose"]
    assert verbs(MEETING_STEPS[MeetingStatus.PROPOSED]) == [
        "approve",
        "decline",
        "schedule",
        "delegate-chair",
        "revoke-chair-delegation",
        "cancel",
    ]
    assert verbs(MEETING_STEPS[MeetingStatus.SCHEDULED]) == [
        "schedule",
        "delegate-chair",
        "revoke-chair-delegation",
        "send-notice",
        "submit-material",
        "hold",
        "raise-finding",
        "cancel",
    ]
    assert verbs(MEETING_STEPS[MeetingStatus.HELD]) == [
        "submit-material",
        "record-attendance",
        "draft-minutes",
        "circulate-minutes",
        "amend-minutes",
        "approve-minutes",
        "record-decision",
        "adopt-work-plan",
        "raise-finding",
    ]
    assert verbs(MINUTES_STEPS[MinutesStatus.AMENDED]) == [
        "circulate-minutes",
        "amend-minutes",
        "approve-minutes",
    ]
    assert verbs(TOPIC_STEPS[TopicStatus.NEW]) == ["propose"]
    assert verbs(TOPIC_STEPS[TopicStatus.PROPOSED]) == ["accept", "decline", "withdraw"]
    # The service opens an action item itself: no caller assigns one.
    assert verbs(ACTION_STEPS[ActionStatus.NEW]) == []
    assert verbs(ACTION_STEPS[ActionStatus.AWAITING_ACCEPTANCE]) == [
        "accept",
        "send-back",
    ]


def test_each_routed_command_is_served_at_its_path_under_its_decide_name() -> None:
    app = FastAPI()
    app.include_router(commands)
    served = {
        (path, op["operationId"], next(iter(op["responses"])))
        for path, ops in app.openapi()["paths"].items()
        for op in ops.values()
    }
    meeting = "/meetings/{meeting_id}"
    action = "/action-items/{action_id}"
    topic = "/topics/{topic_id}"
    assert served == {
        ("/topics", "propose_topic", "201"),
        (f"{topic}/accept", "accept_topic", "200"),
        (f"{topic}/decline", "decline_topic", "200"),
        (f"{topic}/withdraw", "withdraw_topic", "200"),
        ("/meetings", "propose_meeting", "201"),
        (f"{meeting}/approve", "approve_meeting", "200"),
        (f"{meeting}/decline", "decline_meeting", "200"),
        (f"{meeting}/schedule", "schedule_meeting", "200"),
        (f"{meeting}/cancel", "cancel_meeting", "200"),
        (f"{meeting}/delegate-chair", "delegate_chair", "200"),
        (f"{meeting}/revoke-chair-delegation", "revoke_chair_delegation", "200"),
        (f"{meeting}/send-notice", "send_notice", "200"),
        (f"{meeting}/submit-material", "submit_material", "200"),
        (f"{meeting}/hold", "hold_meeting", "200"),
        (f"{meeting}/record-attendance", "record_attendance", "200"),
        (f"{meeting}/draft-minutes", "draft_minutes", "200"),
        (f"{meeting}/circulate-minutes", "circulate_minutes", "200"),
        (f"{meeting}/amend-minutes", "amend_minutes", "200"),
        (f"{meeting}/approve-minutes", "approve_minutes", "200"),
        (f"{meeting}/record-decision", "record_decision", "200"),
        (f"{meeting}/adopt-work-plan", "adopt_work_plan", "200"),
        (f"{meeting}/raise-finding", "raise_finding", "200"),
        (f"{action}/report-progress", "report_progress", "200"),
        (f"{action}/accept", "accept_action_item", "200"),
        (f"{action}/send-back", "send_back_action_item", "200"),
    }


def test_the_steps_no_one_may_ask_for_have_no_route() -> None:
    routed = {row.command.__name__ for row in COMMANDS.rows if row.route is not None}
    assert {"AssignActionItem", "MarkActionItemOverdue"}.isdisjoint(routed)


def test_a_row_without_a_provider_its_decide_function_needs_is_refused() -> None:
    schedule = COMMANDS.row(ScheduleMeeting)
    without_powers = tuple(f for f in schedule.facts if f.name != "powers")
    broken = CommandTable((replace(schedule, facts=without_powers),))

    with pytest.raises(CommandTableError, match="'powers'"):
        check_table(broken)
