"""Money: payments recovered, the handling decision with extra compensation, court
enforcement (rules.md §3.4.1 items 9 and 13, §4.1)."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Final

from services.cases.domain.aggregate import CaseEvent
from services.cases.domain.case import Case, CaseStatus
from services.cases.domain.commands import (
    ApplyCourtEnforcement,
    DecideHandling,
    RecordPayment,
)
from services.cases.domain.events import (
    ArrearsCleared,
    CourtEnforcementApplied,
    HandlingDecided,
    PaymentRecorded,
)
from services.cases.domain.limits import CaseLimits
from services.cases.domain.transitions import require_date, require_status
from shared.errors import InvalidInput, RuleViolated

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


def record_payment(
    case: Case, command: RecordPayment, *, today: date
) -> list[CaseEvent]:
    """Payments add up. One above what is still owed is refused unless the command
    says it is an overpayment, so what is owed never goes below zero; paying the rest
    clears the arrears, and an ordered or overdue case is then paid."""
    require_status(case, _PAYABLE, "paid")
    require_date(command.paid_on, field="paid_on", case=case, today=today)
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
) -> list[CaseEvent]:
    """An overdue order is followed by a handling decision: extra compensation at a
    rate within the district's limits of what is still owed, rounded to the cent
    (条例 art. 26)."""
    require_status(case, {CaseStatus.OVERDUE}, "given a handling decision")
    require_date(command.decided_on, field="decided_on", case=case, today=today)
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
) -> list[CaseEvent]:
    """An overdue order or an unpaid handling decision goes to the court for
    enforcement (Decree 724 art. 42)."""
    require_status(case, _ENFORCEABLE, "sent for court enforcement")
    require_date(command.applied_on, field="applied_on", case=case, today=today)
    return [
        CourtEnforcementApplied(
            applied_on=command.applied_on, amount_still_owed=case.amount_still_owed
        )
    ]
