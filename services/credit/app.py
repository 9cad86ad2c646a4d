"""Wiring of the credit service."""

from __future__ import annotations

import hashlib
from pathlib import Path

from fastapi import FastAPI

from services.credit.command_facts import CreditContext
from services.credit.command_table import CREDIT_COMMANDS
from services.credit.downloads import downloads
from services.credit.process_managers import CandidatesFromCases
from services.credit.projections import EmployerCases, ListingReadModels
from services.credit.routes import commands, reads
from services.credit.rules import CreditRules
from services.credit.settings import CreditSettings
from services.credit.watcher import listing_watcher
from shared.http import Background, ServiceRuntime, create_service_app
from shared.projections import Projection
from shared.settings import load_district
from shared.unit_directory import MemberDirectory

MIGRATIONS = Path(__file__).parent / "migrations"


def create_app(settings: CreditSettings) -> FastAPI:
    """The credit app: routes, the unit directory, listings' read models, employers'
    cases, candidates from cases' recommendations, and the listing watcher."""
    district = load_district(settings)
    context = CreditContext(
        rules=CreditRules.from_district(district),
        person_key_secret=_person_key_secret(settings),
    )

    def consumers(rt: ServiceRuntime) -> list[Projection]:
        return [
            MemberDirectory(settings.members_topic),
            ListingReadModels(rt.store, settings.events_topic),
            EmployerCases(settings.cases_topic),
            CandidatesFromCases(
                rt.store, rt.pool, context, cases_topic=settings.cases_topic
            ),
        ]

    def background(rt: ServiceRuntime) -> list[Background]:
        watcher = listing_watcher(
            rt.store,
            rt.pool,
            context,
            zone=rt.zone,
            interval=settings.deadline_watch_seconds,
        )
        return [watcher]

    app = create_service_app(
        settings,
        title="Qingqian credit",
        routers=[commands, reads, downloads],
        consumers=consumers,
        background=background,
        migrations=MIGRATIONS,
        district=district,
        command_tables=[CREDIT_COMMANDS],
    )
    app.state.credit_context = context
    return app


def _person_key_secret(settings: CreditSettings) -> bytes:
    if settings.person_key_secret is not None:
        return settings.person_key_secret.get_secret_value().encode()
    if settings.seal_private_key is None:
        raise ValueError("PERSON_KEY_SECRET (or SEAL_PRIVATE_KEY) is required")
    # Without its own secret, a key derived from the service's seal key: stable, private.
    return hashlib.sha256(
        b"person-key:" + settings.seal_private_key.get_secret_value().encode()
    ).digest()
