"""Audit's reconciliation reads: gaps across services, projections against their
sources, and how many events name a person. Auditors and the office read them."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from services.audit.reconciliation_report import (
    ActorCompletenessView,
    ReconciliationView,
    actor_completeness,
    reconciliation,
)
from services.audit.routes import AuditorDep
from shared.boundary import known_query_only
from shared.http import PoolDep, RuntimeDep, problem_responses

reconciliation_reads = APIRouter(
    tags=["audit"],
    dependencies=[Depends(known_query_only)],
    responses=problem_responses(401, 403, 422),
)


@reconciliation_reads.get("/reconciliation")
async def read_reconciliation(rt: RuntimeDep, _: AuditorDep) -> ReconciliationView:
    """Per rule (a credit candidate for every recommendation, a case for every
    arrears finding, an action item per responsible unit of every decision, a
    sanction task per unit with the duty of every published listing, every task
    lifted when a listing ends), the source events checked at the last pass and
    each gap with its age; a gap older than `grace_seconds` is also a
    `reconciliation-gap` finding. Then each service's projections against audit's
    copy of their sources (count and hash at the last position applied)."""
    grace: float = getattr(rt.settings, "reconcile_grace_seconds", 0.0)
    async with rt.pool.acquire() as conn:
        return await reconciliation(conn, grace)


@reconciliation_reads.get("/findings/actor-completeness")
async def read_actor_completeness(
    pool: PoolDep, _: AuditorDep
) -> ActorCompletenessView:
    """The share of received events whose actor is a person on the members roster
    rather than a generic identity (`office`, `system`, a service account), over
    all, per service and per acting unit."""
    async with pool.acquire() as conn:
        return await actor_completeness(conn)
