"""The cases part of a unit's inbox (shared/inbox.py): cases assigned to it and not
done, cases in its territory (属地管理), the case deadlines its lead role makes it
meet, and what its duty gives it (shared/duties.py): the police's answers to referred
cases, the court's enforcement applications."""

from __future__ import annotations

from datetime import date
from typing import Final

import asyncpg

from services.cases.domain.state import CaseStatus, DeadlineKind
from services.cases.queries import ENDED, SUMMARY, summary
from services.cases.views import CaseSummaryView
from shared.dependencies import ServiceRuntime
from shared.duties import Duty
from shared.inbox import InboxItem, inbox_item

LEAD_DEADLINES: Final = {
    DeadlineKind.INVESTIGATION: "调查处理",
    DeadlineKind.POLICE_TRANSFER: "移送公安",
}
"""The time limits the lead unit itself must meet: it investigates, and transfers a
suspected crime to the police. The others are the employer's (the order to pay), the
complainant's (a supplement, a reconsideration), the office's before it assigns, or the
police's and the procuratorate's (rules.md §4.1)."""

POLICE_DEADLINES: Final = {DeadlineKind.POLICE_ANSWER: "公安立案答复"}
"""The police answer a transferred case, or a request to reconsider, within 3 days
(310号令 arts. 8–9): every police unit's inbox holds them, whoever leads the case."""

DEADLINE_TITLES: Final = {**LEAD_DEADLINES, **POLICE_DEADLINES}


def case_link(case_id: str) -> str:
    """The API path of a case."""
    return f"/cases/{case_id}"


def assigned_item(case: CaseSummaryView, unit: str, *, today: date) -> InboxItem:
    """交办: a case the unit leads or helps with, due by the assignment's day."""
    role = "牵头" if case.lead_unit == unit else "协办"
    return inbox_item(
        kind="assigned_case",
        title=f"交办案件（{role}）：{case.employer_name}（{case.case_id}）",
        due_on=case.assignment_due,
        link=case_link(case.case_id),
        unit=unit,
        today=today,
        since=case.received_on,
    )


def territorial_item(case: CaseSummaryView, unit: str, *, today: date) -> InboxItem:
    """属地: a case in the unit's territory; due by the case's next time limit, so the
    town or community sees which of its cases is pressing."""
    return inbox_item(
        kind="territorial_case",
        title=f"属地案件：{case.employer_name}（{case.case_id}）",
        due_on=case.next_due,
        link=case_link(case.case_id),
        unit=unit,
        today=today,
        since=case.received_on,
    )


def deadline_item(
    case_id: str,
    employer_name: str,
    kind: DeadlineKind,
    due: date,
    unit: str,
    *,
    today: date,
) -> InboxItem:
    """A time limit the unit must meet on a case: as its lead, or by its duty."""
    return inbox_item(
        kind="case_deadline",
        title=f"{DEADLINE_TITLES[kind]}时限：{employer_name}（{case_id}）",
        due_on=due,
        link=case_link(case_id),
        unit=unit,
        today=today,
    )


def court_item(case: CaseSummaryView, unit: str, *, today: date) -> InboxItem:
    """申请强制执行: a case whose unpaid decision or fine the inspection asked the court
    to enforce; no time limit binds the court here."""
    return inbox_item(
        kind="court_enforcement",
        title=f"申请强制执行：{case.employer_name}（{case.case_id}）",
        due_on=None,
        link=case_link(case.case_id),
        unit=unit,
        today=today,
        since=case.received_on,
    )


def case_items(
    assigned: list[CaseSummaryView],
    territorial: list[CaseSummaryView],
    unit: str,
    *,
    today: date,
) -> list[InboxItem]:
    """The unit's assigned cases, and its territory's cases not already assigned to it
    (one item per case and reason)."""
    mine = {c.case_id for c in assigned}
    return [assigned_item(c, unit, today=today) for c in assigned] + [
        territorial_item(c, unit, today=today)
        for c in territorial
        if c.case_id not in mine
    ]


async def cases_inbox(rt: ServiceRuntime, unit: str, today: date) -> list[InboxItem]:
    """The cases part of `unit`'s inbox, read from `case_summary` and `case_deadlines`."""
    pool = rt.pool
    assigned = await _summaries(
        pool,
        "assignment_status = 'active' AND (lead_unit = $1 OR $1 = ANY(helping_units))",
        unit,
    )
    territorial = await _summaries(pool, "territorial_unit = $1", unit)
    deadlines = await _deadlines(
        pool,
        "s.lead_unit = $1 AND d.kind = ANY($2::text[])",
        unit,
        list(LEAD_DEADLINES),
    )
    if Duty.POLICE in rt.district.duty_units.of(unit):
        # The answers the police owe, on whichever case was transferred to them.
        deadlines += await _deadlines(
            pool, "d.kind = ANY($1::text[])", [k.value for k in POLICE_DEADLINES]
        )
    items = case_items(assigned, territorial, unit, today=today) + [
        deadline_item(
            r["case_id"],
            r["employer_name"],
            DeadlineKind(r["kind"]),
            r["due"],
            unit,
            today=today,
        )
        for r in deadlines
    ]
    if Duty.COURT in rt.district.duty_units.of(unit):
        # The arrears' enforcement is the case's status; a fine's, its penalty track's.
        enforcing = await _summaries(
            pool, "(status = $1 OR penalty = $1)", CaseStatus.COURT_ENFORCEMENT
        )
        items += [court_item(c, unit, today=today) for c in enforcing]
    return items


async def _deadlines(
    pool: asyncpg.Pool, where: str, *values: object
) -> list[asyncpg.Record]:
    return list(
        await pool.fetch(
            "SELECT d.case_id, s.employer_name, d.kind, d.due FROM case_deadlines d"  # noqa: S608 - fixed texts
            f" JOIN case_summary s ON s.case_id = d.case_id WHERE {ENDED} AND {where}",
            *values,
        )
    )


async def _summaries(
    pool: asyncpg.Pool, where: str, value: str
) -> list[CaseSummaryView]:
    rows = await pool.fetch(
        f"{SUMMARY} WHERE {ENDED} AND {where} ORDER BY case_id",
        value,
    )
    return [summary(r) for r in rows]
