"""Reads of audit's store: findings, the timeline, per-service status, proofs."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import asyncpg

from services.audit.views import (
    FindingView,
    ProofView,
    ServiceStatusView,
    TimelineEntryView,
    TimelineView,
    WitnessView,
)
from shared.business_date import (
    DEFAULT_BACKDATED_AFTER_DAYS,
    Backdating,
    is_backdated,
)
from shared.errors import InvalidInput, NotFound
from shared.merkle import inclusion_proof
from shared.tree_head import event_leaf


async def findings(
    pool: asyncpg.Pool,
    *,
    service: str | None,
    kind: str | None,
    after: int,
    limit: int,
) -> list[FindingView]:
    """Findings in the order found, after `after` (a finding id)."""
    rows = await pool.fetch(
        "SELECT * FROM audit_findings WHERE finding_id > $1"
        " AND ($2::text IS NULL OR service = $2) AND ($3::text IS NULL OR kind = $3)"
        " ORDER BY finding_id LIMIT $4",
        after,
        service,
        kind,
        limit,
    )
    return [FindingView(**dict(r)) for r in rows]


@dataclass(frozen=True)
class TimelineFilter:
    """What a timeline is about; each field narrows it (all None: everything)."""

    entity: str | None = None
    uscc: str | None = None
    actor: str | None = None
    unit: str | None = None
    correlation_id: str | None = None
    since: datetime | None = None
    until: datetime | None = None


def encode_cursor(recorded_at: datetime, service: str, position: int) -> str:
    """The `after` that continues a timeline after this entry."""
    text = f"{recorded_at.isoformat()}|{service}|{position}"
    return base64.urlsafe_b64encode(text.encode()).decode()


def decode_cursor(cursor: str) -> tuple[datetime, str, int]:
    """The entry an `after` names; 422 when it is not one this service made."""
    try:
        text = base64.urlsafe_b64decode(cursor.encode()).decode()
        moment, service, position = text.split("|")
        return datetime.fromisoformat(moment), service, int(position)
    except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
        raise InvalidInput(
            "after", "timeline_cursor", "after is not a cursor this timeline gave"
        ) from exc


_TIMELINE = (
    "SELECT e.service, e.position, e.sequence, e.stream_id, e.version, e.event_type,"
    " e.actor, e.actor_unit, e.correlation_id, e.causation_id, e.recorded_at,"
    " e.business_date, coalesce(e.sequence <= ("
    "  SELECT max(s.tree_size) FROM audit_seals s"
    "  WHERE s.service = e.service AND s.status = 'held'), false) AS is_sealed"
    " FROM audit_events e WHERE {}"
    " ORDER BY e.recorded_at, e.service, e.position LIMIT ${}"
)
# Only the filters given are in the statement: behind `$n IS NULL OR …` PostgreSQL
# cannot join an employer's streams, and walked the whole time index instead
# (docs/benchmark.md, "Audit").
_CONDITIONS = {
    "entity": "e.stream_id = ${}",
    "uscc": "(e.service, e.stream_id) IN (SELECT u.service, u.stream_id"
    " FROM audit_stream_usccs u WHERE u.uscc = ${})",
    "actor": "e.actor = ${}",
    "unit": "e.actor_unit = ${}",
    "correlation_id": "e.correlation_id = ${}",
    "since": "e.recorded_at >= ${}",
    "until": "e.recorded_at < ${}",
}


def timeline_statement(
    where: TimelineFilter, *, after: str | None, limit: int
) -> tuple[str, list[Any]]:
    """The timeline's SQL for these filters, and its arguments."""
    conditions: list[str] = ["true"]
    arguments: list[Any] = []
    for name, condition in _CONDITIONS.items():
        value = getattr(where, name)
        if value is not None:
            arguments.append(value)
            conditions.append(condition.format(len(arguments)))
    if after is not None:
        arguments += decode_cursor(after)
        n = len(arguments)
        conditions.append(
            f"(e.recorded_at, e.service, e.position) > (${n - 2}, ${n - 1}, ${n})"
        )
    arguments.append(limit)
    return _TIMELINE.format(" AND ".join(conditions), len(arguments)), arguments


async def timeline(
    pool: asyncpg.Pool,
    where: TimelineFilter,
    *,
    after: str | None,
    limit: int,
    zone: ZoneInfo,
    backdated_after_days: int = DEFAULT_BACKDATED_AFTER_DAYS,
) -> TimelineView:
    """Events of every service in recorded order (then service, position), one page;
    an entry is back-dated as the store marks its events (`shared.business_date`)."""
    statement, arguments = timeline_statement(where, after=after, limit=limit + 1)
    rows = await pool.fetch(statement, *arguments)
    rule = Backdating(zone=zone, after_days=backdated_after_days)
    entries = [_entry(r, rule) for r in rows[:limit]]
    last = entries[-1] if len(rows) > limit else None
    following = (
        None
        if last is None
        else encode_cursor(last.recorded_at, last.service, last.position)
    )
    return TimelineView(entries=entries, next=following)


