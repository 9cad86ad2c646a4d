"""The fact the duplicate rule decides with: the cases on record for a new case's
employer, read from the cases read model (`case_summary`). The rule itself (window,
open status, a worker or the project in common) is the domain's
(`domain.duplicate_match`); this read only narrows to the employer."""

from __future__ import annotations

import asyncpg

from services.cases.domain.duplicate_match import EarlierCase


async def cases_of_employer(pool: asyncpg.Pool, uscc: str) -> tuple[EarlierCase, ...]:
    """Every case on record for the employer's USCC, oldest first."""
    rows = await pool.fetch(
        "SELECT case_id, status, employer_uscc, received_on, project_name,"
        " worker_subjects FROM case_summary WHERE employer_uscc = $1"
        " ORDER BY received_on, case_id",
        uscc,
    )
    return tuple(
        EarlierCase(
            case_id=r["case_id"],
            status=r["status"],
            employer_uscc=r["employer_uscc"],
            received_on=r["received_on"],
            project_name=r["project_name"],
            worker_subjects=tuple(r["worker_subjects"]),
        )
        for r in rows
    )
