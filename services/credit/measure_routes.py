"""Reading the construction bureau's measures: `GET /construction-measures` with
filters (an unknown one is a 422) and one measure."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import asyncpg
from fastapi import Query
from pydantic import BaseModel

from services.credit.command_table import CREDIT_COMMANDS, MeasureIdPath
from services.credit.domain.construction_measures import (
    ALLOWED_AFTER,
    MeasureKind,
    MeasureStatus,
)
from services.credit.measure_projection import CONSTRUCTION_MEASURES
from shared.errors import NotFound
from shared.http import PoolDep
from shared.routers import query_router
from shared.values import CaseId, ListingId, QueryOffset, UnitCode

measures = query_router(CONSTRUCTION_MEASURES, problems=(401, 404, 422))


class ConstructionMeasureView(BaseModel):
    """One measure of the construction bureau and the steps it allows next."""

    measure_id: str
    kind: MeasureKind
    status: MeasureStatus
    unit_code: str
    listing_id: str | None
    case_id: str | None
    taken_on: date
    reference: str
    lifted_on: date | None
    allowed_next: list[str]


def _view(row: asyncpg.Record) -> ConstructionMeasureView:
    fields = {k: row[k] for k in ConstructionMeasureView.model_fields if k in row}
    steps = ALLOWED_AFTER[MeasureStatus(row["status"])]
    return ConstructionMeasureView(**fields, allowed_next=CREDIT_COMMANDS.verbs(steps))


@measures.get("/construction-measures")
async def list_construction_measures(
    pool: PoolDep,
    listing_id: Annotated[ListingId | None, Query()] = None,
    case_id: Annotated[CaseId | None, Query()] = None,
    kind: Annotated[MeasureKind | None, Query()] = None,
    status: Annotated[MeasureStatus | None, Query()] = None,
    unit_code: Annotated[UnitCode | None, Query()] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[QueryOffset, Query()] = 0,
) -> list[ConstructionMeasureView]:
    """The construction bureau's measures, newest first, by listing, case, kind,
    status or unit."""
    rows = await pool.fetch(
        "SELECT * FROM construction_measures WHERE ($1::text IS NULL OR listing_id = $1)"
        " AND ($2::text IS NULL OR case_id = $2) AND ($3::text IS NULL OR kind = $3)"
        " AND ($4::text IS NULL OR status = $4) AND ($5::text IS NULL OR unit_code = $5)"
        " ORDER BY taken_on DESC, measure_id DESC LIMIT $6 OFFSET $7::bigint",
        listing_id,
        case_id,
        kind.value if kind else None,
        status.value if status else None,
        unit_code,
        limit,
        offset,
    )
    return [_view(r) for r in rows]


@measures.get("/construction-measures/{measure_id}")
async def get_construction_measure(
    measure_id: MeasureIdPath, pool: PoolDep
) -> ConstructionMeasureView:
    """One measure as it stands."""
    row = await pool.fetchrow(
        "SELECT * FROM construction_measures WHERE measure_id = $1", measure_id
    )
    if row is None:
        raise NotFound(f"construction measure {measure_id} does not exist")
    return _view(row)
