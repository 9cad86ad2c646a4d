"""The topic aggregate (stream `topic-<yyyy>-<nnn>`): a unit's proposed topic or
measure, until the office accepts it onto a meeting's agenda or declines it, or the
unit withdraws it. Its steps live in `topics`."""

from __future__ import annotations

from datetime import date
from typing import Final

from pydantic import BaseModel

from services.meetings.domain import topics
from services.meetings.domain.lifecycle import TopicStatus, steps_by_status
from services.meetings.domain.proposal import MeetingKind
from services.meetings.domain.topics import TopicKind, TopicsEvent, evolve_topics
from shared.domain import Aggregate, Command


class Topic(BaseModel, frozen=True, extra="forbid"):
    """议题: a topic or measure a unit proposed; a stream with no events is NEW.
    `decided_on` and `note` are the acceptance's, the decline's (its reason) or the
    withdrawal's."""

    status: TopicStatus = TopicStatus.NEW
    proposed_by: str = ""
    title: str = ""
    description: str = ""
    kind: TopicKind | None = None
    wanted_meeting_kind: MeetingKind | None = None
    target_meeting_id: str | None = None
    proposed_on: date | None = None
    meeting_id: str | None = None
    decided_on: date | None = None
    note: str = ""

    def allowed_steps(self) -> tuple[type[Command], ...]:
        """The commands the topic's status allows."""
        return TOPIC_STEPS[self.status]


TOPIC_STEPS: Final = steps_by_status(TopicStatus, (topics.ALLOWED_IN,))
"""The commands each status of a topic allows."""

TopicEvent = TopicsEvent
"""Every event of a topic."""


def evolve_topic(topic: Topic, event: TopicEvent) -> Topic:
    """The topic after one more event."""
    return evolve_topics(topic, event)


TOPIC: Aggregate[Topic, TopicEvent] = Aggregate(
    category="topic", initial=Topic(), evolve=evolve_topic, events=TopicEvent
)
