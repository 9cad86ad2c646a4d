"""The credit HTTP API: the listing procedure, units' sanctions, and the check API."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request

from services.credit import handlers, queries
from services.credit.domain.aggregate import LISTING
from services.credit.domain.candidate import OpenCandidate
from services.credit.domain.decision import DecideListing, DecideNotToList
from services.credit.domain.early_removal import (
    ApplyForEarlyRemoval,
    DecideEarlyRemoval,
)
from services.credit.domain.ending import RevokeListing
from services.credit.domain.listing import ListingStatus
from services.credit.domain.notice import FileObjection, ReviewObjection, ServeNotice
from services.credit.domain.publication import PublishListing
from services.credit.domain.sanctioning import (
    RecordSanctionApplied,
    RecordSanctionLifted,
)
from services.credit.projections import LISTING_MODELS
from services.credit.rules import CreditRules
from services.credit.views import (
    ChangeFeedView,
    CheckView,
    ListingDetailView,
    ListingSummaryView,
    PublicListEntryView,
    SanctionTaskView,
)
from shared.auth import Actor, Scope
from shared.boundary import known_query_only
from shared.commands import add_command_routes
from shared.domain import Command
from shared.envelope import Envelope
from shared.errors import InvalidInput
from shared.handling import CommandContext
from shared.history import consistent_with, stream_history
from shared.http import (
    CommandContextDep,
    PoolDep,
    RuntimeDep,
    StoreDep,
    current_actor,
    problem_responses,
    reader,
    runtime,
)
from shared.store import Appended
from shared.values import (
    LISTING_ID_PATTERN,
    CheckedResidentId,
    CheckedUscc,
    QueryOffset,
    UnitCode,
)

ListingId = Annotated[str, Path(pattern=LISTING_ID_PATTERN, examples=["c-2024-000123"])]


async def _rules(request: Request) -> CreditRules:
    # `async def`: FastAPI runs a plain `def` dependency in a worker thread.
    rules: CreditRules = request.app.state.credit_rules
    return rules


async def _secret(request: Request) -> bytes:
    secret: bytes = request.app.state.person_key_secret
    return secret


RulesDep = Annotated[CreditRules, Depends(_rules)]
SecretDep = Annotated[bytes, Depends(_secret)]

commands = APIRouter(
    tags=["commands"],
    dependencies=[Depends(known_query_only)],
    responses=problem_responses(400, 401, 403, 404, 409, 412, 413, 422),
)
# Other agencies' systems read the check API and the listings with a service account
# holding `exchange:credit:read`; people read them with their own tokens.
CreditReaderDep = Annotated[Actor, Depends(reader(Scope.EXCHANGE_CREDIT_READ))]
reads = APIRouter(
    tags=["queries"],
    dependencies=[
        Depends(known_query_only),
        Depends(reader(Scope.EXCHANGE_CREDIT_READ)),
        Depends(consistent_with(LISTING_MODELS)),
    ],
    responses=problem_responses(401, 403, 404, 422),
)


@commands.post("/listings", status_code=201)
async def open_candidate(
    command: OpenCandidate,
    ctx: CommandContextDep,
    store: StoreDep,
    pool: PoolDep,
    rules: RulesDep,
    secret: SecretDep,
) -> Appended:
    """Open a candidate listing by hand, with its grounds (the labour inspection). A
    person's lookup key is derived here from their ID number, which is kept sealed."""
    return await handlers.open_by_hand(store, pool, rules, ctx, command, secret)


async def _run(
    request: Request, ctx: CommandContext, command: Command, listing_id: str
) -> Appended:
    rt = runtime(request)
    return await handlers.handle(
        rt.store, rt.pool, await _rules(request), ctx, command, listing_id
    )


