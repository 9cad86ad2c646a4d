"""What raises a case's weight: flags, missed deadlines and the recommendation for joint
credit punishment (rules.md §3.1, §4.1)."""

from __future__ import annotations

from datetime import date
from typing import assert_never

from services.cases.domain.case import Case, CaseStatus, DeadlineKind, OpenDeadline
from shared.amounts import RecordedMoney
from shared.domain import Event


class MassIncidentFlagged(Event):
    """群体性事件: the arrears led to a mass or extreme incident; handled at once with
    other units (条例 art. 14) and grounds for listing (Order 45 art. 5(2))."""

    flagged_on: date
    note: str


class EmployerAbscondedFlagged(Event):
    """逃匿: the employer fled or hid, so an order may be served by posting it and
    recording that on photo or video (法释〔2013〕3号 arts. 2, 4)."""

    flagged_on: date
    note: str


class DeadlineMissed(Event):
    """A time limit passed with its step not done; the deadline watcher records it once."""

    kind: DeadlineKind
    due: date
    detected_on: date


class CreditListingRecommended(Event):
    """The case recommends the employer for the 失信联合惩戒名单 (joint credit
    punishment list): an overdue payment order above the crime threshold, or a mass
    incident (Order 45 art. 5, rules.md §4.1). Read by the credit service."""

    case_id: str
    employer_name: str
    employer_uscc: str | None
    amount_still_owed: RecordedMoney
    months_owed: int
    workers_count: int
    is_mass_incident: bool
    is_order_overdue: bool
    recommended_on: date


EscalationEvent = (
    MassIncidentFlagged
    | EmployerAbscondedFlagged
    | DeadlineMissed
    | CreditListingRecommended
)


def evolve_escalation(case: Case, event: EscalationEvent) -> Case:
    """The case after a flag, a missed deadline or a recommendation."""
    match event:
        case MassIncidentFlagged():
            return case.model_copy(update={"is_mass_incident": True})
        case EmployerAbscondedFlagged():
            return case.model_copy(update={"is_employer_absconded": True})
        case DeadlineMissed():
            return _missed(case, event)
        case CreditListingRecommended():
            return case.model_copy(update={"is_credit_listing_recommended": True})
        case _:
            assert_never(event)


def _missed(case: Case, event: DeadlineMissed) -> Case:
    missed = case.deadline(event.kind)
    if missed is None or missed.due != event.due:
        missed = OpenDeadline(kind=event.kind, due=event.due)
    # A payment order unpaid past its date makes the case overdue (rules.md §4.1).
    is_overdue = (
        event.kind is DeadlineKind.PAYMENT_ORDER
        and case.status is CaseStatus.ORDERED_TO_PAY
    )
    return case.model_copy(
        update={
            "status": CaseStatus.OVERDUE if is_overdue else case.status,
            "missed": (*case.missed, missed),
        }
    )
