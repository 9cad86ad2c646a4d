"""Investigation: extended once, cancelled, ended by an order to pay; and closing
(rules.md §3.4.1 items 6–9 and 14, §4.1)."""

from __future__ import annotations

from datetime import date
from typing import ClassVar, Final, Self, assert_never

from pydantic import model_validator

from services.cases.domain.escalation import EmployerAbscondedFlagged
from services.cases.domain.lifecycle import (
    CRIMINAL_PENDING,
    refused,
    require_status,
    require_step_date,
)
from services.cases.domain.limits import CaseLimits
from services.cases.domain.penalty_decision import require_penalty_settled
from services.cases.domain.state import (
    Case,
    CaseOutcome,
    CaseStatus,
    DeadlineKind,
    PaymentOrder,
    ServiceMethod,
    with_deadline,
    without_deadlines,
)
from shared.amounts import PositiveMoney, RecordedMoney
from shared.dates import BusinessDate, require_within_years_ahead
from shared.domain import Command, Deadline, Event, Role, WorkingDays
from shared.errors import RuleViolated
from shared.values import Text

_OFFICE: frozenset[Role] = frozenset({Role.OFFICE})
_INVESTIGATING = frozenset({CaseStatus.ACCEPTED, CaseStatus.INVESTIGATING})
_CLOSABLE = frozenset(
    {
        CaseStatus.PAID,
        CaseStatus.HANDLING_DECIDED,
        CaseStatus.COURT_ENFORCEMENT,
        CaseStatus.CANCELLED,
    }
)


class ExtendInvestigation(Command):
    permitted: ClassVar[frozenset[Role]] = _OFFICE

    approved_by: Text
    approved_on: BusinessDate


class CancelCase(Command):
    permitted: ClassVar[frozenset[Role]] = _OFFICE

    cancelled_on: BusinessDate
    reason: Text


class OrderPayment(Command):
    permitted: ClassVar[frozenset[Role]] = _OFFICE

    ordered_on: BusinessDate
    # The payment period is set in each order; no national figure (rules.md §3.4.1 item 9)
    pay_by: BusinessDate
    served_on: BusinessDate
    service_method: ServiceMethod
    amount: PositiveMoney
    is_employer_absconded: bool = False

    @model_validator(mode="after")
    def _served_then_due(self) -> Self:
        if self.served_on < self.ordered_on:
            raise ValueError("served_on is before ordered_on")
        if self.pay_by <= self.served_on:
            raise ValueError("pay_by is not after served_on")
        return self


class CloseCase(Command):
    permitted: ClassVar[frozenset[Role]] = _OFFICE

    closed_on: BusinessDate


ALLOWED_IN: Final[dict[type[Command], frozenset[CaseStatus]]] = {
    ExtendInvestigation: _INVESTIGATING,
    OrderPayment: _INVESTIGATING,
    CancelCase: _INVESTIGATING,
    CloseCase: _CLOSABLE,
}
"""The statuses in which each command of this capability is a next step."""


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


class CaseClosed(Event):
    """结案: the case is closed and filed."""

    closed_on: date
    outcome: CaseOutcome


InvestigationEvent = InvestigationExtended | CaseCancelled | PaymentOrdered | CaseClosed


def evolve_investigation(case: Case, event: InvestigationEvent) -> Case:
    """The case after its investigation was extended, cancelled or ended in an order,
    or after it was closed."""
    match event:
        case InvestigationExtended(investigation_deadline=deadline):
            deadlines = with_deadline(
                case.deadlines, DeadlineKind.INVESTIGATION, deadline
            )
            update = {"is_investigation_extended": True, "deadlines": deadlines}
            return case.model_copy(update=update)
        case CaseCancelled():
            return case.model_copy(
                update={"status": CaseStatus.CANCELLED, "deadlines": ()}
            )
        case PaymentOrdered():
            return _ordered(case, event)
        case CaseClosed(outcome=outcome):
            update = {"status": CaseStatus.CLOSED, "outcome": outcome, "deadlines": ()}
            return case.model_copy(update=update)
        case _:
            assert_never(event)


def _ordered(case: Case, event: PaymentOrdered) -> Case:
    # The order states what is still to be paid, as the investigation established it.
    deadlines = with_deadline(
        without_deadlines(case.deadlines, DeadlineKind.INVESTIGATION),
        DeadlineKind.PAYMENT_ORDER,
        Deadline(due=event.pay_by, is_provisional=False),
    )
    update = {
        "status": CaseStatus.ORDERED_TO_PAY,
        "payment_order": PaymentOrder(**dict(event)),
        "amount_owed": case.amount_recovered + event.amount,
        "deadlines": deadlines,
    }
    return case.model_copy(update=update)


