"""Projections' completeness (DESIGN.md "Completeness you can check"): each followed
service's `/operations/projections` says, per projection and source, how many events
it applied, the highest position and that event's hash; audit reconciles that against
its own copy of the source. A mismatch lasting past the grace is a finding, once per
episode: batches of several partitions commit out of position order, so a count may
briefly lag the highest position."""

from __future__ import annotations

from dataclasses import dataclass

import asyncpg
import httpx
import structlog
from pydantic import TypeAdapter, ValidationError

from services.audit.checks import Finding, FindingKind
from services.audit.findings import record_findings
from services.audit.settings import AuditSettings
from shared.db import DbConnection
from shared.operations import ProjectionView, SourceProgressView
from shared.store import EventStore

log = structlog.get_logger()

_TIMEOUT = 5.0
_VIEWS = TypeAdapter(list[ProjectionView])


class State:
    """How a projection's progress stands against its source as audit received it."""

    MATCHES = "matches"
    # Audit has not received the source that far yet: nothing to say.
    PENDING = "pending"
    MISMATCH = "mismatch"


@dataclass(frozen=True)
class SourceCopy:
    """Audit's copy of a source up to a position: events received up to it, the hash
    received at it, and whether audit holds everything before it."""

    count: int
    hash: str | None
    is_complete: bool


def judge(progress: SourceProgressView, copy: SourceCopy | None) -> str:
    """Whether the applied count and last hash are the source's up to that position."""
    if progress.applied_count == 0 and progress.last_position == 0:
        return State.MATCHES
    if copy is None or not copy.is_complete:
        return State.PENDING
    hash_holds = progress.last_hash is None or progress.last_hash == copy.hash
    if copy.count == progress.applied_count and hash_holds:
        return State.MATCHES
    return State.MISMATCH


def source_service(source: str) -> str:
    """The service of a CloudEvents source (`/qingqian/<district>/<service>`)."""
    return source.rstrip("/").rsplit("/", 1)[-1]


async def check_projections(
    pool: asyncpg.Pool, store: EventStore, settings: AuditSettings
) -> None:
    """Poll each followed service with a URL and reconcile its projections."""
    if settings.reconcile_token_file is None:
        return
    token = settings.reconcile_token_file.read_text(encoding="utf-8").strip()
    for service in settings.audited_services:
        base = settings.service_urls.get(service)
        if base is None:
            continue
        views = await _fetch(base, token, service)
        if views is None:
            continue
        async with pool.acquire() as conn, conn.transaction():
            found = [
                finding
                for view in views
                for progress in view.sources
                if (
                    finding := await _check(
                        conn, service, view.name, progress, settings
                    )
                )
            ]
            await record_findings(conn, store, service, found)


async def _fetch(base: str, token: str, service: str) -> list[ProjectionView] | None:
    url = base.rstrip("/") + "/operations/projections"
    try:
        async with httpx.AsyncClient(timeout=_TIMEOUT) as client:
            response = await client.get(
                url, headers={"Authorization": f"Bearer {token}"}
            )
            response.raise_for_status()
        return _VIEWS.validate_json(response.content)
    except (httpx.HTTPError, ValidationError) as exc:
        log.warning(
            "audit_projections_unavailable", followed=service, error=type(exc).__name__
        )
        return None


async def source_copy(
    conn: DbConnection, service: str, position: int
) -> SourceCopy | None:
    """Audit's copy of the service's log up to `position` (None: not received)."""
    row = await conn.fetchrow(
        "SELECT e.hash, e.sequence, coalesce(t.size, 0) AS verified,"
        " (SELECT count(*) FROM audit_events c WHERE c.service = e.service"
        "  AND c.position <= e.position) AS count"
        " FROM audit_events e LEFT JOIN audit_trees t ON t.service = e.service"
        " WHERE e.service = $1 AND e.position = $2",
        service,
        position,
    )
    if row is None:
        return None
    # Published in position order: the tree over the contiguous published order
    # reaching the event's sequence means audit holds every event before it.
    is_complete = row["sequence"] is not None and row["verified"] >= row["sequence"]
    return SourceCopy(row["count"], row["hash"], is_complete)


async def _check(
    conn: DbConnection,
    service: str,
    projection: str,
    progress: SourceProgressView,
    settings: AuditSettings,
) -> Finding | None:
    source = source_service(progress.source)
    copy = await source_copy(conn, source, progress.last_position)
    state = judge(progress, copy)
    row = await conn.fetchrow(
        "INSERT INTO audit_projection_checks AS c (service, projection, source,"
        " applied_count, last_position, last_hash, received_count, received_hash,"
        " state, mismatch_since) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9,"
        " CASE WHEN $9 = 'mismatch' THEN now() END)"
        " ON CONFLICT (service, projection, source) DO UPDATE SET"
        " applied_count = excluded.applied_count, last_position = excluded.last_position,"
        " last_hash = excluded.last_hash, received_count = excluded.received_count,"
        " received_hash = excluded.received_hash, state = excluded.state,"
        " mismatch_since = CASE WHEN excluded.state <> 'mismatch' THEN NULL"
        "  ELSE coalesce(c.mismatch_since, now()) END,"
        " is_reported = c.is_reported AND excluded.state = 'mismatch',"
        " checked_at = now()"
        " RETURNING mismatch_since < now() - make_interval(secs => $10)"
        "  AND NOT is_reported AS is_late",
        service,
        projection,
        source,
        progress.applied_count,
        progress.last_position,
        progress.last_hash,
        None if copy is None else copy.count,
        None if copy is None else copy.hash,
        state,
        settings.reconcile_grace_seconds,
    )
    if row is None or not row["is_late"]:
        return None
    await conn.execute(
        "UPDATE audit_projection_checks SET is_reported = true WHERE service = $1"
        " AND projection = $2 AND source = $3",
        service,
        projection,
        source,
    )
    received = 0 if copy is None else copy.count
    same = copy is not None and copy.hash == progress.last_hash
    return Finding(
        FindingKind.PROJECTION_MISMATCH,
        f"projection {projection} applied {progress.applied_count} events of"
        f" {source} up to position {progress.last_position}; audit received"
        f" {received} there, {'with' if same else 'not with'} the hash applied",
        position=progress.last_position,
    )
