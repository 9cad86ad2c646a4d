"""Audit's HTTP API: what it found, the timeline across services, status, proofs.
Everything here reads; auditors and the office may read it."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Header, Path, Query
from fastapi.responses import Response

from services.audit import queries
from services.audit.bundles import make_bundle
from services.audit.checks import FindingKind
from services.audit.queries import TimelineFilter
from services.audit.views import (
    FindingView,
    ProofView,
    ServiceStatusView,
    TimelineView,
    WitnessView,
)
from shared.auth import Actor, Scope
from shared.boundary import known_query_only
from shared.domain import Role
from shared.errors import NotPermitted
from shared.http import (
    PoolDep,
    RuntimeDep,
    current_actor,
    problem_responses,
    reader,
)
from shared.jwks import published_keys, service_signer

_READERS = frozenset({Role.AUDITOR, Role.OFFICE, Role.SYSTEM})
NDJSON = "application/x-ndjson"
Service = Annotated[str, Path(pattern=r"^[a-z][a-z0-9-]{0,39}$")]
Text = Annotated[str | None, Query(min_length=1, max_length=200)]


async def auditor(actor: Annotated[Actor, Depends(current_actor)]) -> Actor:
    """The actor, when an auditor or the office (403 otherwise)."""
    if not actor.has_any(_READERS):
        raise NotPermitted("audit is read by auditors and the office")
    return actor


AuditorDep = Annotated[Actor, Depends(auditor)]

reads = APIRouter(
    tags=["audit"],
    dependencies=[Depends(known_query_only)],
    responses=problem_responses(401, 403, 422),
)


@reads.get("/findings")
async def list_findings(
    pool: PoolDep,
    _: AuditorDep,
    service: Text = None,
    kind: FindingKind | None = None,
    after: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[FindingView]:
    """What does not hold in the services' published logs, in the order found:
    altered, missing or reordered events, broken chains, seals that do not verify
    or whose root is not the events', forks, rollbacks, keys swapped without a
    rotation record. `after` is the last finding id read."""
    return await queries.findings(
        pool, service=service, kind=kind, after=after, limit=limit
    )


@reads.get("/timeline", response_model=TimelineView)
async def read_timeline(
    rt: RuntimeDep,
    _: AuditorDep,
    entity: Text = None,
    uscc: Annotated[str | None, Query(pattern=r"^[0-9A-Z]{18}$")] = None,
    actor: Text = None,
    unit: Text = None,
    correlation_id: Text = None,
    since: Annotated[datetime | None, Query(alias="from")] = None,
    until: Annotated[datetime | None, Query(alias="to")] = None,
    after: Annotated[str | None, Query(max_length=400)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    accept: Annotated[str, Header()] = "application/json",
) -> Response:
    """Every service's events in the order recorded, narrowed by entity (a stream
    id), employer (`uscc`: every stream whose data names it, cases and credit
    alike), actor, unit, correlation id (everything one action set off) and time
    (`from` inclusive, `to` exclusive). Each entry names its service, business date
    against recorded time and a link to its proof. Pages: `after` is the `next` of
    the page before. `Accept: application/x-ndjson` gives one entry per line, the
    next page's cursor in `X-Next-Cursor`."""
    where = TimelineFilter(entity, uscc, actor, unit, correlation_id, since, until)
    zone = ZoneInfo(rt.settings.timezone)
    page = await queries.timeline(
        rt.pool,
        where,
        after=after,
        limit=limit,
        zone=zone,
        backdated_after_days=rt.settings.backdated_after_days,
    )
    if NDJSON not in accept:
        return Response(page.model_dump_json(), media_type="application/json")
    lines = "".join(entry.model_dump_json() + "\n" for entry in page.entries)
    headers = {"X-Next-Cursor": page.next} if page.next else {}
    return Response(lines, media_type=NDJSON, headers=headers)


@reads.get("/status")
async def read_status(rt: RuntimeDep, _: AuditorDep) -> list[ServiceStatusView]:
    """How far each followed service is received and verified: events, the tree
    verified, seals held, pending and failed, findings."""
    services: tuple[str, ...] = getattr(rt.settings, "audited_services", ())
    return await queries.statuses(rt.pool, services)


@reads.get("/proofs/{service}/{position}", responses=problem_responses(404))
async def read_proof(
    pool: PoolDep,
    _: AuditorDep,
    service: Service,
    position: Annotated[int, Path(ge=1)],
) -> ProofView:
    """The event as published, the smallest seal audit holds that covers it and the
    Merkle inclusion proof (RFC 9162 §2.1.3) of the event in that seal's tree; 404
    when audit received no such event."""
    return await queries.proof(pool, service, position)


async def witness_reader(
    actor: Annotated[Actor, Depends(reader(Scope.EVENTS_READ))],
) -> Actor:
    """Auditors and the office, or another agency's service account that reads the
    event feeds (`events:read`): co-signatures are what it checks a log against."""
    if not actor.is_service_account and not actor.has_any(_READERS):
        raise NotPermitted("witness co-signatures are read by auditors and the office")
    return actor


@reads.get("/witness/{service}", responses=problem_responses(404))
async def read_witness(
    pool: PoolDep,
    _: Annotated[Actor, Depends(witness_reader)],
    service: Service,
    seal_no: Annotated[int | None, Query(ge=1)] = None,
) -> WitnessView:
    """Audit's co-signature of the service's latest seal it holds (or of `seal_no`):
    the seal as published, when audit witnessed it, the key id (in audit's
    `/.well-known/jwks.json`) and the Ed25519 signature. 404 when audit has
    witnessed no such seal."""
    return await queries.witnessed(pool, service, seal_no)


@reads.get(
    "/bundles",
    responses={
        **problem_responses(404, 409),
        200: {"content": {"application/vnd.dsse.envelope.v1+json": {}}},
    },
)
async def read_bundle(
    rt: RuntimeDep,
    _: AuditorDep,
    subject: Annotated[str, Query(min_length=1, max_length=200)],
) -> Response:
    """One file another agency checks offline (`qingqian verify-bundle`): every
    event about `subject` (a stream id, an employer's USCC or a correlation id), each
    with its Merkle inclusion proof in a seal audit witnessed, those seals with
    audit's co-signatures, as a DSSE envelope signed with audit's key
    (docs/bundle-format.md). 404 when no event is about it, 422 past the events one
    bundle holds, 409 while an event is not yet under a witnessed seal."""
    envelope = await make_bundle(
        rt.pool,
        subject,
        signer=service_signer(rt.settings),
        audit_keys=published_keys(rt.settings),
    )
    return Response(
        envelope.to_json(), media_type="application/vnd.dsse.envelope.v1+json"
    )
