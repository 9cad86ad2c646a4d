"""Wiring of the cases service."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import FastAPI

from services.cases.command_table import COMMANDS
from services.cases.deadline_watcher import case_deadline_watcher
from services.cases.domain.case import CASE
from services.cases.process_managers import CasesFromInspectionFindings
from services.cases.projections import CaseReadModels
from services.cases.routes import commands, reads
from services.cases.rules import CaseRules
from services.cases.settings import CasesSettings
from shared.domain import Aggregate
from shared.http import Background, ServiceRuntime, create_service_app
from shared.projections import Projection
from shared.settings import load_district
from shared.unit_directory import MemberDirectory

MIGRATIONS = Path(__file__).parent / "migrations"
# Every aggregate the service stores: its AsyncAPI document lists their events.
AGGREGATES: tuple[Aggregate[Any, Any], ...] = (CASE,)


def create_app(settings: CasesSettings) -> FastAPI:
    """The cases app: routes, the member directory and case read models, cases from
    inspection findings, the watcher."""
    district = load_district(settings)
    rules = CaseRules.from_district(district)

    def consumers(rt: ServiceRuntime) -> list[Projection]:
        return [
            MemberDirectory(settings.members_topic),
            CaseReadModels(rt.store, settings.events_topic),
            CasesFromInspectionFindings(
                rt.store, rt.pool, rules, meetings_topic=settings.meetings_topic
            ),
        ]

    def background(rt: ServiceRuntime) -> list[Background]:
        watcher = case_deadline_watcher(
            rt.store,
            rt.pool,
            rules,
            zone=rt.zone,
            interval=settings.deadline_watch_seconds,
        )
        return [watcher]

    app = create_service_app(
        settings,
        title="Qingqian cases",
        routers=[commands, reads],
        consumers=consumers,
        background=background,
        migrations=MIGRATIONS,
        district=district,
        command_tables=[COMMANDS],
        aggregates=AGGREGATES,
    )
    app.state.case_rules = rules
    return app
