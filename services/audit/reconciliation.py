"""Reconciliation across services, continuously: the rules of `reconcile_rules` over
the events audit received (never another service's database), the report kept in
audit's tables for `GET /reconciliation`, and each gap older than the grace raised
once as a finding. Each pass also reconciles the services' projections
(`completeness`)."""

from __future__ import annotations

import asyncio
from datetime import datetime
from zoneinfo import ZoneInfo

import asyncpg
import structlog

from services.audit.checks import Finding, FindingKind
from services.audit.completeness import check_projections
from services.audit.findings import record_findings
from services.audit.reconcile_rules import (
    ENDINGS,
    Received,
    RuleResult,
    UnitSpan,
    reconcile,
)
from services.audit.settings import AuditSettings
from shared.db import DbConnection
from shared.loops import LoopState, LoopStatus
from shared.store import EventStore

log = structlog.get_logger()

# The event types the rules read, by the service that publishes them.
SOURCES: dict[str, tuple[str, ...]] = {
    "cases": ("CreditListingRecommended", "CaseReceived"),
    "meetings": (
        "InspectionFindingRaised",
        "DecisionRecorded",
        "WorkPlanAdopted",
        "ActionItemAssigned",
    ),
    "credit": (
        "CandidateOpened",
        "ListingPublished",
        "ListingActivated",
        "SanctionLifted",
        *ENDINGS,
    ),
}


class Reconciler:
    """Reconciles what audit received, again after each interval."""

    def __init__(
        self, pool: asyncpg.Pool, store: EventStore, settings: AuditSettings
    ) -> None:
        self.pool = pool
        self.store = store
        self.settings = settings
        self.status = LoopStatus(name="audit_reconciler")

    async def run(self) -> None:
        """Reconcile, then again after the interval; until cancelled."""
        self.status.set(LoopState.RUNNING)
        while True:
            await self.reconcile()
            await check_projections(self.pool, self.store, self.settings)
            await asyncio.sleep(self.settings.reconcile_interval_seconds)

    async def reconcile(self) -> None:
        """One pass over every rule: the report replaced, late gaps raised."""
        async with self.pool.acquire() as conn:
            events = await received(conn)
            directory = await unit_directory(conn)
            today = (await conn.fetchval("SELECT now()")).astimezone(
                ZoneInfo(self.settings.timezone)
            )
        results = reconcile(
            events,
            duties=self.settings.sanction_duties,
            directory=directory,
            today=today.date(),
        )
        async with self.pool.acquire() as conn, conn.transaction():
            for result in results:
                await _save(conn, result)
            late = await _raise_late(conn, self.settings.reconcile_grace_seconds)
            for service, findings in late.items():
                await record_findings(conn, self.store, service, findings)


async def received(conn: DbConnection) -> list[Received]:
    """The events the rules read, as received."""
    types = sorted({t for ts in SOURCES.values() for t in ts})
    rows = await conn.fetch(
        "SELECT service, position, stream_id, event_type, recorded_at,"
        " envelope->'data' AS data FROM audit_events"
        " WHERE event_type = ANY($1::text[]) AND service = ANY($2::text[])"
        " ORDER BY service, position",
        types,
        list(SOURCES),
    )
    return [
        Received(
            r["service"],
            r["position"],
            r["stream_id"],
            r["event_type"],
            r["recorded_at"],
            r["data"] if isinstance(r["data"], dict) else {},
        )
        for r in rows
        if r["event_type"] in SOURCES[r["service"]]
    ]


async def unit_directory(conn: DbConnection) -> list[UnitSpan]:
    """Each member unit (`unit-<code>`) from its admission to its withdrawal."""
    rows = await conn.fetch(
        "SELECT stream_id, event_type, recorded_at FROM audit_events"
        " WHERE service = 'members' AND event_type = ANY($1::text[])"
        " ORDER BY position",
        ["UnitAdmitted", "UnitWithdrawn"],
    )
    admitted: dict[str, datetime] = {}
    withdrawn: dict[str, datetime] = {}
    for r in rows:
        code = r["stream_id"].removeprefix("unit-")
        into = admitted if r["event_type"] == "UnitAdmitted" else withdrawn
        into.setdefault(code, r["recorded_at"])
    return [UnitSpan(code, at, withdrawn.get(code)) for code, at in admitted.items()]


async def _save(conn: DbConnection, result: RuleResult) -> None:
    await conn.execute(
        "INSERT INTO audit_reconciliation (rule, checked, gaps, computed_at)"
        " VALUES ($1, $2, $3, now()) ON CONFLICT (rule) DO UPDATE"
        " SET checked = excluded.checked, gaps = excluded.gaps,"
        " computed_at = excluded.computed_at",
        result.rule.value,
        result.checked,
        len(result.gaps),
    )
    await conn.execute(
        "DELETE FROM audit_reconciliation_gaps WHERE rule = $1", result.rule.value
    )
    gaps = list({(g.service, g.position, g.missing): g for g in result.gaps}.values())
    await conn.execute(
        "INSERT INTO audit_reconciliation_gaps (rule, service, position, missing,"
        " stream_id, since) SELECT $1, g.* FROM unnest($2::text[], $3::bigint[],"
        " $4::text[], $5::text[], $6::timestamptz[]) AS g",
        result.rule.value,
        [g.service for g in gaps],
        [g.position for g in gaps],
        [g.missing for g in gaps],
        [g.stream_id for g in gaps],
        [g.since for g in gaps],
    )


async def _raise_late(conn: DbConnection, grace: float) -> dict[str, list[Finding]]:
    """The gaps older than the grace not raised before, marked raised."""
    rows = await conn.fetch(
        "INSERT INTO audit_reconciliation_raised (rule, service, position, missing)"
        " SELECT rule, service, position, missing FROM audit_reconciliation_gaps"
        " WHERE since < now() - make_interval(secs => $1)"
        " ON CONFLICT DO NOTHING RETURNING rule, service, position, missing",
        grace,
    )
    late: dict[str, list[Finding]] = {}
    for r in rows:
        stream = await conn.fetchval(
            "SELECT stream_id FROM audit_reconciliation_gaps WHERE rule = $1"
            " AND service = $2 AND position = $3 AND missing = $4",
            *r.values(),
        )
        late.setdefault(r["service"], []).append(
            Finding(
                FindingKind.RECONCILIATION_GAP,
                f"{r['rule']}: no {r['missing']}, past the grace period",
                stream_id=stream,
                position=r["position"],
            )
        )
    return late
