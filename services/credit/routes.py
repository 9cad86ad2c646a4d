"""The credit HTTP API: the listing procedure, units' sanctions, and the check API."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import Depends, Query

from services.credit import profiles, queries
from services.credit.command_facts import CreditContext
from services.credit.command_table import CREDIT_COMMANDS, ListingIdPath
from services.credit.domain.aggregate import LISTING
from services.credit.domain.listing import ListingStatus
from services.credit.inbox import credit_inbox
from services.credit.person_key import person_key
from services.credit.projections import LISTING_MODELS
from services.credit.views import (
    ChangeFeedView,
    CheckView,
    ListingDetailView,
    ListingSummaryView,
    SanctionTaskView,
)
from shared.auth import Actor, Scope
from shared.command_routes import add_table_routes
from shared.dependencies import app_state
from shared.errors import InvalidInput
from shared.history import history_route
from shared.http import (
    PoolDep,
    RuntimeDep,
    StoreDep,
    current_actor,
    reader,
)
from shared.inbox import inbox_route
from shared.routers import command_router, query_router
from shared.values import (
    CheckedResidentId,
    CheckedUscc,
    QueryOffset,
    UnitCode,
)

_context = app_state("credit_context", CreditContext)
ContextDep = Annotated[CreditContext, Depends(_context)]

commands = command_router()
# Other agencies' systems read the check API and the listings with a service account
# holding `exchange:credit:read`; people read them with their own tokens.
CreditReaderDep = Annotated[Actor, Depends(reader(Scope.EXCHANGE_CREDIT_READ))]
reads = query_router(
    LISTING_MODELS,
    read_by=reader(Scope.EXCHANGE_CREDIT_READ),
    problems=(401, 403, 404, 422),
)

# What only people read: a listing's whole history, candidates' included.
internal = query_router(LISTING_MODELS, problems=(401, 403, 404, 422))


# POST /listings and /listings/{listing_id}/<verb>: one route per routed row.
add_table_routes(commands, CREDIT_COMMANDS, _context)


@reads.get("/check", response_model=CheckView)
async def check(
    pool: PoolDep,
    rt: RuntimeDep,
    context: ContextDep,
    actor: CreditReaderDep,
    uscc: Annotated[CheckedUscc | None, Query()] = None,
    person: Annotated[
        CheckedResidentId | None, Query(description="resident ID number")
    ] = None,
) -> CheckView:
    """Is this employer (by USCC) or person (by ID number) under joint punishment now,
    since when, until when, and which units apply which measures. The answer never
    contains an ID number. A service account is told of decided listings only."""
    if (uscc is None) == (person is None):
        raise InvalidInput(
            "query.uscc", "one_of_uscc_or_person", "give exactly one of uscc or person"
        )
    today = datetime.now(rt.zone).date()
    visible = profiles.visible_statuses(actor)
    if uscc is not None:
        return await queries.check(
            pool, uscc=uscc, person_key=None, query="uscc", today=today, visible=visible
        )
    assert person is not None  # noqa: S101 - one of the two is set
    key = person_key(context.person_key_secret, person)
    return await queries.check(
        pool, uscc=None, person_key=key, query="person", today=today, visible=visible
    )


@reads.get("/listings")
async def list_listings(
    pool: PoolDep,
    actor: CreditReaderDep,
    status: Annotated[ListingStatus | None, Query()] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[QueryOffset, Query()] = 0,
) -> list[ListingSummaryView]:
    """Listings, optionally in one state; a service account sees decided ones only."""
    return await queries.list_listings(
        pool,
        status=status,
        limit=limit,
        offset=offset,
        visible=profiles.visible_statuses(actor),
    )


@reads.get("/listings/changes")
async def listing_changes(
    pool: PoolDep, actor: CreditReaderDep, after: Annotated[QueryOffset, Query()] = 0
) -> ChangeFeedView:
    """For agencies that mirror the list: `after=0` gives every listing and a cursor;
    then `after=<cursor>` gives the listings changed since. A service account gets
    decided listings only, never a candidate (public callers: `/public-list/changes`)."""
    return await queries.changes(
        pool, after=after, visible=profiles.visible_statuses(actor)
    )


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
    listing_id: ListingIdPath,
    store: StoreDep,
    pool: PoolDep,
    rt: RuntimeDep,
    actor: CreditReaderDep,
) -> ListingDetailView:
    """A listing with its state and full history. A service account reads decided
    listings only (403 for a candidate), without the notice and the objection, its
    history from the decision on."""
    return await queries.listing_detail(
        store,
        pool,
        listing_id,
        actor=actor,
        today=datetime.now(rt.zone).date(),
        source=rt.settings.source,
        service=rt.settings.service,
    )


history_route(
    internal,
    "/listings/{listing_id}/events",
    LISTING,
    id_type=ListingIdPath,
    name="listing_events",
    description="The listing's history as CloudEvents (people only: a service"
    " account reads a decided listing's history in `GET /listings/{listing_id}`).",
)


@reads.get("/sanction-tasks/{unit}", dependencies=[Depends(current_actor)])
async def sanction_tasks(unit: UnitCode, pool: PoolDep) -> list[SanctionTaskView]:
    """One unit's sanction tasks: what it must apply, confirm or lift (people only:
    no service account's scope names a unit's work)."""
    return await queries.unit_tasks(pool, unit)


# People only (inbox_route asks for a person): no service account's scope names a
# unit's work.
inbox_route(internal, credit_inbox, name="credit_inbox")