add_command_routes(
    commands,
    prefix="listings",
    id_pattern=LISTING_ID_PATTERN,
    routes=(
        (
            "serve-notice",
            ServeNotice,
            "Serve the notice of intent; the objection period (working days, district setting) starts.",
        ),
        (
            "file-objection",
            FileObjection,
            "Record the subject's objection (within the objection period).",
        ),
        (
            "review-objection",
            ReviewObjection,
            "Review the objection: upheld (then decide not to list) or not.",
        ),
        (
            "decide",
            DecideListing,
            "Decide to list (after the objection period or review); the listing runs 3 years.",
        ),
        (
            "decide-not-to-list",
            DecideNotToList,
            "Decide not to list (e.g. paid and committed before the decision).",
        ),
        (
            "publish",
            PublishListing,
            "Publish and share the listing: every unit with a sanction duty gets a task.",
        ),
        (
            "record-sanction-applied",
            RecordSanctionApplied,
            "A unit confirms it applied its sanction (its own tasks only).",
        ),
        (
            "record-sanction-lifted",
            RecordSanctionLifted,
            "A unit confirms it lifted its sanction after the listing ended.",
        ),
        (
            "apply-for-early-removal",
            ApplyForEarlyRemoval,
            "The employer applies for early removal (credit repair).",
        ),
        (
            "decide-early-removal",
            DecideEarlyRemoval,
            "Grant early removal if paid ≥ 6 months ago, no new arrears, committed in writing; else refuse with reasons.",
        ),
        (
            "revoke",
            RevokeListing,
            "Revoke the listing after reconsideration or a court ruling.",
        ),
    ),
    run=_run,
)


@reads.get("/check", response_model=CheckView)
async def check(
    pool: PoolDep,
    rt: RuntimeDep,
    secret: SecretDep,
    uscc: Annotated[CheckedUscc | None, Query()] = None,
    person: Annotated[
        CheckedResidentId | None, Query(description="resident ID number")
    ] = None,
) -> CheckView:
    """Is this employer (by USCC) or person (by ID number) under joint punishment now,
    since when, until when, and which units apply which measures. The answer never
    contains an ID number."""
    if (uscc is None) == (person is None):
        raise InvalidInput(
            "query.uscc", "one_of_uscc_or_person", "give exactly one of uscc or person"
        )
    today = datetime.now(rt.zone).date()
    if uscc is not None:
        return await queries.check(
            pool, uscc=uscc, person_key=None, query="uscc", today=today
        )
    assert person is not None  # noqa: S101 - one of the two is set
    key = handlers.person_key(secret, person)
    return await queries.check(
        pool, uscc=None, person_key=key, query="person", today=today
    )


@reads.get("/public-list")
async def public_list(pool: PoolDep, rt: RuntimeDep) -> list[PublicListEntryView]:
    """Employers under joint punishment today: name and USCC only."""
    return await queries.public_list(pool, today=datetime.now(rt.zone).date())


@reads.get("/listings")
async def list_listings(
    pool: PoolDep,
    status: Annotated[ListingStatus | None, Query()] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[QueryOffset, Query()] = 0,
) -> list[ListingSummaryView]:
    """Listings, optionally in one state."""
    return await queries.list_listings(pool, status=status, limit=limit, offset=offset)


@reads.get("/listings/changes")
async def listing_changes(
    pool: PoolDep, after: Annotated[QueryOffset, Query()] = 0
) -> ChangeFeedView:
    """For agencies that mirror the list: `after=0` gives every listing and a cursor;
    then `after=<cursor>` gives the listings changed since."""
    return await queries.changes(pool, after=after)


@reads.get("/listings/ending-soon")
async def ending_soon(
    pool: PoolDep, rt: RuntimeDep, days: Annotated[int, Query(ge=1, le=3650)] = 90
) -> list[ListingSummaryView]:
    """Listings in force that end within `days` days."""
    return await queries.ending_soon(
        pool, today=datetime.now(rt.zone).date(), days=days
    )


@reads.get("/listings/{listing_id}")
async def get_listing(
    listing_id: ListingId, store: StoreDep, rt: RuntimeDep, actor: CreditReaderDep
) -> ListingDetailView:
    """A listing with its state and full history."""
    return await queries.listing_detail(
        store,
        listing_id,
        actor=actor,
        today=datetime.now(rt.zone).date(),
        source=rt.settings.source,
        service=rt.settings.service,
    )


@reads.get("/listings/{listing_id}/events")
async def listing_events(
    listing_id: ListingId, store: StoreDep, rt: RuntimeDep
) -> list[Envelope]:
    """The listing's history as CloudEvents."""
    return await stream_history(
        store,
        rt.settings.source,
        rt.settings.service,
        LISTING.stream_id(listing_id),
        None,
    )


@reads.get("/sanction-tasks/{unit}", dependencies=[Depends(current_actor)])
async def sanction_tasks(unit: UnitCode, pool: PoolDep) -> list[SanctionTaskView]:
    """One unit's sanction tasks: what it must apply, confirm or lift (people only:
    no service account's scope names a unit's work)."""
    return await queries.unit_tasks(pool, unit)
