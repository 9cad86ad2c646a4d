"""Each cases command with the outside facts its decide function asks for.

Routes, the deadline watcher and the process managers run commands through `handle`, so
a command is handled the same way whoever sends it."""

from __future__ import annotations

from functools import partial
from typing import Any

import asyncpg

from services.cases.domain import (
    assignment,
    escalation,
    intake,
    investigation,
    payments,
    personal_data,
    police_answer,
    referral,
    supplement,
)
from services.cases.domain.case import CASE
from services.cases.rules import CaseRules
from shared.commands import (
    Decide,
    facts_for,
    value_fact,
    wanted_facts,
)
from shared.domain import Command
from shared.handling import CommandContext, execute
from shared.numbering import YearlyNumbers, execute_numbered
from shared.store import Appended, EventStore
from shared.unit_directory import active_units

# Each command and the decide function that answers it.
DECIDE: dict[type[Command], Decide] = {
    intake.ReceiveCase: intake.receive_case,
    intake.AcceptCase: intake.accept_case,
    intake.RejectCase: intake.reject_case,
    supplement.RequestSupplement: supplement.request_supplement,
    supplement.ReceiveSupplement: supplement.receive_supplement,
    intake.TransferCaseOut: intake.transfer_case_out,
    investigation.ExtendInvestigation: investigation.extend_investigation,
    investigation.CancelCase: investigation.cancel_case,
    investigation.OrderPayment: investigation.order_payment,
    payments.RecordPayment: payments.record_payment,
    payments.DecideHandling: payments.decide_handling,
    payments.ApplyCourtEnforcement: payments.apply_court_enforcement,
    investigation.CloseCase: investigation.close_case,
    referral.ProposeReferral: referral.propose_referral,
    referral.ApproveReferral: referral.approve_referral,
    referral.RefuseReferral: referral.refuse_referral,
    referral.TransferToPolice: referral.transfer_to_police,
    police_answer.RecordPoliceFiling: police_answer.record_police_filing,
    police_answer.RecordPoliceDeclining: police_answer.record_police_declining,
    police_answer.RequestReconsideration: police_answer.request_reconsideration,
    police_answer.RequestProcuratorateSupervision: police_answer.request_procuratorate_supervision,
    assignment.AssignCase: assignment.assign_case,
    assignment.ReportProgress: assignment.report_progress,
    assignment.ReturnAssignment: assignment.return_assignment,
    escalation.FlagMassIncident: escalation.flag_mass_incident,
    escalation.FlagEmployerAbsconded: escalation.flag_employer_absconded,
    escalation.RecordDeadlineMissed: escalation.record_deadline_missed,
    personal_data.ForgetWorker: personal_data.forget_worker,
}
COMMANDS: tuple[type[Command], ...] = tuple(DECIDE)
WANTS: dict[type[Command], frozenset[str]] = {
    c: wanted_facts(d) for c, d in DECIDE.items()
}


async def handle(
    store: EventStore,
    pool: asyncpg.Pool,
    rules: CaseRules,
    ctx: CommandContext,
    command: Command,
    case_id: str,
) -> Appended:
    """Give the decide function the facts it names (today, calendar, limits, active
    units, case id, the actor's unit) and run the command on the case."""
    facts = await _facts(pool, rules, ctx, command, case_id)
    decide = partial(DECIDE[type(command)], **facts)
    is_new = isinstance(command, intake.ReceiveCase)
    missing = None if is_new else f"case {case_id} does not exist"
    return await execute(store, CASE, case_id, command, decide, ctx, not_found=missing)


async def _facts(
    pool: asyncpg.Pool,
    rules: CaseRules,
    ctx: CommandContext,
    command: Command,
    case_id: str,
) -> dict[str, Any]:
    async def units() -> object:
        return await active_units(pool)

    return await facts_for(
        WANTS[type(command)],
        {
            "today": value_fact(ctx.today),
            "calendar": value_fact(rules.calendar),
            "limits": value_fact(rules.limits),
            "units": units,
            "case_id": value_fact(case_id),
            "unit": value_fact(ctx.actor.unit),
        },
    )


# Case numbers per year, handed out without gaps: `2024-000123`.
CASE_NUMBERS = YearlyNumbers(
    table="case_numbers", entity_id=lambda year, number: f"{year}-{number:06d}"
)


async def receive_case(
    store: EventStore,
    pool: asyncpg.Pool,
    rules: CaseRules,
    ctx: CommandContext,
    command: intake.ReceiveCase,
) -> Appended:
    """Register a new case under the next number of its year; a repeated
    Idempotency-Key returns the case it registered the first time."""
    facts = await _facts(pool, rules, ctx, command, "")

    def decide_for(case_id: str) -> Decide:
        named = {"case_id": case_id} if "case_id" in facts else {}
        return partial(DECIDE[intake.ReceiveCase], **(facts | named))

    return await execute_numbered(
        store,
        CASE,
        command,
        decide_for,
        ctx,
        numbers=CASE_NUMBERS,
        year=command.received_on.year,
    )


async def forget_worker(
    store: EventStore,
    pool: asyncpg.Pool,
    rules: CaseRules,
    ctx: CommandContext,
    command: personal_data.ForgetWorker,
    case_id: str,
) -> Appended:
    """Record that a worker is forgotten, then delete their key: every copy of their
    personal data becomes unreadable, and the hash chain still verifies."""
    appended = await handle(store, pool, rules, ctx, command, case_id)
    assert store.vault is not None  # noqa: S101 - every service store has a vault
    await store.vault.forget(command.subject, command.reason)
    return appended
