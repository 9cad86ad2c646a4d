"""Events of topics with defaults, to build histories in tests.

The default topic, 2024-007: jsj proposes on Monday 2024-03-04 that the joint meeting
take up wage arrears on municipal projects at a plenary; today (Monday 2024-04-01) the
office accepts it onto meeting 2024-001, declines it, or jsj withdraws it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from services.meetings.domain.proposal import MeetingKind
from services.meetings.domain.topic import TOPIC, Topic, TopicEvent
from services.meetings.domain.topics import (
    TopicAccepted,
    TopicDeclined,
    TopicKind,
    TopicProposed,
    TopicWithdrawn,
    agenda_item_id,
)
from tests.unit.meetings.factories import MEETING_ID, TODAY
from tests.unit.meetings.outside_facts import TOPIC_ID

TOPIC_PROPOSED_ON = date(2024, 3, 4)
TOPIC_TITLE = "市政工程项目欠薪问题"


def topic_proposed(**overrides: Any) -> TopicProposed:
    defaults: dict[str, Any] = {
        "proposed_by": "jsj",
        "title": TOPIC_TITLE,
        "description": "多个市政项目总包单位未按月拨付人工费",
        "kind": TopicKind.MEETING_TOPIC,
        "wanted_meeting_kind": MeetingKind.PLENARY,
        "target_meeting_id": None,
        "proposed_on": TOPIC_PROPOSED_ON,
    }
    return TopicProposed(**(defaults | overrides))


def topic_accepted(**overrides: Any) -> TopicAccepted:
    defaults: dict[str, Any] = {
        "meeting_id": MEETING_ID,
        "item_id": agenda_item_id(TOPIC_ID),
        "accepted_on": TODAY,
        "note": "",
    }
    return TopicAccepted(**(defaults | overrides))


def topic_declined(**overrides: Any) -> TopicDeclined:
    defaults: dict[str, Any] = {"declined_on": TODAY, "reason": "已由建设局专项处理"}
    return TopicDeclined(**(defaults | overrides))


def topic_withdrawn(**overrides: Any) -> TopicWithdrawn:
    defaults: dict[str, Any] = {"withdrawn_on": TODAY, "reason": ""}
    return TopicWithdrawn(**(defaults | overrides))


def topic_proposed_history() -> list[TopicEvent]:
    """A topic jsj just proposed."""
    return [topic_proposed()]


def topic_of(*histories: Sequence[TopicEvent]) -> Topic:
    """The topic after these histories, one after the other."""
    return TOPIC.replay(event for history in histories for event in history)