def _entry(row: asyncpg.Record, rule: Backdating) -> TimelineEntryView:
    business = row["business_date"]
    return TimelineEntryView(
        service=row["service"],
        position=row["position"],
        sequence=row["sequence"],
        stream_id=row["stream_id"],
        version=row["version"],
        type=row["event_type"],
        actor=row["actor"],
        unit=row["actor_unit"],
        correlation_id=row["correlation_id"],
        causation_id=row["causation_id"],
        recorded_at=row["recorded_at"],
        business_date=business,
        is_backdated=is_backdated(
            business, row["recorded_at"], zone=rule.zone, after_days=rule.after_days
        ),
        is_sealed=row["is_sealed"],
        proof=f"/proofs/{row['service']}/{row['position']}",
    )


async def statuses(
    pool: asyncpg.Pool, services: tuple[str, ...]
) -> list[ServiceStatusView]:
    """For each followed service: events received, tree verified, seals, findings."""
    rows = await pool.fetch(
        "SELECT s.service,"
        " (SELECT count(*) FROM audit_events e WHERE e.service = s.service) AS events,"
        " coalesce((SELECT size FROM audit_trees t WHERE t.service = s.service), 0)"
        "  AS verified_size,"
        " (SELECT count(*) FROM audit_seals a WHERE a.service = s.service"
        "  AND a.status = 'held') AS seals_held,"
        " (SELECT count(*) FROM audit_seals a WHERE a.service = s.service"
        "  AND a.status IN ('pending', 'gap')) AS seals_pending,"
        " (SELECT count(*) FROM audit_seals a WHERE a.service = s.service"
        "  AND a.status = 'failed') AS seals_failed,"
        " (SELECT count(*) FROM audit_findings f WHERE f.service = s.service)"
        "  AS findings"
        " FROM unnest($1::text[]) AS s(service) ORDER BY s.service",
        list(services),
    )
    return [ServiceStatusView(**dict(r)) for r in rows]


async def proof(pool: asyncpg.Pool, service: str, position: int) -> ProofView:
    """The event at `position` of `service` with its inclusion proof in the smallest
    held seal covering it (none yet: no seal and an empty proof)."""
    event = await pool.fetchrow(
        "SELECT envelope, sequence FROM audit_events WHERE service = $1"
        " AND position = $2",
        service,
        position,
    )
    if event is None:
        raise NotFound(f"audit received no event at position {position} of {service}")
    seal = None
    if event["sequence"] is not None:
        seal = await pool.fetchrow(
            "SELECT body, tree_size FROM audit_seals WHERE service = $1"
            " AND status = 'held' AND tree_size >= $2 ORDER BY tree_size LIMIT 1",
            service,
            event["sequence"],
        )
    if seal is None:
        return ProofView(
            envelope=event["envelope"], seal=None, leaf_index=None, inclusion=[]
        )
    hashes = await pool.fetch(
        "SELECT DISTINCT ON (sequence) hash FROM audit_events WHERE service = $1"
        " AND sequence BETWEEN 1 AND $2 ORDER BY sequence, position",
        service,
        seal["tree_size"],
    )
    leaves = [event_leaf(r["hash"]) for r in hashes]
    index = event["sequence"] - 1
    return ProofView(
        envelope=event["envelope"],
        seal=seal["body"],
        leaf_index=index,
        inclusion=[p.hex() for p in inclusion_proof(leaves, index)],
    )


async def witnessed(
    pool: asyncpg.Pool, service: str, seal_no: int | None
) -> WitnessView:
    """Audit's co-signature of the service's seal `seal_no` (None: the latest)."""
    row = await pool.fetchrow(
        "SELECT w.service, s.body AS seal, w.witnessed_at, w.key_id, w.signature"
        " FROM audit_witnesses w JOIN audit_seals s"
        " ON s.service = w.service AND s.seal_hash = w.seal_hash"
        " WHERE w.service = $1 AND ($2::bigint IS NULL OR w.seal_no = $2)"
        " ORDER BY w.seal_no DESC LIMIT 1",
        service,
        seal_no,
    )
    if row is None:
        raise NotFound(f"audit has witnessed no such seal of {service}")
    return WitnessView(**dict(row))
