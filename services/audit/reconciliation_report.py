"""What `GET /reconciliation` and `GET /findings/actor-completeness` answer, read from
audit's own tables: the reconciler's last pass, and who the received events name."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from pydantic import BaseModel

from shared.db import DbConnection


class GapView(BaseModel):
    """A source event whose consequence audit has not received, and for how long."""

    service: str
    position: int
    stream_id: str
    missing: str
    since: datetime
    age_seconds: float
    # Older than the grace period: raised as a `reconciliation-gap` finding.
    is_finding: bool


class RuleView(BaseModel):
    """One rule: the source events checked at its last pass, and its gaps."""

    rule: str
    checked: int
    computed_at: datetime
    gaps: list[GapView]


class ProjectionCheckView(BaseModel):
    """One projection of a followed service against audit's copy of a source."""

    service: str
    projection: str
    source: str
    applied_count: int
    last_position: int
    last_hash: str | None
    received_count: int | None
    received_hash: str | None
    # matches, pending (audit has not received that far) or mismatch.
    state: str
    mismatch_since: datetime | None
    checked_at: datetime


class ReconciliationView(BaseModel):
    """Reconciliation across services, as last computed."""

    grace_seconds: float
    gaps: int
    rules: list[RuleView]
    projections: list[ProjectionCheckView]


async def reconciliation(conn: DbConnection, grace: float) -> ReconciliationView:
    """The rules' last pass with each gap's age, and the projections' checks."""
    gaps: dict[str, list[GapView]] = defaultdict(list)
    for r in await conn.fetch(
        "SELECT rule, service, position, stream_id, missing, since,"
        " extract(epoch FROM now() - since)::float8 AS age_seconds"
        " FROM audit_reconciliation_gaps ORDER BY since, service, position"
    ):
        gap = dict(r)
        rule = gap.pop("rule")
        gaps[rule].append(GapView(**gap, is_finding=gap["age_seconds"] > grace))
    rules = [
        RuleView(
            rule=r["rule"],
            checked=r["checked"],
            computed_at=r["computed_at"],
            gaps=gaps[r["rule"]],
        )
        for r in await conn.fetch("SELECT * FROM audit_reconciliation ORDER BY rule")
    ]
    projections = [
        ProjectionCheckView(**{k: v for k, v in dict(r).items() if k != "is_reported"})
        for r in await conn.fetch(
            "SELECT * FROM audit_projection_checks ORDER BY service, projection, source"
        )
    ]
    return ReconciliationView(
        grace_seconds=grace,
        gaps=sum(len(g.gaps) for g in rules),
        rules=rules,
        projections=projections,
    )


class ActorShareView(BaseModel):
    """Of the events of one service (and unit), how many a person did."""

    events: int
    by_person: int
    share: float


class UnitActorsView(ActorShareView):
    """A unit's events in one service."""

    unit: str


class ServiceActorsView(ActorShareView):
    """A service's events, and per acting unit."""

    service: str
    units: list[UnitActorsView]


class ActorCompletenessView(ActorShareView):
    """The share of received events whose actor is a person (someone on the members
    roster, `person-<id>`) rather than a generic identity (`office`, `system`, a
    service account, audit itself), over all, per service and per unit."""

    services: list[ServiceActorsView]


def _share(events: int, by_person: int) -> float:
    return round(by_person / events, 4) if events else 0.0


async def actor_completeness(conn: DbConnection) -> ActorCompletenessView:
    """Events and events by a person, per service and acting unit."""
    rows = await conn.fetch(
        "WITH people AS (SELECT DISTINCT stream_id FROM audit_events"
        " WHERE service = 'members' AND stream_id LIKE 'person-%')"
        " SELECT e.service, e.actor_unit AS unit, count(*) AS events,"
        " count(p.stream_id) AS by_person FROM audit_events e"
        " LEFT JOIN people p ON p.stream_id = 'person-' || e.actor"
        " GROUP BY e.service, e.actor_unit ORDER BY e.service, e.actor_unit"
    )
    units: dict[str, list[UnitActorsView]] = defaultdict(list)
    for r in rows:
        units[r["service"]].append(
            UnitActorsView(
                unit=r["unit"],
                events=r["events"],
                by_person=r["by_person"],
                share=_share(r["events"], r["by_person"]),
            )
        )
    services = [_service(service, of) for service, of in units.items()]
    events = sum(s.events for s in services)
    by_person = sum(s.by_person for s in services)
    return ActorCompletenessView(
        events=events,
        by_person=by_person,
        share=_share(events, by_person),
        services=services,
    )


def _service(service: str, units: list[UnitActorsView]) -> ServiceActorsView:
    events = sum(u.events for u in units)
    by_person = sum(u.by_person for u in units)
    return ServiceActorsView(
        service=service,
        events=events,
        by_person=by_person,
        share=_share(events, by_person),
        units=units,
    )
