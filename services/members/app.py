"""Wiring of the members service."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import FastAPI

from services.members.command_table import MEMBERS_COMMANDS
from services.members.domain.joint_meeting import JOINT_MEETING
from services.members.domain.person import PERSON
from services.members.domain.unit import UNIT
from services.members.process_managers import EndRolesWhenRelieved
from services.members.projections import MembersDirectory
from services.members.routes import commands, reads
from services.members.seeding import load_seed_roster
from services.members.settings import MembersSettings
from shared.domain import Aggregate
from shared.http import ServiceRuntime, create_service_app
from shared.projections import Projection

MIGRATIONS = Path(__file__).parent / "migrations"
# What a webhook of the restricted profile receives (docs/webhooks.md): which units
# belong and under what name are public facts; people's appointments are not.
RESTRICTED_EVENT_TYPES = frozenset(
    f"qingqian.members.{name}.v1"
    for name in ("UnitAdmitted", "UnitRenamed", "UnitDutiesSet", "UnitWithdrawn")
)
# Every aggregate the service stores: its AsyncAPI document lists their events.
AGGREGATES: tuple[Aggregate[Any, Any], ...] = (UNIT, PERSON, JOINT_MEETING)


def create_app(settings: MembersSettings) -> FastAPI:
    """The members app: routes, its read models, its process manager, the seed roster."""

    def consumers(rt: ServiceRuntime) -> list[Projection]:
        return [
            MembersDirectory(settings.events_topic),
            EndRolesWhenRelieved(
                rt.store,
                rt.pool,
                topic=settings.events_topic,
                joint_meeting_id=settings.district,
            ),
        ]

    return create_service_app(
        settings,
        title="Qingqian members",
        routers=[commands, reads],
        consumers=consumers,
        migrations=MIGRATIONS,
        on_started=[load_seed_roster] if settings.is_seed_loaded else [],
        command_tables=[MEMBERS_COMMANDS],
        restricted_event_types=RESTRICTED_EVENT_TYPES,
        aggregates=AGGREGATES,
    )
