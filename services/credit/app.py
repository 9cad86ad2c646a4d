"""Wiring of the credit service."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from fastapi import FastAPI

from services.credit.command_facts import CreditContext
from services.credit.command_table import CREDIT_COMMANDS
from services.credit.domain.aggregate import LISTING
from services.credit.domain.construction_measures import MEASURE
from services.credit.downloads import downloads
from services.credit.measure_projection import ConstructionMeasures
from services.credit.measure_routes import measures
from services.credit.process_managers import CandidatesFromCases
from services.credit.projections import EmployerCases, ListingReadModels
from services.credit.public_routes import PUBLIC_LIMIT, public
from services.credit.routes import commands, internal, reads
from services.credit.rules import CreditRules
from services.credit.settings import CreditSettings
from services.credit.watcher import listing_watcher
from shared.domain import Aggregate
from shared.http import Background, ServiceRuntime, create_service_app
from shared.projections import Projection
from shared.rate_limit import TokenBucket
from shared.settings import load_district
from shared.unit_directory import MemberDirectory

MIGRATIONS = Path(__file__).parent / "migrations"
# What a webhook of the restricted profile receives (docs/webhooks.md): as agencies'
# service accounts read the listings, decided listings and their sanction tasks, never
# candidates, notices or objections.
RESTRICTED_EVENT_TYPES = frozenset(
    f"qingqian.credit.{name}.v1"
    for name in (
        "ListingDecided",
        "ListingPublished",
        "ListingActivated",
        "SanctionApplied",
        "SanctionOverdue",
        "SanctionLifted",
        "ListingExpired",
        "ListingRevoked",
        "EarlyRemovalGranted",
    )
)
# Every aggregate the service stores: its AsyncAPI document lists their events.
AGGREGATES: tuple[Aggregate[Any, Any], ...] = (LISTING, MEASURE)


def create_app(settings: CreditSettings) -> FastAPI:
    """The credit app: routes (the public profile limited per client), the unit
    directory, listings' read models, employers' cases, candidates from cases'
    recommendations, and the listing watcher."""
    district = load_district(settings)
    context = CreditContext(
        rules=CreditRules.from_district(district),
        person_key_secret=_person_key_secret(settings),
    )

    def consumers(rt: ServiceRuntime) -> list[Projection]:
        return [
            MemberDirectory(settings.members_topic),
            ListingReadModels(rt.store, settings.events_topic, district.exchange),
            ConstructionMeasures(rt.store, settings.events_topic),
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
        routers=[commands, reads, internal, public, downloads, measures],
        consumers=consumers,
        background=background,
        migrations=MIGRATIONS,
        district=district,
        command_tables=[CREDIT_COMMANDS],
        aggregates=AGGREGATES,
        restricted_event_types=RESTRICTED_EVENT_TYPES,
    )
    app.state.credit_context = context
    setattr(
        app.state,
        PUBLIC_LIMIT,
        TokenBucket(
            per_minute=settings.public_requests_per_minute, burst=settings.public_burst
        ),
    )
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
