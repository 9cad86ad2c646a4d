"""Investigation: given an opened case, when it is extended, cancelled or ordered to
pay, then events or a refusal."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

import pytest
from pydantic import ValidationError

from services.cases.domain.assignment import (
    AssignCase,
    ReportProgress,
    ReturnAssignment,
)
from services.cases.domain.case import CaseEvent
from services.cases.domain.court import (
    RecordAdvanceExecution,
    RecordEnforcementAccepted,
    RecordEnforcementOutcome,
    RecordPropertyPreservation,
)
from services.cases.domain.escalation import FlagEmployerAbsconded, FlagMassIncident
from services.cases.domain.investigation import (
    CancelCase,
    ExtendInvestigation,
    OrderPayment,
    cancel_case,
    extend_investigation,
    order_payment,
)
from services.cases.domain.payments import RecordPayment
from services.cases.domain.penalty import IssueNoticeOfIntent
from services.cases.domain.personal_data import ForgetWorker
from services.cases.domain.referral import ProposeReferral
from services.cases.domain.state import CaseStatus, PaymentOrder, ServiceMethod
from shared.errors import InvalidInput, InvalidTransition, RuleViolated
from tests.unit.cases.factories import (
    CALENDAR,
    LIMITS,
    ORDERED_ON,
    PAY_BY,
    SERVED_ON,
    TODAY,
    arrears_cleared,
    case_cancelled,
    case_of,
    employer_absconded_flagged,
    investigating,
    investigation_extended,
    ordered,
    payment_ordered,
    payment_recorded,
    received,
    referral_proposed,
)

EXTEND = ExtendInvestigation(
    approved_by="区人力资源和社会保障局局长", approved_on=date(2024, 5, 3)
)


def order(**overrides: object) -> OrderPayment:
    fields: dict[str, object] = {
        "ordered_on": ORDERED_ON,
        "pay_by": PAY_BY,
        "served_on": SERVED_ON,
        "service_method": ServiceMethod.IN_PERSON,
        "amount": Decimal("12000.00"),
    }
    return OrderPayment.model_validate(fields | overrides)


def extended(history: list[CaseEvent]) -> Sequence[CaseEvent]:
    return extend_investigation(
        case_of(history), EXTEND, today=TODAY, calendar=CALENDAR, limits=LIMITS
    )


def test_an_investigation_is_extended_to_ninety_working_days_from_opening() -> None:
    events = extended(investigating())

    assert events == [investigation_extended()]


def test_an_investigation_is_extended_once_only() -> None:
    with pytest.raises(RuleViolated) as refused:
        extended([*investigating(), investigation_extended()])

    assert refused.value.code == "one-extension"


def test_only_an_investigation_is_extended() -> None:
    with pytest.raises(InvalidTransition) as refused:
        extended(ordered())

    assert refused.value.current == CaseStatus.ORDERED_TO_PAY
    assert refused.value.allowed == (
        RecordPayment,
        # The court acts for a fine sent to it in any opened status.
        RecordEnforcementAccepted,
        RecordPropertyPreservation,
        RecordAdvanceExecution,
        RecordEnforcementOutcome,
        ProposeReferral,
        IssueNoticeOfIntent,
        AssignCase,
        ReportProgress,
        ReturnAssignment,
        FlagMassIncident,
        FlagEmployerAbsconded,
        ForgetWorker,
    )


def test_an_investigation_is_cancelled_when_minor_and_already_corrected() -> None:
    paid = [
        *investigating(),
        payment_recorded(amount=Decimal("12000.00")),
        arrears_cleared(),
    ]

    events = cancel_case(
        case_of(paid),
        CancelCase(cancelled_on=date(2024, 4, 12), reason="情节轻微且已改正"),
        today=TODAY,
    )

    assert events == [case_cancelled(cancelled_on=date(2024, 4, 12))]
    assert case_of(paid, events).status is CaseStatus.CANCELLED


def test_a_case_with_wages_still_owed_is_not_cancelled_as_corrected() -> None:
    with pytest.raises(RuleViolated) as refused:
        cancel_case(
            case_of(investigating()),
            CancelCase(cancelled_on=date(2024, 4, 12), reason="情节轻微"),
            today=TODAY,
        )

    assert refused.value.code == "not-yet-corrected"


def test_an_order_to_pay_ends_the_investigation_and_starts_its_own_deadline() -> None:
    events = order_payment(
        case_of(investigating()), order(), today=TODAY, limits=LIMITS
    )

    assert events == [payment_ordered()]
    case = case_of(investigating(), events)
    assert case.status is CaseStatus.ORDERED_TO_PAY
    assert case.payment_order == PaymentOrder(
        ordered_on=ORDERED_ON,
        pay_by=PAY_BY,
        served_on=SERVED_ON,
        service_method=ServiceMethod.IN_PERSON,
        amount=Decimal("12000.00"),
    )


def test_the_order_fixes_what_is_still_owed_as_the_investigation_found_it() -> None:
    history = [*investigating(), payment_recorded(amount=Decimal("2000.00"))]

    events = order_payment(
        case_of(history), order(amount=Decimal("8000.00")), today=TODAY, limits=LIMITS
    )

    case = case_of(history, events)
    assert (case.amount_owed, case.amount_still_owed) == (
        Decimal("10000.00"),
        Decimal("8000.00"),
    )


def test_an_order_is_served_on_or_after_the_day_it_was_made() -> None:
    with pytest.raises(ValidationError):
        order(served_on=date(2024, 3, 31))


def test_an_order_gives_time_to_pay_after_it_was_served() -> None:
    with pytest.raises(ValidationError):
        order(pay_by=SERVED_ON)


def test_an_order_orders_more_than_nothing() -> None:
    with pytest.raises(ValidationError):
        order(amount=Decimal(0))


def test_an_order_is_not_served_in_the_future() -> None:
    with pytest.raises(InvalidInput) as refused:
        order_payment(
            case_of(investigating()),
            order(served_on=date(2024, 5, 7), pay_by=date(2024, 5, 17)),
            today=TODAY,
            limits=LIMITS,
        )

    assert (refused.value.field, refused.value.rule) == ("served_on", "not_in_future")


def test_posting_and_photographing_is_no_service_while_the_employer_is_reachable() -> (
    None
):
    with pytest.raises(RuleViolated) as refused:
        order_payment(
            case_of(investigating()),
            order(service_method=ServiceMethod.POSTED_AND_PHOTOGRAPHED),
            today=TODAY,
            limits=LIMITS,
        )

    assert refused.value.code == "posting-needs-absconded-employer"


def test_an_order_is_posted_and_photographed_when_the_employer_absconded() -> None:
    history = [*investigating(), employer_absconded_flagged()]
    posted = order(service_method=ServiceMethod.POSTED_AND_PHOTOGRAPHED)

    events = order_payment(case_of(history), posted, today=TODAY, limits=LIMITS)

    assert events == [
        payment_ordered(service_method=ServiceMethod.POSTED_AND_PHOTOGRAPHED)
    ]


def test_an_order_saying_the_employer_absconded_flags_the_employer() -> None:
    posted = order(
        service_method=ServiceMethod.POSTED_AND_PHOTOGRAPHED, is_employer_absconded=True
    )

    events = order_payment(case_of(investigating()), posted, today=TODAY, limits=LIMITS)

    assert events == [
        employer_absconded_flagged(
            flagged_on=ORDERED_ON, note="stated in the order to pay"
        ),
        payment_ordered(service_method=ServiceMethod.POSTED_AND_PHOTOGRAPHED),
    ]


def test_a_case_is_ordered_to_pay_once() -> None:
    with pytest.raises(InvalidTransition) as refused:
        order_payment(case_of(ordered()), order(), today=TODAY, limits=LIMITS)

    assert refused.value.current == CaseStatus.ORDERED_TO_PAY


def test_a_case_not_yet_accepted_cannot_be_ordered_to_pay() -> None:
    with pytest.raises(InvalidTransition) as refused:
        order_payment(case_of(received()), order(), today=TODAY, limits=LIMITS)

    assert refused.value.current == CaseStatus.RECEIVED


def test_a_case_is_not_cancelled_while_a_referral_waits() -> None:
    history = [
        *investigating(),
        payment_recorded(amount=Decimal("12000.00")),
        arrears_cleared(),
        referral_proposed(),
    ]

    with pytest.raises(RuleViolated) as refused:
        cancel_case(
            case_of(history),
            CancelCase(cancelled_on=date(2024, 4, 23), reason="x"),
            today=TODAY,
        )

    assert refused.value.code == "referral-pending"


def test_a_date_to_pay_further_ahead_than_the_district_allows_is_refused() -> None:
    too_far = date(TODAY.year + LIMITS.max_years_ahead, TODAY.month, TODAY.day + 1)

    with pytest.raises(InvalidInput) as refused:
        order_payment(
            case_of(investigating()),
            order(pay_by=too_far),
            today=TODAY,
            limits=LIMITS,
        )

    assert (refused.value.field, refused.value.rule) == (
        "pay_by",
        "date_within_years_ahead",
    )
