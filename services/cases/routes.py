"""The cases HTTP API: task-based commands on a case, and queries of the read models."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request

from services.cases import handlers, queries
from services.cases.domain import (
    assignment,
    escalation,
    intake,
    investigation,
    payments,
    personal_data,
    police_answer,
    referral,
    state,
    supplement,
)
from services.cases.domain.case import CASE
from services.cases.projections import CASE_MODELS
from services.cases.queries import TotalsBy
from services.cases.rules import CaseRules
from services.cases.views import (
    CaseDetailView,
    CaseSummaryView,
    TotalView,
    WorkQueueView,
)
from shared.boundary import known_query_only
from shared.commands import add_command_routes
from shared.dates import Moment
from shared.domain import Command
from shared.envelope import Envelope
from shared.handling import CommandContext
from shared.history import consistent_with, stream_history
from shared.http import (
    ActorDep,
    CommandContextDep,
    PoolDep,
    RuntimeDep,
    StoreDep,
    current_actor,
    problem_responses,
    runtime,
)
from shared.store import Appended
from shared.values import CASE_ID_PATTERN, UNIT_CODE_PATTERN, QueryOffset, UnitCode

CaseId = Annotated[str, Path(pattern=CASE_ID_PATTERN, examples=["2024-000123"])]


async def _rules(request: Request) -> CaseRules:
    # `async def`: FastAPI runs a plain `def` dependency in a worker thread.
    rules: CaseRules = request.app.state.case_rules
    return rules


RulesDep = Annotated[CaseRules, Depends(_rules)]

commands = APIRouter(
    tags=["commands"],
    dependencies=[Depends(known_query_only)],
    responses=problem_responses(400, 401, 403, 404, 409, 412, 413, 422),
)
reads = APIRouter(
    tags=["queries"],
    dependencies=[
        Depends(known_query_only),
        Depends(current_actor),
        Depends(consistent_with(CASE_MODELS)),
    ],
    responses=problem_responses(401, 404, 422),
)


@commands.post("/cases", status_code=201)
async def receive_case(
    command: intake.ReceiveCase,
    ctx: CommandContextDep,
    store: StoreDep,
    pool: PoolDep,
    rules: RulesDep,
) -> Appended:
    """Register a received case (complaint, report, platform clue, petition hand-over,
    inspection finding…) under the next case number; the 5-working-day acceptance limit
    starts. 422 names the field for a bad USCC (unless overridden with a reason), a bad
    ID number or an unknown territorial unit."""
    return await handlers.receive_case(store, pool, rules, ctx, command)


async def _run(
    request: Request, ctx: CommandContext, command: Command, case_id: str
) -> Appended:
    rt = runtime(request)
    return await handlers.handle(
        rt.store, rt.pool, await _rules(request), ctx, command, case_id
    )


add_command_routes(
    commands,
    prefix="cases",
    id_pattern=CASE_ID_PATTERN,
    routes=(
        (
            "accept",
            intake.AcceptCase,
            "Accept the case and open it (立案) the same day; the 60-working-day investigation starts.",
        ),
        ("reject", intake.RejectCase, "Refuse the case in writing with a reason."),
        (
            "request-supplement",
            supplement.RequestSupplement,
            "Ask for supplementary material (补正).",
        ),
        (
            "receive-supplement",
            supplement.ReceiveSupplement,
            "The material arrived: the acceptance limit starts again.",
        ),
        (
            "transfer-out",
            intake.TransferCaseOut,
            "Transfer the case to the competent department.",
        ),
        (
            "extend-investigation",
            investigation.ExtendInvestigation,
            "Extend the investigation once by 30 working days, with the head's approval.",
        ),
        (
            "cancel",
            investigation.CancelCase,
            "Cancel the case (撤销立案): minor and already corrected.",
        ),
        (
            "order-payment",
            investigation.OrderPayment,
            "Order payment within a time limit, saying how the order was served.",
        ),
        (
            "record-payment",
            payments.RecordPayment,
            "Record a payment recovered; partial payments add up.",
        ),
        (
            "decide-handling",
            payments.DecideHandling,
            "Overdue: decide extra compensation of 50–100 % of what is still owed.",
        ),
        (
            "apply-court-enforcement",
            payments.ApplyCourtEnforcement,
            "Apply to the court to enforce an unpaid decision.",
        ),
        ("close", investigation.CloseCase, "Close the case."),
        (
            "propose-referral",
            referral.ProposeReferral,
            "Propose referral to the police (拒不支付劳动报酬罪); the head decides within 3 days.",
        ),
        (
            "approve-referral",
            referral.ApproveReferral,
            "Approve the referral; transfer within 24 hours.",
        ),
        (
            "refuse-referral",
            referral.RefuseReferral,
            "Refuse the referral, with reasons.",
        ),
        (
            "transfer-to-police",
            referral.TransferToPolice,
            "Transfer the case to the police; they answer within 3 days.",
        ),
        (
            "record-police-filing",
            police_answer.RecordPoliceFiling,
            "The police filed the case.",
        ),
        (
            "record-police-declining",
            police_answer.RecordPoliceDeclining,
            "The police declined; reconsideration may be asked within 3 days.",
        ),
        (
            "request-reconsideration",
            police_answer.RequestReconsideration,
            "Ask the police to reconsider; they answer within 3 days.",
        ),
        (
            "request-procuratorate-supervision",
            police_answer.RequestProcuratorateSupervision,
            "Ask the procuratorate to supervise.",
        ),
        (
            "assign",
            assignment.AssignCase,
            "Assign (交办) the case to a lead unit and helping units with a due date; re-assigns a returned case.",
        ),
        (
            "report-progress",
            assignment.ReportProgress,
            "An assigned unit reports progress.",
        ),
        (
            "return-assignment",
            assignment.ReturnAssignment,
            "The lead unit returns a mis-routed assignment with a reason.",
        ),
        (
            "flag-mass-incident",
            escalation.FlagMassIncident,
            "Flag a mass incident; the employer is recommended for credit punishment.",
        ),
        (
            "flag-employer-absconded",
            escalation.FlagEmployerAbsconded,
            "Flag that the employer absconded.",
        ),
    ),
    run=_run,
)


@commands.post("/cases/{case_id}/forget-worker")
async def forget_worker(
    case_id: CaseId,
    command: personal_data.ForgetWorker,
    ctx: CommandContextDep,
    store: StoreDep,
    pool: PoolDep,
    rules: RulesDep,
) -> Appended:
    """Forget a worker (office only, with a reason): their key is deleted, so no API,
    read model, Kafka message or export shows their data again; the log still verifies."""
    return await handlers.forget_worker(store, pool, rules, ctx, command, case_id)


@reads.get("/cases")
async def list_cases(
    pool: PoolDep,
    status: Annotated[state.CaseStatus | None, Query()] = None,
    unit: Annotated[
        str | None,
        Query(pattern=UNIT_CODE_PATTERN, description="lead or helping unit"),
    ] = None,
    sector: Annotated[str | None, Query(pattern=r"^(construction|other)$")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[QueryOffset, Query()] = 0,
) -> list[CaseSummaryView]:
    """Cases, newest first (no personal data)."""
    return await queries.list_cases(
        pool, status=status, unit=unit, sector=sector, limit=limit, offset=offset
    )


@reads.get("/cases/overdue")
async def overdue_cases(pool: PoolDep, rt: RuntimeDep) -> list[CaseSummaryView]:
    """Cases with a passed deadline whose step is not done, or a late assignment."""
    return await queries.overdue_cases(pool, today=datetime.now(rt.zone).date())


@reads.get("/cases/{case_id}")
async def get_case(
    case_id: CaseId,
    store: StoreDep,
    rt: RuntimeDep,
    actor: ActorDep,
    as_of: Annotated[
        Moment | None, Query(description="the case as recorded at that time")
    ] = None,
) -> CaseDetailView:
    """A case with its state, deadlines, workers (clear for the office and the assigned
    units, masked for others) and its full history."""
    return await queries.case_detail(
        store,
        case_id,
        actor=actor,
        as_of=as_of,
        source=rt.settings.source,
        service=rt.settings.service,
    )


@reads.get("/cases/{case_id}/events")
async def case_events(
    case_id: CaseId, store: StoreDep, rt: RuntimeDep
) -> list[Envelope]:
    """The case's history as CloudEvents (personal data only as ciphertext)."""
    return await stream_history(
        store, rt.settings.source, rt.settings.service, CASE.stream_id(case_id), None
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


@reads.get("/totals")
async def totals(
    pool: PoolDep, by: Annotated[TotalsBy, Query()] = TotalsBy.MONTH
) -> list[TotalView]:
    """Amounts owed and recovered by month, sector, town/community or lead unit."""
    return await queries.totals(pool, by)