def extend_investigation(
    case: Case,
    command: ExtendInvestigation,
    *,
    today: date,
    calendar: WorkingDays,
    limits: CaseLimits,
) -> list[InvestigationEvent]:
    """A complex investigation is extended once, with the head's approval, to 60 + 30
    working days from opening (条例 art. 17, rules.md §3.4.1 item 7)."""
    require_status(case, ALLOWED_IN[ExtendInvestigation], "extended")
    if case.accepted_on is None:  # every investigating case was accepted on a day
        raise refused(case.status, "extended")
    if case.is_investigation_extended:
        raise RuleViolated(
            "one-extension", "An investigation is extended once at most."
        )
    require_step_date(case, command.approved_on, field="approved_on", today=today)
    return [
        InvestigationExtended(
            approved_by=command.approved_by,
            approved_on=command.approved_on,
            investigation_deadline=calendar.add_working_days(
                case.accepted_on,
                limits.investigation_working_days + limits.extension_working_days,
            ),
        )
    ]


def cancel_case(
    case: Case, command: CancelCase, *, today: date
) -> list[InvestigationEvent]:
    """A case under investigation is cancelled when the violation was minor and is
    already corrected: nothing is owed any more (条例 art. 18(3))."""
    require_status(case, ALLOWED_IN[CancelCase], "cancelled")
    require_step_date(case, command.cancelled_on, field="cancelled_on", today=today)
    if case.amount_still_owed > 0:
        raise RuleViolated(
            "not-yet-corrected",
            f"{case.amount_still_owed} yuan is still owed; the violation is not corrected.",
        )
    _require_no_pending_referral(case)
    require_penalty_settled(case)
    return [CaseCancelled(cancelled_on=command.cancelled_on, reason=command.reason)]


def order_payment(
    case: Case, command: OrderPayment, *, today: date, limits: CaseLimits
) -> list[InvestigationEvent | EmployerAbscondedFlagged]:
    """The investigation ends in an order to pay what is still owed by a date, served
    on the employer. Posting it and recording that on photo or video is service only
    when the employer absconded; saying so in the order flags the employer."""
    require_status(case, ALLOWED_IN[OrderPayment], "ordered to pay")
    require_step_date(case, command.ordered_on, field="ordered_on", today=today)
    require_step_date(case, command.served_on, field="served_on", today=today)
    require_within_years_ahead(
        command.pay_by, field="pay_by", today=today, years=limits.max_years_ahead
    )
    is_absconded = case.is_employer_absconded or command.is_employer_absconded
    if (
        command.service_method is ServiceMethod.POSTED_AND_PHOTOGRAPHED
        and not is_absconded
    ):
        raise RuleViolated(
            "posting-needs-absconded-employer",
            "An order is served by posting only when the employer absconded.",
        )
    ordered = PaymentOrdered(
        ordered_on=command.ordered_on,
        pay_by=command.pay_by,
        served_on=command.served_on,
        service_method=command.service_method,
        amount=command.amount,
    )
    if case.is_employer_absconded or not command.is_employer_absconded:
        return [ordered]
    flagged = EmployerAbscondedFlagged(
        flagged_on=command.ordered_on, note="stated in the order to pay"
    )
    return [flagged, ordered]


def close_case(
    case: Case, command: CloseCase, *, today: date
) -> list[InvestigationEvent]:
    """A case is closed once paid, decided, sent for court enforcement or cancelled,
    not while a referral waits on the head or the police, and not while its penalty
    proceedings run or its fine is neither paid nor sent to the court (rules.md
    §3.4.1 item 14: closing follows a decision enforced)."""
    require_status(case, ALLOWED_IN[CloseCase], "closed")
    require_step_date(case, command.closed_on, field="closed_on", today=today)
    _require_no_pending_referral(case)
    require_penalty_settled(case)
    return [CaseClosed(closed_on=command.closed_on, outcome=CaseOutcome(case.status))]


def _require_no_pending_referral(case: Case) -> None:
    if is_referral_pending(case):
        raise RuleViolated(
            "referral-pending",
            f"The referral to the police is {case.criminal}; wait for its answer.",
        )


def is_referral_pending(case: Case) -> bool:
    """Whether a referral waits on the head or the police, so the case cannot end."""
    return case.criminal in CRIMINAL_PENDING
