"""Wiring of the audit service."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import FastAPI

from services.audit.domain.finding import FINDING
from services.audit.ingest import Ingest
from services.audit.keys import KeyPins
from services.audit.reconciliation import Reconciler
from services.audit.reconciliation_routes import reconciliation_reads
from services.audit.routes import reads
from services.audit.settings import AuditSettings
from services.audit.verifier import TreeVerifier
from shared.domain import Aggregate
from shared.http import Background, ServiceRuntime, create_service_app
from shared.jwks import service_signer

MIGRATIONS = Path(__file__).parent / "migrations"
# Every aggregate the service stores: its AsyncAPI document lists their events.
AGGREGATES: tuple[Aggregate[Any, Any], ...] = (FINDING,)


def create_app(settings: AuditSettings) -> FastAPI:
    """The audit app: ingest of every followed service's topics, the tree verifier,
    and the read API. Audit changes no other service: it only reads their topics
    and their published keys."""
    configured = settings.configured_keys()
    # Audit's own key (SEAL_PRIVATE_KEY): its co-signatures, published with its log's.
    witness = service_signer(settings)

    def background(rt: ServiceRuntime) -> list[Background]:
        if settings.kafka_bootstrap is None:
            return []
        pins = KeyPins(rt.pool, configured=configured, urls=settings.service_urls)
        return [
            Ingest(rt.pool, rt.store, settings, pins),
            TreeVerifier(rt.pool, rt.store, settings, witness=witness),
            Reconciler(rt.pool, rt.store, settings),
        ]

    return create_service_app(
        settings,
        title="Qingqian audit",
        routers=[reads, reconciliation_reads],
        background=background,
        migrations=MIGRATIONS,
        aggregates=AGGREGATES,
    )
