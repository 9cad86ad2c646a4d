"""The minutes drafted, circulated, amended and approved."""

from __future__ import annotations

from typing import Any

from services.meetings.command_table.not_found import NO_MEETING
from services.meetings.domain import minutes
from services.meetings.domain.meeting import MEETING
from services.meetings.outside_facts import powers_on_approval
from services.meetings.resources import MEETINGS
from shared.command_table import Row, today

ROWS: tuple[Row[Any, None], ...] = (
    Row(
        minutes.DraftMinutes,
        MEETING,
        minutes.draft_minutes,
        "Draft the minutes under agenda items.",
        facts=(today(),),
        route=MEETINGS.step("draft-minutes"),
        not_found=NO_MEETING,
    ),
    Row(
        minutes.CirculateMinutes,
        MEETING,
        minutes.circulate_minutes,
        "Circulate the draft minutes.",
        facts=(today(),),
        route=MEETINGS.step("circulate-minutes"),
        not_found=NO_MEETING,
    ),
    Row(
        minutes.AmendMinutes,
        MEETING,
        minutes.amend_minutes,
        "Amend the minutes, saying why.",
        facts=(today(),),
        route=MEETINGS.step("amend-minutes"),
        not_found=NO_MEETING,
    ),
    Row(
        minutes.ApproveMinutes,
        MEETING,
        minutes.approve_minutes,
        "The convener or a deputy convener (on the members roster on"
        " `approved_on`) approves the minutes; 403 for anyone else.",
        facts=(today(), powers_on_approval()),
        route=MEETINGS.step("approve-minutes"),
        not_found=NO_MEETING,
    ),
)
