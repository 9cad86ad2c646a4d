"""What meetings' routes address: the ids of meetings, action items and topics in
paths, their resources, and the yearly numbers new meetings and topics take."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path

from services.meetings.domain.topics import MEETING_ID_PATTERN
from shared.command_table import Resource
from shared.numbering import YearlyNumbers

ACTION_ID_PATTERN = r"^[a-z0-9][a-z0-9-]{0,95}$"
MeetingId = Annotated[str, Path(pattern=MEETING_ID_PATTERN, examples=["2024-003"])]
ActionId = Annotated[str, Path(pattern=ACTION_ID_PATTERN, examples=["2024-003-d1-jsj"])]
# Topics are numbered as meetings are.
TopicId = Annotated[str, Path(pattern=MEETING_ID_PATTERN, examples=["2024-007"])]

MEETINGS = Resource("meetings", id_param="meeting_id", id_type=MeetingId)
ACTION_ITEMS = Resource("action-items", id_param="action_id", id_type=ActionId)
TOPICS = Resource("topics", id_param="topic_id", id_type=TopicId)


def _year_and_number(year: int, number: int) -> str:
    return f"{year}-{number:03d}"


# Meeting numbers per year, handed out without gaps: `2024-003`.
MEETING_NUMBERS = YearlyNumbers(table="meeting_numbers", entity_id=_year_and_number)
# Topic numbers per year, as meetings': `2024-007`.
TOPIC_NUMBERS = YearlyNumbers(table="topic_numbers", entity_id=_year_and_number)
