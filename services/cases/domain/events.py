"""What happens to a case on its administrative track: intake, investigation, order,
payments, decision, closing (rules.md §3.4, §4.1)."""

from __future__ import annotations

from datetime import date
from typing import assert_never

from services.cases.domain.case import (
    Case,
    CaseOutcome,
    CaseStatus,
    DeadlineKind,
    PaymentOrder,
    ServiceMethod,
    with_deadline,
    without_deadlines,
)
from services.cases.domain.facts import (
    CaseSource,
    Employer,
    Project,
    Rate,
    Sector,
    Worker,
)
from shared.amounts import RecordedMoney
from shared.domain import Deadline, Event


class CaseReceived(Event):
    """登记: a complaint, report, clue, hand-over or finding is registered as a case;
    the acceptance deadline starts."""

    source: CaseSource
    sector: Sector
    employer: Employer
    project: Project | None
    workers_count: int
    workers: tuple[Worker, ...]
    months_owed: int
    amount_owed: RecordedMoney
    territorial_unit: str
    summary: str
    is_mass_incident: bool
    is_employer_absconded: bool
    received_on: date
    acceptance_deadline: Deadline
    source_reference: str | None = None


class CaseAccepted(Event):
    """受理 and 立案 the same day: the case is opened and the investigation starts."""

    accepted_on: date
    investigation_deadline: Deadline


class CaseRejected(Event):
    """不予受理: the case is refused, the reason given to the complainant in writing."""

    rejected_on: date
    reason: str


class SupplementRequested(Event):
    """补正: the employer or the facts are unclear; the acceptance clock waits for the
    material, which may have its own due date."""

    requested_on: date
    what: str
    due: date | None


class SupplementReceived(Event):
    """The material came; the acceptance clock starts again."""

    received_on: date
    acceptance_deadline: Deadline


class CaseTransferredOut(Event):
    """Not an inspection matter, another authority's, or already in arbitration or
    court: the complainant is told where to go."""

    transferred_on: date
    to: str
    reason: str


class InvestigationExtended(Event):
    """The head approved the one extension of a complex investigation."""

    approved_by: str
    approved_on: date
    investigation_deadline: Deadline


class CaseCancelled(Event):
    """撤销立案: the violation was minor and is already corrected."""

    cancelled_on: date
    reason: str


class PaymentOrdered(Event):
    """责令限期支付: the employer is ordered (限期整改指令书) to pay what is still owed by
    a date; the order says when and how it was served."""

    ordered_on: date
    pay_by: date
    served_on: date
    service_method: ServiceMethod
    amount: RecordedMoney


class PaymentRecorded(Event):
    """Wages recovered; partial payments add up."""

    paid_on: date
    amount: RecordedMoney
    is_overpayment: bool


class ArrearsCleared(Event):
    """Nothing is owed any more."""

    cleared_on: date
    amount_recovered: RecordedMoney


class HandlingDecided(Event):
    """行政处理决定: the order went unpaid, so the employer must pay extra compensation
    (加付赔偿金) of a rate of what is still owed."""

    decided_on: date
    amount_still_owed: RecordedMoney
    compensation_rate: Rate
    compensation_amount: RecordedMoney


class CourtEnforcementApplied(Event):
    """申请人民法院强制执行: an unpaid decision goes to the court for enforcement."""

    applied_on: date
    amount_still_owed: RecordedMoney


class CaseClosed(Event):
    """结案: the case is closed and filed."""

    closed_on: date
    outcome: CaseOutcome


IntakeEvent = (
    CaseReceived
    | CaseAccepted
    | CaseRejected
    | SupplementRequested
    | SupplementReceived
    | CaseTransferredOut
)
InvestigationEvent = (
    InvestigationExtended
    | CaseCancelled
    | PaymentOrdered
    | PaymentRecorded
    | ArrearsCleared
    | HandlingDecided
    | CourtEnforcementApplied
    | CaseClosed
)


