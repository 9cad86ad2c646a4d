"""The meeting held and who attended."""

from __future__ import annotations

from typing import Any

from services.meetings.command_table.not_found import NO_MEETING
from services.meetings.domain import holding
from services.meetings.domain.meeting import MEETING
from services.meetings.resources import MEETINGS
from shared.command_table import Row, today

ROWS: tuple[Row[Any, None], ...] = (
    Row(
        holding.HoldMeeting,
        MEETING,
        holding.hold_meeting,
        "Record that the meeting took place.",
        facts=(today(),),
        route=MEETINGS.step("hold"),
        not_found=NO_MEETING,
    ),
    Row(
        holding.RecordAttendance,
        MEETING,
        holding.record_attendance,
        "Record per unit and person: present, absent, excused or represented by"
        " someone.",
        route=MEETINGS.step("record-attendance"),
        not_found=NO_MEETING,
    ),
)
