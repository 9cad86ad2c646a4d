"""The public profile (no login): the credit list in force, each listing's public page
and the feed of every public record; cacheable (ETag, Cache-Control) and limited per
client address (429 with Retry-After)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response

from services.credit import public_queries
from services.credit.command_table import ListingIdPath
from services.credit.public_views import (
    PublicFeedView,
    PublicListingView,
    PublicListView,
)
from shared.boundary import known_query_only
from shared.caching import cacheable
from shared.http import PoolDep, RuntimeDep, StoreDep
from shared.problems import problem_responses
from shared.rate_limit import rate_limited
from shared.values import QueryOffset

PUBLIC_LIMIT = "public_rate_limit"
# Seconds a cache may serve a public answer: a new record shows within a minute.
_MAX_AGE = 60
_VARYING = frozenset({"exported_at"})

public = APIRouter(
    tags=["public"],
    dependencies=[Depends(known_query_only), Depends(rate_limited(PUBLIC_LIMIT))],
    responses=problem_responses(404, 422, 429),
)


@public.get("/public-list", response_model=PublicListView)
async def public_list(
    request: Request, pool: PoolDep, store: StoreDep, rt: RuntimeDep
) -> Response:
    """The 失信 records in force (公示中), with the fields credit platforms publish;
    no token needed. 304 for a matching `If-None-Match`; 429 past the allowance."""
    view = await public_queries.public_list(
        pool, store.vault, now=datetime.now(rt.zone)
    )
    return cacheable(request, view, max_age=_MAX_AGE, varying=_VARYING)


@public.get("/public-list/changes", response_model=PublicFeedView)
async def public_feed(
    request: Request,
    pool: PoolDep,
    store: StoreDep,
    rt: RuntimeDep,
    after: Annotated[QueryOffset, Query()] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 500,
) -> Response:
    """Every public record after the cursor (`after=0`: from the first), publication
    and stop-publishing records alike, in the order recorded, with the next cursor."""
    view = await public_queries.public_feed(
        pool, store.vault, after=after, limit=limit, now=datetime.now(rt.zone)
    )
    return cacheable(request, view, max_age=_MAX_AGE, varying=_VARYING)


@public.get("/public-list/{listing_id}", response_model=PublicListingView)
async def public_listing(
    request: Request,
    listing_id: ListingIdPath,
    pool: PoolDep,
    store: StoreDep,
    rt: RuntimeDep,
) -> Response:
    """A listing's public page: its publication record and, once it ended, the record
    that stopped its publication. 404 for a listing never published."""
    view = await public_queries.public_listing(
        pool, store.vault, listing_id, now=datetime.now(rt.zone)
    )
    return cacheable(request, view, max_age=_MAX_AGE, varying=_VARYING)
