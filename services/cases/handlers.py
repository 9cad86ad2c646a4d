"""Each cases command with the outside facts its decide function asks for.

Routes, the deadline watcher and the process managers run commands through `handle`, so
a command is handled the same way whoever sends it."""

from __future__ import annotations

from functools import partial
from typing import Any

import asyncpg

from services.cases import domain
from services.cases.domain import CASE
from services.cases.rules import CaseRules
from shared.commands import (
    Decide,
    decide_functions,
    facts_for,
    value_fact,
    wanted_facts,
)
from shared.domain import Command
from shared.handling import CommandContext, execute
from shared.numbering import YearlyNumbers, execute_numbered
from shared.store import Appended, EventStore
from shared.unit_directory import active_units

COMMANDS: tuple[type[Command], ...] = (
    domain.ReceiveCase,
    domain.AcceptCase,
    domain.RejectCase,
    domain.RequestSupplement,
    domain.ReceiveSupplement,
    domain.TransferCaseOut,
    domain.ExtendInvestigation,
    domain.CancelCase,
    domain.OrderPayment,
    domain.RecordPayment,
    domain.DecideHandling,
    domain.ApplyCourtEnforcement,
    domain.CloseCase,
    domain.ProposeReferral,
    domain.ApproveReferral,
    domain.RefuseReferral,
    domain.TransferToPolice,
    domain.RecordPoliceFiling,
    domain.RecordPoliceDeclining,
    domain.RequestReconsideration,
    domain.RequestProcuratorateSupervision,
    domain.AssignCase,
    domain.ReportProgress,
    domain.ReturnAssignment,
    domain.FlagMassIncident,
    domain.FlagEmployerAbsconded,
    domain.RecordDeadlineMissed,
    domain.ForgetWorker,
)


DECIDE: dict[type[Command], Decide] = decide_functions(domain, COMMANDS)
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
    is_new = isinstance(command, domain.ReceiveCase)
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
    command: domain.ReceiveCase,
) -> Appended:
    """Register a new case under the next number of its year; a repeated
    Idempotency-Key returns the case it registered the first time."""
    facts = await _facts(pool, rules, ctx, command, "")

    def decide_for(case_id: str) -> Decide:
        named = {"case_id": case_id} if "case_id" in facts else {}
        return partial(DECIDE[domain.ReceiveCase], **(facts | named))

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
    command: domain.ForgetWorker,
    case_id: str,
) -> Appended:
    """Record that a worker is forgotten, then delete their key: every copy of their
    personal data becomes unreadable, and the hash chain still verifies."""
    appended = await handle(store, pool, rules, ctx, command, case_id)
    assert store.vault is not None  # noqa: S101 - every service store has a vault
    await store.vault.forget(command.subject, command.reason)
    return appended