def evolve_intake(case: Case, event: IntakeEvent) -> Case:
    """The case after an intake event."""
    match event:
        case CaseReceived():
            facts = {k: v for k, v in event if k != "acceptance_deadline"}
            deadlines = with_deadline(
                (), DeadlineKind.ACCEPTANCE, event.acceptance_deadline
            )
            return Case(status=CaseStatus.RECEIVED, **facts, deadlines=deadlines)
        case CaseAccepted():
            deadlines = with_deadline(
                without_deadlines(case.deadlines, DeadlineKind.ACCEPTANCE),
                DeadlineKind.INVESTIGATION,
                event.investigation_deadline,
            )
            return _moved(
                case,
                status=CaseStatus.INVESTIGATING,
                accepted_on=event.accepted_on,
                deadlines=deadlines,
            )
        case CaseRejected():
            return _moved(case, status=CaseStatus.REJECTED, deadlines=())
        case SupplementRequested(due=due):
            deadlines = without_deadlines(case.deadlines, DeadlineKind.ACCEPTANCE)
            if due is not None:
                supplement = Deadline(due=due, is_provisional=False)
                deadlines = with_deadline(
                    deadlines, DeadlineKind.SUPPLEMENT, supplement
                )
            return _moved(
                case, status=CaseStatus.AWAITING_SUPPLEMENT, deadlines=deadlines
            )
        case SupplementReceived():
            deadlines = with_deadline(
                without_deadlines(case.deadlines, DeadlineKind.SUPPLEMENT),
                DeadlineKind.ACCEPTANCE,
                event.acceptance_deadline,
            )
            return _moved(case, status=CaseStatus.RECEIVED, deadlines=deadlines)
        case CaseTransferredOut():
            return _moved(case, status=CaseStatus.TRANSFERRED_OUT, deadlines=())
        case _:
            assert_never(event)


def evolve_investigation(case: Case, event: InvestigationEvent) -> Case:
    """The case after an event of its investigation, payments or closing."""
    match event:
        case InvestigationExtended(investigation_deadline=deadline):
            deadlines = with_deadline(
                case.deadlines, DeadlineKind.INVESTIGATION, deadline
            )
            return _moved(case, is_investigation_extended=True, deadlines=deadlines)
        case CaseCancelled():
            return _moved(case, status=CaseStatus.CANCELLED, deadlines=())
        case PaymentOrdered():
            return _ordered(case, event)
        case PaymentRecorded(amount=amount):
            return _moved(case, amount_recovered=case.amount_recovered + amount)
        case ArrearsCleared():
            paid = case.status in (CaseStatus.ORDERED_TO_PAY, CaseStatus.OVERDUE)
            return _moved(
                case,
                status=CaseStatus.PAID if paid else case.status,
                deadlines=without_deadlines(case.deadlines, DeadlineKind.PAYMENT_ORDER),
            )
        case HandlingDecided() | CourtEnforcementApplied():
            return _decided(case, event)
        case CaseClosed(outcome=outcome):
            return _moved(case, status=CaseStatus.CLOSED, outcome=outcome, deadlines=())
        case _:
            assert_never(event)


def _ordered(case: Case, event: PaymentOrdered) -> Case:
    # The order states what is still to be paid, as the investigation established it.
    deadlines = with_deadline(
        without_deadlines(case.deadlines, DeadlineKind.INVESTIGATION),
        DeadlineKind.PAYMENT_ORDER,
        Deadline(due=event.pay_by, is_provisional=False),
    )
    return _moved(
        case,
        status=CaseStatus.ORDERED_TO_PAY,
        payment_order=PaymentOrder(**dict(event)),
        amount_owed=case.amount_recovered + event.amount,
        deadlines=deadlines,
    )


def _decided(case: Case, event: HandlingDecided | CourtEnforcementApplied) -> Case:
    deadlines = without_deadlines(case.deadlines, DeadlineKind.PAYMENT_ORDER)
    if isinstance(event, CourtEnforcementApplied):
        return _moved(case, status=CaseStatus.COURT_ENFORCEMENT, deadlines=deadlines)
    return _moved(
        case,
        status=CaseStatus.HANDLING_DECIDED,
        compensation_amount=event.compensation_amount,
        deadlines=deadlines,
    )


def _moved(case: Case, **changes: object) -> Case:
    return case.model_copy(update=changes)
