"""Investigation: extended once, cancelled, ended by an order to pay; and closing
(rules.md §3.4.1 items 6–9 and 14, §4.1)."""

from __future__ import annotations

from datetime import date

from services.cases.domain.aggregate import CaseEvent
from services.cases.domain.case import Case, CaseOutcome, CaseStatus, ServiceMethod
from services.cases.domain.commands import (
    CancelCase,
    CloseCase,
    ExtendInvestigation,
    OrderPayment,
)
from services.cases.domain.escalation_events import EmployerAbscondedFlagged
from services.cases.domain.events import (
    CaseCancelled,
    CaseClosed,
    InvestigationExtended,
    PaymentOrdered,
)
from services.cases.domain.limits import CaseLimits
from services.cases.domain.transitions import (
    CRIMINAL_PENDING,
    refused,
    require_date,
    require_status,
)
from shared.dates import require_within_years_ahead
from shared.domain import WorkingDays
from shared.errors import RuleViolated

_INVESTIGATING = frozenset({CaseStatus.ACCEPTED, CaseStatus.INVESTIGATING})
_CLOSABLE = frozenset(
    {
        CaseStatus.PAID,
        CaseStatus.HANDLING_DECIDED,
        CaseStatus.COURT_ENFORCEMENT,
        CaseStatus.CANCELLED,
    }
)


def extend_investigation(
    case: Case,
    command: ExtendInvestigation,
    *,
    today: date,
    calendar: WorkingDays,
    limits: CaseLimits,
) -> list[CaseEvent]:
    """A complex investigation is extended once, with the head's approval, to 60 + 30
    working days from opening (条例 art. 17, rules.md §3.4.1 item 7)."""
    require_status(case, _INVESTIGATING, "extended")
    if case.accepted_on is None:  # every investigating case was accepted on a day
        raise refused(case.status, "extended")
    if case.is_investigation_extended:
        raise RuleViolated(
            "one-extension", "An investigation is extended once at most."
        )
    require_date(command.approved_on, field="approved_on", case=case, today=today)
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


def cancel_case(case: Case, command: CancelCase, *, today: date) -> list[CaseEvent]:
    """A case under investigation is cancelled when the violation was minor and is
    already corrected: nothing is owed any more (条例 art. 18(3))."""
    require_status(case, _INVESTIGATING, "cancelled")
    require_date(command.cancelled_on, field="cancelled_on", case=case, today=today)
    if case.amount_still_owed > 0:
        raise RuleViolated(
            "not-yet-corrected",
            f"{case.amount_still_owed} yuan is still owed; the violation is not corrected.",
        )
    _require_no_pending_referral(case)
    return [CaseCancelled(cancelled_on=command.cancelled_on, reason=command.reason)]


def order_payment(
    case: Case, command: OrderPayment, *, today: date, limits: CaseLimits
) -> list[CaseEvent]:
    """The investigation ends in an order to pay what is still owed by a date, served
    on the employer. Posting it and recording that on photo or video is service only
    when the employer absconded; saying so in the order flags the employer."""
    require_status(case, _INVESTIGATING, "ordered to pay")
    require_date(command.ordered_on, field="ordered_on", case=case, today=today)
    require_date(command.served_on, field="served_on", case=case, today=today)
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


def close_case(case: Case, command: CloseCase, *, today: date) -> list[CaseEvent]:
    """A case is closed once paid, decided, sent for court enforcement or cancelled,
    and not while a referral waits on the head or the police."""
    require_status(case, _CLOSABLE, "closed")
    require_date(command.closed_on, field="closed_on", case=case, today=today)
    _require_no_pending_referral(case)
    return [CaseClosed(closed_on=command.closed_on, outcome=CaseOutcome(case.status))]


def _require_no_pending_referral(case: Case) -> None:
    if case.criminal in CRIMINAL_PENDING:
        raise RuleViolated(
            "referral-pending",
            f"The referral to the police is {case.criminal}; wait for its answer.",
        )
