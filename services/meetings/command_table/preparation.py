"""Getting a meeting ready: an accepted topic placed on its agenda, the notice sent
and the materials the units submit."""

from __future__ import annotations

from typing import Any

from services.meetings.command_table.not_found import NO_MEETING
from services.meetings.domain import agenda, notices
from services.meetings.domain.meeting import MEETING
from services.meetings.resources import MEETINGS
from shared.command_table import Row, actor_unit, today

ROWS: tuple[Row[Any, None], ...] = (
    Row(
        agenda.PlaceTopicOnAgenda,
        MEETING,
        agenda.place_topic_on_agenda,
        "The service adds a topic the office accepted to the meeting's agenda.",
        not_found=NO_MEETING,
    ),
    Row(
        notices.SendNotice,
        MEETING,
        notices.send_notice,
        "Send a notice naming, per unit, the materials to prepare and when they are"
        " due.",
        facts=(today(),),
        route=MEETINGS.step("send-notice"),
        not_found=NO_MEETING,
    ),
    Row(
        notices.SubmitMaterial,
        MEETING,
        notices.submit_material,
        "A unit submits a material asked of it: a document reference and a note.",
        facts=(today(), actor_unit()),
        route=MEETINGS.step("submit-material"),
        not_found=NO_MEETING,
    ),
)
