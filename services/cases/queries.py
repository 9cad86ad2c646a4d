"""Reads of the cases read models and, for one case, of its stream."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

import asyncpg

from services.cases.command_table import COMMANDS
from services.cases.domain.case import CASE, allowed_steps
from services.cases.domain.state import Case
from services.cases.views import (
    CaseDetailView,
    CaseSummaryView,
    DeadlineView,
    TotalView,
    WorkerView,
)
from shared.auth import Actor
from shared.domain import Role, WorkingDays
from shared.envelope import envelope_of
from shared.errors import NotFound
from shared.handling import decode_all
from shared.personal_data import PersonalVault, mask
from shared.store import EventStore

# Each case with the later cases flagged as its possible duplicates, unless the office
# dismissed the flag.
SUMMARY = (
    "SELECT s.*, ARRAY(SELECT d.case_id FROM case_summary d"
    " WHERE d.possible_duplicate_of = s.case_id"
    " AND d.duplicate_resolution IS DISTINCT FROM 'dismissed' ORDER BY d.case_id)"
    " AS possible_duplicates FROM case_summary s"
)
# A case in one of these is over (its `status`): its assignment no longer asks anything of a unit.
ENDED = "status NOT IN ('closed', 'rejected', 'transferred_out', 'cancelled')"
_CENT = Decimal("0.01")


class TotalsBy(StrEnum):
    """How totals are grouped."""

    MONTH = "month"
    SECTOR = "sector"
    TERRITORIAL_UNIT = "territorial_unit"
    LEAD_UNIT = "lead_unit"


def summary(row: asyncpg.Record) -> CaseSummaryView:
    """A `case_summary` row as the list shows it."""
    return CaseSummaryView(**{k: row[k] for k in CaseSummaryView.model_fields})


async def list_cases(
    pool: asyncpg.Pool,
    *,
    status: str | None,
    unit: str | None,
    sector: str | None,
    territorial_unit: str | None,
    penalty: str | None = None,
    handed_over_by: str | None = None,
    limit: int,
    offset: int,
) -> list[CaseSummaryView]:
    """Cases, newest first, optionally by status, sector, a unit (lead or helping),
    the town or community whose territory the case lies in (属地), where their penalty
    track is and the unit that handed them over."""
    rows = await pool.fetch(
        f"{SUMMARY} WHERE ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR sector = $2)"
        " AND ($3::text IS NULL OR lead_unit = $3 OR $3 = ANY(helping_units))"
        " AND ($6::text IS NULL OR territorial_unit = $6)"
        " AND ($7::text IS NULL OR penalty = $7)"
        " AND ($8::text IS NULL OR handed_over_by = $8)"
        " ORDER BY received_on DESC, case_id DESC LIMIT $4 OFFSET $5",
        status,
        sector,
        unit,
        limit,
        offset,
        territorial_unit,
        penalty,
        handed_over_by,
    )
    return [summary(r) for r in rows]


async def overdue_cases(pool: asyncpg.Pool, *, today: date) -> list[CaseSummaryView]:
    """Cases with a deadline passed while its step is not done, or a late assignment."""
    rows = await pool.fetch(
        f"{SUMMARY} WHERE {ENDED} AND (overdue_since IS NOT NULL"
        " OR (assignment_status = 'active' AND assignment_due < $1))"
        " ORDER BY coalesce(overdue_since, assignment_due), case_id",
        today,
    )
    return [summary(r) for r in rows]


async def work_queue(
    pool: asyncpg.Pool,
    unit: str,
    *,
    today: date,
    calendar: WorkingDays,
    soon_working_days: int = 5,
) -> tuple[list[CaseSummaryView], list[CaseSummaryView], list[CaseSummaryView]]:
    """(assigned to the unit, due within `soon` working days, overdue) for one unit."""
    horizon = calendar.add_working_days(today, soon_working_days).due
    rows = await pool.fetch(
        f"{SUMMARY} WHERE {ENDED} AND assignment_status = 'active'"
        " AND (lead_unit = $1 OR $1 = ANY(helping_units))"
        " ORDER BY assignment_due, case_id",
        unit,
    )
    assigned = [summary(r) for r in rows]

    def due(case: CaseSummaryView) -> list[date]:
        return [d for d in (case.assignment_due, case.next_due) if d is not None]

    overdue = [c for c in assigned if c.overdue_since or any(d < today for d in due(c))]
    late = {c.case_id for c in overdue}
    due_soon = [
        c
        for c in assigned
        if c.case_id not in late and any(d <= horizon for d in due(c))
    ]
    return assigned, due_soon, overdue


async def totals(pool: asyncpg.Pool, by: TotalsBy) -> list[TotalView]:
    """Cases and amounts owed (by month received) and recovered (by month paid),
    grouped. A case rejected, transferred out or cancelled is counted among the cases
    but owes nothing: its amount was never found owed here (`Case.is_arrears`)."""
    if by is TotalsBy.MONTH:
        rows = await pool.fetch(
            "WITH owed AS (SELECT to_char(received_on, 'YYYY-MM') AS g, count(*) AS cases,"
            " sum(amount_owed) FILTER (WHERE is_arrears) AS owed FROM case_summary GROUP BY 1),"
            " paid AS (SELECT to_char(paid_on, 'YYYY-MM') AS g, sum(amount) AS recovered"
            " FROM case_payments GROUP BY 1)"
            " SELECT coalesce(owed.g, paid.g) AS grp, coalesce(owed.cases, 0) AS cases,"
            " coalesce(owed.owed, 0) AS owed, coalesce(paid.recovered, 0) AS recovered"
            " FROM owed FULL JOIN paid ON owed.g = paid.g ORDER BY 1"
        )
    else:
        column = {
            TotalsBy.SECTOR: "sector",
            TotalsBy.TERRITORIAL_UNIT: "territorial_unit",
            TotalsBy.LEAD_UNIT: "lead_unit",
        }[by]
        rows = await pool.fetch(
            f"SELECT coalesce({column}, '') AS grp, count(*) AS cases,"  # noqa: S608 - column from a fixed map
            " sum(amount_owed) FILTER (WHERE is_arrears) AS owed, sum(amount_recovered) AS recovered FROM case_summary GROUP BY 1 ORDER BY 1"
        )
    return [
        TotalView(
            group=r["grp"],
            cases=r["cases"],
            amount_owed=Decimal(r["owed"] or 0).quantize(_CENT),
            amount_recovered=Decimal(r["recovered"] or 0).quantize(_CENT),
        )
        for r in rows
    ]


def may_see_personal_data(actor: Actor, case: Case) -> bool:
    """The office, and the units the case is assigned to, see workers' data in clear."""
    if actor.has_any(frozenset({Role.OFFICE})):
        return True
    return case.assignment is not None and case.assignment.includes(actor.unit)


