"""Wiring of the meetings service."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import FastAPI

from services.meetings.command_table import COMMANDS
from services.meetings.domain.action_item import ACTION
from services.meetings.domain.meeting import MEETING
from services.meetings.domain.topic import TOPIC
from services.meetings.projections import (
    ActionItemsFromDecisions,
    FindingCases,
    MeetingReadModels,
    TopicsOntoAgendas,
)
from services.meetings.roles import JointMeetingRoles
from services.meetings.routes import commands, reads
from services.meetings.settings import MeetingsSettings
from services.meetings.watcher import action_watcher
from shared.domain import Aggregate
from shared.http import Background, ServiceRuntime, create_service_app
from shared.projections import Projection
from shared.unit_directory import MemberDirectory

MIGRATIONS = Path(__file__).parent / "migrations"
# Every aggregate the service stores: its AsyncAPI document lists their events.
AGGREGATES: tuple[Aggregate[Any, Any], ...] = (MEETING, ACTION, TOPIC)


def create_app(settings: MeetingsSettings) -> FastAPI:
    """The meetings app: routes, the unit directory and joint-meeting roles from members,
    meetings', action items' and topics' read models, the action items decisions open,
    the agenda items accepted topics become, the cases inspection findings became, and
    the action-item watcher."""

    def consumers(rt: ServiceRuntime) -> list[Projection]:
        return [
            MemberDirectory(settings.members_topic),
            JointMeetingRoles(settings.members_topic),
            MeetingReadModels(rt.store, settings.events_topic),
            ActionItemsFromDecisions(rt.store, rt.pool, settings.events_topic),
            TopicsOntoAgendas(rt.store, rt.pool, settings.events_topic),
            FindingCases(settings.cases_topic),
        ]

    def background(rt: ServiceRuntime) -> list[Background]:
        watcher = action_watcher(
            rt.store, rt.pool, zone=rt.zone, interval=settings.deadline_watch_seconds
        )
        return [watcher]

    return create_service_app(
        settings,
        title="Qingqian meetings",
        routers=[commands, reads],
        consumers=consumers,
        background=background,
        migrations=MIGRATIONS,
        command_tables=[COMMANDS],
        aggregates=AGGREGATES,
    )
