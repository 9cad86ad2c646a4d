"""Duplicate intake: a new case for the same employer (USCC) as an open case received
within the district's window, with a worker or the project in common, is flagged as a possible
duplicate of it and linked, not silently accepted (issue 14). The office then confirms
or dismisses the flag (`duplicates`)."""

from __future__ import annotations

from datetime import date, timedelta

from pydantic import BaseModel, ConfigDict

from services.cases.domain.lifecycle import OPEN
from services.cases.domain.limits import CaseLimits
from services.cases.domain.state import Case, CaseStatus, DuplicateReason
from shared.domain import Event


class EarlierCase(BaseModel):
    """A case already on record for the same employer, as the cases read model shows
    it: what the duplicate rule compares."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    case_id: str
    status: CaseStatus
    employer_uscc: str
    received_on: date
    project_name: str | None = None
    worker_subjects: tuple[str, ...] = ()


class PossibleDuplicateFlagged(Event):
    """疑似重复: the new case names the employer of an open case received within the
    district's window, and a worker or the project in common; it is linked to that
    case until the office confirms or dismisses the flag."""

    of_case_id: str
    reasons: tuple[DuplicateReason, ...]


def project_key(name: str | None) -> str | None:
    """A project name as the rule compares it: without any whitespace ("东关 小区" is
    "东关小区"); None for no name."""
    if name is None:
        return None
    key = "".join(name.split())
    return key or None


def _reasons(case: Case, earlier: EarlierCase) -> tuple[DuplicateReason, ...]:
    reasons = []
    if {w.subject for w in case.workers} & set(earlier.worker_subjects):
        reasons.append(DuplicateReason.SAME_WORKER)
    project = project_key(case.project.name if case.project else None)
    if project is not None and project == project_key(earlier.project_name):
        reasons.append(DuplicateReason.SAME_PROJECT)
    return tuple(reasons)


def _matches(case: Case, earlier: EarlierCase, *, window_days: int) -> bool:
    if case.employer is None or case.employer.uscc is None:
        return False
    if case.received_on is None or earlier.status not in OPEN:
        return False
    # Either way round: a case recorded late may be dated before the one on record.
    apart = abs(case.received_on - earlier.received_on)
    return (
        earlier.employer_uscc == case.employer.uscc
        and apart <= timedelta(days=window_days)
        and bool(_reasons(case, earlier))
    )


def possible_duplicate(
    case: Case, earlier: tuple[EarlierCase, ...], *, case_id: str, limits: CaseLimits
) -> list[PossibleDuplicateFlagged]:
    """The flag of a case just received as a possible duplicate of the earliest open
    case of its employer received within `duplicate_window_days` of it that has a
    worker or the project in common; none when no such case is on record (a case
    rejected, transferred out, cancelled or closed never matches)."""
    matching = sorted(
        (
            e
            for e in earlier
            if e.case_id != case_id
            and _matches(case, e, window_days=limits.duplicate_window_days)
        ),
        key=lambda e: (e.received_on, e.case_id),
    )
    if not matching:
        return []
    first = matching[0]
    return [
        PossibleDuplicateFlagged(
            of_case_id=first.case_id, reasons=_reasons(case, first)
        )
    ]