async def possible_duplicates(pool: asyncpg.Pool, case_id: str) -> list[str]:
    """The cases flagged as possible duplicates of this one (and not dismissed), as
    the read model shows them now."""
    rows = await pool.fetch(
        "SELECT case_id FROM case_summary WHERE possible_duplicate_of = $1"
        " AND duplicate_resolution IS DISTINCT FROM 'dismissed' ORDER BY case_id",
        case_id,
    )
    return [r["case_id"] for r in rows]


async def case_detail(
    store: EventStore,
    case_id: str,
    *,
    duplicates: list[str],
    actor: Actor,
    as_of: datetime | None,
    today: date,
    source: str,
    service: str,
) -> CaseDetailView:
    """The case rebuilt from its stream (up to `as_of`), its history and its workers;
    `allowed_next` as the rules stand `today`; `duplicates`: the later cases flagged as
    possible duplicates of it."""
    stream = CASE.stream_id(case_id)
    records = await store.history(stream, as_of=as_of)
    if not records:
        raise NotFound(
            f"case {case_id} does not exist" + (f" at {as_of}" if as_of else "")
        )
    case = CASE.replay(decode_all(CASE, records))
    workers = await _workers(
        store.vault, case, clear=may_see_personal_data(actor, case)
    )
    state = case.model_dump(mode="json", exclude={"workers"})
    return CaseDetailView(
        case_id=case_id,
        version=records[-1].version,
        as_of=as_of,
        status=case.status.value,
        criminal=case.criminal.value,
        penalty=case.penalty.value,
        allowed_next=COMMANDS.verbs(allowed_steps(case, today=today)),
        state=state,
        possible_duplicate_of=case.possible_duplicate_of,
        possible_duplicates=duplicates,
        workers=workers,
        amount_still_owed=case.amount_still_owed.quantize(_CENT),
        deadlines=[
            DeadlineView(
                kind=d.kind.value,
                due=d.due,
                is_provisional=d.is_provisional,
                is_missed=case.is_missed(d),
            )
            for d in case.deadlines
        ],
        history=[envelope_of(r, source=source, service=service) for r in records],
    )


async def _workers(
    vault: PersonalVault | None, case: Case, *, clear: bool
) -> list[WorkerView]:
    if vault is None or not case.workers:
        return []
    revealed: list[dict[str, Any]] = await vault.reveal_many(
        [w.model_dump(mode="json") for w in case.workers]
    )
    views = []
    for worker in revealed:
        items = {k: worker.get(k) for k in ("name", "id_number", "phone")}
        values = {k: (v or {}).get("value") for k, v in items.items()}
        is_forgotten = any((v or {}).get("is_forgotten") for v in items.values())
        shown = (
            values if clear else {k: mask(v) if v else None for k, v in values.items()}
        )
        views.append(
            WorkerView(
                subject=worker["subject"],
                **shown,
                is_forgotten=is_forgotten,
                is_masked=not clear,
            )
        )
    return views
