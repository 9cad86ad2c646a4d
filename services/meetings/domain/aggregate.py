"""The meetings service's aggregates: a meeting (stream `meeting-<id>`) and an action
item (stream `action-<id>`), each with its events and how they change it."""

from __future__ import annotations

from services.meetings.domain.action_events import ActionEvent
from services.meetings.domain.action_item import ActionItem, evolve_action
from services.meetings.domain.events import MeetingEvent
from services.meetings.domain.meeting import Meeting, evolve_meeting
from shared.domain import Aggregate

MEETING: Aggregate[Meeting, MeetingEvent] = Aggregate(
    category="meeting", initial=Meeting(), evolve=evolve_meeting, events=MeetingEvent
)

ACTION: Aggregate[ActionItem, ActionEvent] = Aggregate(
    category="action", initial=ActionItem(), evolve=evolve_action, events=ActionEvent
)
