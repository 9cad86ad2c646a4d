"""Escalation: flags, missed deadlines and the recommendation for joint credit
punishment (rules.md §3.1, §3.5, §4.1)."""

from __future__ import annotations

from datetime import date
from typing import Final

from services.cases.domain.aggregate import CaseEvent, evolve
from services.cases.domain.case import Case, CaseStatus, DeadlineKind
from services.cases.domain.commands import (
    FlagEmployerAbsconded,
    FlagMassIncident,
    RecordDeadlineMissed,
)
from services.cases.domain.escalation_events import (
    CreditListingRecommended,
    DeadlineMissed,
    EmployerAbscondedFlagged,
    MassIncidentFlagged,
)
from services.cases.domain.limits import CaseLimits
from services.cases.domain.transitions import OPEN, require_date, require_status
from shared.errors import RuleViolated

# A "large amount" is one worker unpaid for 3 months or more, or 10 workers or more; the
# amounts X1 and X2 are the district's (法释〔2013〕3号 art. 3, rules.md §3.5).
ONE_WORKER_MONTHS: Final = 3
MANY_WORKERS: Final = 10


def meets_crime_threshold(case: Case, limits: CaseLimits) -> bool:
    """Whether what is still owed is a "large amount": one worker unpaid for 3 months
    or more and at least X1, or 10 workers or more and at least X2."""
    owed = case.amount_still_owed
    one_worker = (
        case.workers_count == 1
        and case.months_owed >= ONE_WORKER_MONTHS
        and owed >= limits.crime_threshold_one_worker
    )
    many_workers = (
        case.workers_count >= MANY_WORKERS
        and owed >= limits.crime_threshold_many_workers
    )
    return one_worker or many_workers


def recommendation(case: Case, *, case_id: str, on: date) -> CreditListingRecommended:
    """The case's recommendation for the joint credit punishment list, as it stands."""
    employer = case.employer
    return CreditListingRecommended(
        case_id=case_id,
        employer_name=employer.name if employer is not None else "",
        employer_uscc=employer.uscc if employer is not None else None,
        amount_still_owed=case.amount_still_owed,
        months_owed=case.months_owed,
        workers_count=case.workers_count,
        is_mass_incident=case.is_mass_incident,
        is_order_overdue=case.status is CaseStatus.OVERDUE,
        recommended_on=on,
    )


def record_deadline_missed(
    case: Case,
    command: RecordDeadlineMissed,
    *,
    today: date,
    limits: CaseLimits,
    case_id: str,
) -> list[CaseEvent]:
    """A passed deadline is recorded once; one not open, or already recorded, changes
    nothing, so the watcher may run it again. A missed payment order makes the case
    overdue and, at the crime threshold, recommends the employer for credit
    punishment (Order 45 art. 5(1)) unless the case already did."""
    running = case.deadline(command.kind)
    if running is None or running.due != command.due or case.is_missed(running):
        return []
    if command.due >= today:
        raise RuleViolated(
            "deadline-not-passed",
            f"The {command.kind} deadline is {command.due}; it has not passed.",
        )
    missed = DeadlineMissed(kind=command.kind, due=command.due, detected_on=today)
    after = evolve(case, missed)
    is_recommended = (
        command.kind is DeadlineKind.PAYMENT_ORDER
        and after.status is CaseStatus.OVERDUE
        and not case.is_credit_listing_recommended
        and meets_crime_threshold(after, limits)
    )
    if not is_recommended:
        return [missed]
    return [missed, recommendation(after, case_id=case_id, on=today)]


def flag_mass_incident(
    case: Case, command: FlagMassIncident, *, today: date, case_id: str
) -> list[CaseEvent]:
    """An open case is flagged as a mass incident once, which recommends the employer
    for credit punishment (Order 45 art. 5(2)) unless the case already did."""
    require_status(case, OPEN, "flagged")
    require_date(command.flagged_on, field="flagged_on", case=case, today=today)
    if case.is_mass_incident:
        return []
    flagged = MassIncidentFlagged(flagged_on=command.flagged_on, note=command.note)
    if case.is_credit_listing_recommended:
        return [flagged]
    after = evolve(case, flagged)
    return [flagged, recommendation(after, case_id=case_id, on=command.flagged_on)]


def flag_employer_absconded(
    case: Case, command: FlagEmployerAbsconded, *, today: date
) -> list[CaseEvent]:
    """An open case's employer is flagged as absconded once."""
    require_status(case, OPEN, "flagged")
    require_date(command.flagged_on, field="flagged_on", case=case, today=today)
    if case.is_employer_absconded:
        return []
    return [EmployerAbscondedFlagged(flagged_on=command.flagged_on, note=command.note)]
