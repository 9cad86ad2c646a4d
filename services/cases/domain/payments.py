"""Money: payments recovered, the handling decision with extra compensation, court
enforcement (rules.md §3.4.1 items 9 and 13, §4.1)."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import ClassVar, Final, assert_never

from services.cases.domain.lifecycle import require_status, require_step_date
from services.cases.domain.limits import CaseLimits
from services.cases.domain.particulars import Rate
from services.cases.domain.state import (
    Case,
    CaseStatus,
    CourtEnforcement,
    DeadlineKind,
    without_deadlines,
)
from shared.amounts import PositiveMoney, RecordedMoney
from shared.dates import BusinessDate
from shared.domain import Command, Event, Role
from shared.errors import InvalidInput, RuleViolated

_OFFICE: frozenset[Role] = frozenset({Role.OFFICE})
_CENT: Final = Decimal("0.01")
_PAYABLE = frozenset(
    {
        CaseStatus.ACCEPTED,
        CaseStatus.INVESTIGATING,
        CaseStatus.ORDERED_TO_PAY,
        CaseStatus.OVERDUE,
        CaseStatus.PAID,
        CaseStatus.HANDLING_DECIDED,
        CaseStatus.COURT_ENFORCEMENT,
    }
)
_ENFORCEABLE = frozenset({CaseStatus.OVERDUE, CaseStatus.HANDLING_DECIDED})


class RecordPayment(Command):
    permitted: ClassVar[frozenset[Role]] = _OFFICE

    paid_on: BusinessDate
    amount: PositiveMoney
    is_overpayment: bool = False


class DecideHandling(Command):
    permitted: ClassVar[frozenset[Role]] = _OFFICE

    decided_on: BusinessDate
    compensation_rate: Rate


class ApplyCourtEnforcement(Command):
    permitted: ClassVar[frozenset[Role]] = _OFFICE

    applied_on: BusinessDate


ALLOWED_IN: Final[dict[type[Command], frozenset[CaseStatus]]] = {
    RecordPayment: _PAYABLE,
    DecideHandling: frozenset({CaseStatus.OVERDUE}),
    ApplyCourtEnforcement: _ENFORCEABLE,
}
"""The statuses in which each command of this capability is a next step."""


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


PaymentEvent = (
    PaymentRecorded | ArrearsCleared | HandlingDecided | CourtEnforcementApplied
)


def evolve_payments(case: Case, event: PaymentEvent) -> Case:
    """The case after a payment, the arrears cleared, a decision or enforcement."""
    update: dict[str, object]
    match event:
        case PaymentRecorded(amount=amount):
            recovered = case.amount_recovered + amount
            return case.model_copy(update={"amount_recovered": recovered})
        case ArrearsCleared():
            paid = case.status in (CaseStatus.ORDERED_TO_PAY, CaseStatus.OVERDUE)
            update = {"status": CaseStatus.PAID if paid else case.status}
        case HandlingDecided(compensation_amount=compensation):
            update = {
                "status": CaseStatus.HANDLING_DECIDED,
                "compensation_amount": compensation,
            }
        case CourtEnforcementApplied(applied_on=applied_on):
            update = {
                "status": CaseStatus.COURT_ENFORCEMENT,
                "court": CourtEnforcement(applied_on=applied_on),
            }
        case _:
            assert_never(event)
    # Each of these ends the time limit of the order to pay.
    deadlines = without_deadlines(case.deadlines, DeadlineKind.PAYMENT_ORDER)
    return case.model_copy(update={**update, "deadlines": deadlines})


def record_payment(
    case: Case, command: RecordPayment, *, today: date
) -> list[PaymentEvent]:
    """Payments add up. One above what is still owed is refused unless the command
    says it is an overpayment, so what is owed never goes below zero; paying the rest
    clears the arrears, and an ordered or overdue case is then paid."""
    require_status(case, ALLOWED_IN[RecordPayment], "paid")
    require_step_date(case, command.paid_on, field="paid_on", today=today)
    still_owed = case.amount_still_owed
    is_overpayment = command.amount > still_owed
    if is_overpayment and not command.is_overpayment:
        raise RuleViolated(
            "payment-exceeds-owed",
            f"{command.amount} yuan is more than the {still_owed} yuan still owed; "
            "record it as an overpayment if it is one.",
        )
    recorded = PaymentRecorded(
        paid_on=command.paid_on, amount=command.amount, is_overpayment=is_overpayment
    )
    if still_owed == 0 or command.amount < still_owed:
        return [recorded]
    cleared = ArrearsCleared(
        cleared_on=command.paid_on,
        amount_recovered=case.amount_recovered + command.amount,
    )
    return [recorded, cleared]


def decide_handling(
    case: Case, command: DecideHandling, *, today: date, limits: CaseLimits
) -> list[PaymentEvent]:
    """An overdue order is followed by a handling decision: extra compensation at a
    rate within the district's limits of what is still owed, rounded to the cent
    (条例 art. 26)."""
    require_status(case, ALLOWED_IN[DecideHandling], "given a handling decision")
    require_step_date(case, command.decided_on, field="decided_on", today=today)
    rate = command.compensation_rate
    if not limits.compensation_rate_min <= rate <= limits.compensation_rate_max:
        raise InvalidInput(
            field="compensation_rate",
            rule="compensation_rate_within_limits",
            detail=f"The rate must lie within {limits.compensation_rate_min}"
            f"–{limits.compensation_rate_max}.",
        )
    still_owed = case.amount_still_owed
    return [
        HandlingDecided(
            decided_on=command.decided_on,
            amount_still_owed=still_owed,
            compensation_rate=rate,
            compensation_amount=(rate * still_owed).quantize(_CENT, ROUND_HALF_UP),
        )
    ]


def apply_court_enforcement(
    case: Case, command: ApplyCourtEnforcement, *, today: date
) -> list[PaymentEvent]:
    """An overdue order or an unpaid handling decision goes to the court for
    enforcement (Decree 724 art. 42)."""
    require_status(
        case, ALLOWED_IN[ApplyCourtEnforcement], "sent for court enforcement"
    )
    require_step_date(case, command.applied_on, field="applied_on", today=today)
    return [
        CourtEnforcementApplied(
            applied_on=command.applied_on, amount_still_owed=case.amount_still_owed
        )
    ]
