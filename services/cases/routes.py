"""The cases HTTP API: task-based commands on a case, and queries of the read models."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import Depends, Query, Response

from services.cases import queries
from services.cases.command_table import COMMANDS, CaseId
from services.cases.domain import state
from services.cases.domain.case import CASE
from services.cases.downloads import totals_download
from services.cases.inbox import cases_inbox
from services.cases.projections import CASE_MODELS
from services.cases.queries import TotalsBy
from services.cases.rules import CaseRules
from services.cases.views import (
    CaseDetailView,
    CaseSummaryView,
    TotalView,
    WorkQueueView,
)
from shared.command_routes import add_table_routes
from shared.dates import Moment
from shared.dependencies import app_state
from shared.download_http import download, download_format, download_responses
from shared.downloads import DownloadFormat
from shared.history import history_route
from shared.http import (
    ActorDep,
    PoolDep,
    RuntimeDep,
    StoreDep,
)
from shared.inbox import inbox_route
from shared.routers import command_router, query_router
from shared.values import UNIT_CODE_PATTERN, QueryOffset, UnitCode

_rules = app_state("case_rules", CaseRules)
RulesDep = Annotated[CaseRules, Depends(_rules)]

commands = command_router()
reads = query_router(CASE_MODELS)


add_table_routes(commands, COMMANDS, _rules)


@reads.get("/cases")
async def list_cases(
    pool: PoolDep,
    status: Annotated[state.CaseStatus | None, Query()] = None,
    unit: Annotated[
        str | None,
        Query(pattern=UNIT_CODE_PATTERN, description="lead or helping unit"),
    ] = None,
    sector: Annotated[str | None, Query(pattern=r"^(construction|other)$")] = None,
    territorial_unit: Annotated[
        str | None,
        Query(
            pattern=UNIT_CODE_PATTERN,
            description="the town or community whose territory the case lies in",
        ),
    ] = None,
    penalty: Annotated[
        state.PenaltyStatus | None, Query(description="where the penalty track is")
    ] = None,
    handed_over_by: Annotated[
        str | None,
        Query(pattern=UNIT_CODE_PATTERN, description="the unit that handed it over"),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[QueryOffset, Query()] = 0,
) -> list[CaseSummaryView]:
    """Cases, newest first (no personal data). Any person reads them, so a town or a
    community reads every case in its territory with `territorial_unit`, assigned to
    it or not; `penalty=decided` lists the fines decided and neither paid nor sent to
    the court; the petitions bureau or the trade union sees what became of the
    complaints it handed over with `handed_over_by`."""
    return await queries.list_cases(
        pool,
        status=status,
        unit=unit,
        sector=sector,
        territorial_unit=territorial_unit,
        penalty=penalty,
        handed_over_by=handed_over_by,
        limit=limit,
        offset=offset,
    )


@reads.get("/cases/overdue")
async def overdue_cases(pool: PoolDep, rt: RuntimeDep) -> list[CaseSummaryView]:
    """Cases with a passed deadline whose step is not done, or a late assignment."""
    return await queries.overdue_cases(pool, today=datetime.now(rt.zone).date())


@reads.get("/cases/{case_id}")
async def get_case(
    case_id: CaseId,
    store: StoreDep,
    pool: PoolDep,
    rt: RuntimeDep,
    actor: ActorDep,
    as_of: Annotated[
        Moment | None, Query(description="the case as recorded at that time")
    ] = None,
) -> CaseDetailView:
    """A case with its state, deadlines, workers (clear for the office and the assigned
    units, masked for others), its full history and the later cases flagged as its
    possible duplicates."""
    return await queries.case_detail(
        store,
        case_id,
        duplicates=await queries.possible_duplicates(pool, case_id),
        actor=actor,
        as_of=as_of,
        today=datetime.now(rt.zone).date(),
        source=rt.settings.source,
        service=rt.settings.service,
    )


history_route(
    reads,
    "/cases/{case_id}/events",
    CASE,
    id_type=CaseId,
    name="case_events",
    description="The case's history as CloudEvents (personal data only as ciphertext).",
)


@reads.get("/work-queues/{unit}")
async def work_queue(
    unit: UnitCode, pool: PoolDep, rt: RuntimeDep, rules: RulesDep
) -> WorkQueueView:
    """A unit's queue: cases assigned to it, due within 5 working days, overdue."""
    today = datetime.now(rt.zone).date()
    assigned, due_soon, overdue = await queries.work_queue(
        pool, unit, today=today, calendar=rules.calendar
    )
    return WorkQueueView(
        unit=unit, today=today, assigned=assigned, due_soon=due_soon, overdue=overdue
    )


inbox_route(reads, cases_inbox, name="cases_inbox")


@reads.get("/totals")
async def totals(
    pool: PoolDep, by: Annotated[TotalsBy, Query()] = TotalsBy.MONTH
) -> list[TotalView]:
    """Amounts owed and recovered by month, sector, town/community or lead unit."""
    return await queries.totals(pool, by)


@reads.get("/downloads/totals", response_class=Response, responses=download_responses())
async def download_totals(
    pool: PoolDep,
    rt: RuntimeDep,
    fmt: Annotated[DownloadFormat, Depends(download_format)],
    by: Annotated[TotalsBy, Query()] = TotalsBy.MONTH,
) -> Response:
    """The totals (`GET /totals`) as a file to save: `?format=csv` (UTF-8 with BOM) or
    `xlsx`, or by the Accept header; headings in Chinese, amounts with two decimals.
    422 `download_format` for any other format."""
    rows = await queries.totals(pool, by)
    return await download(totals_download(by), rows, fmt=fmt, zone=rt.zone)
