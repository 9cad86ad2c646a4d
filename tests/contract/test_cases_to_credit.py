"""credit reads cases' events: its inbound models parse what cases writes."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from services.cases.domain.escalation import (
    CreditListingRecommended as CasesRecommendation,
)
from services.cases.domain.intake import CaseReceived as CasesCaseReceived
from services.cases.domain.investigation import PaymentOrdered as CasesPaymentOrdered
from services.cases.domain.payments import ArrearsCleared as CasesArrearsCleared
from services.cases.domain.payments import RecordPayment
from services.cases.domain.payments import record_payment as cases_record_payment
from services.cases.domain.state import Case, CaseStatus, ServiceMethod
from services.credit.inbound_events import (
    ArrearsCleared,
    CaseReceived,
    CreditListingRecommended,
    PaymentOrdered,
)
from tests.unit.cases.factories import case_received


def test_credit_reads_a_recommendation_made_by_cases() -> None:
    produced = CasesRecommendation(
        case_id="2024-000123",
        employer_name="青海某建设工程有限公司",
        employer_uscc="9111000071093123XX",
        amount_still_owed=Decimal("180000.00"),
        months_owed=5,
        workers_count=15,
        is_mass_incident=False,
        is_order_overdue=True,
        recommended_on=date(2024, 6, 1),
    )

    read = CreditListingRecommended.model_validate(produced.model_dump(mode="json"))

    assert (read.case_id, read.employer_uscc, read.amount_still_owed) == (
        "2024-000123",
        "9111000071093123XX",
        Decimal("180000.00"),
    )
    assert read.is_order_overdue is True


def test_credit_reads_the_employer_of_a_received_case() -> None:
    produced = case_received()
    assert isinstance(produced, CasesCaseReceived)

    read = CaseReceived.model_validate(produced.model_dump(mode="json"))

    assert read.employer.uscc == produced.employer.uscc
    assert read.received_on == produced.received_on


def test_credit_reads_the_day_a_case_was_paid_in_full_as_cases_decides_it() -> None:
    owing = Case(
        status=CaseStatus.ORDERED_TO_PAY,
        amount_owed=Decimal("180000.00"),
        amount_recovered=Decimal("100000.00"),
        received_on=date(2024, 1, 2),
    )
    produced = cases_record_payment(
        owing,
        RecordPayment(paid_on=date(2024, 7, 1), amount=Decimal("80000.00")),
        today=date(2024, 7, 2),
    )[-1]
    assert isinstance(produced, CasesArrearsCleared)

    read = ArrearsCleared.model_validate(produced.model_dump(mode="json"))

    assert read.cleared_on == date(2024, 7, 1)


def test_credit_reads_an_order_to_pay_and_what_it_says_is_owed() -> None:
    produced = CasesPaymentOrdered(
        ordered_on=date(2024, 2, 1),
        pay_by=date(2024, 2, 15),
        served_on=date(2024, 2, 1),
        service_method=ServiceMethod.IN_PERSON,
        amount=Decimal("20000.00"),
    )

    read = PaymentOrdered.model_validate(produced.model_dump(mode="json"))

    assert (read.ordered_on, read.amount) == (date(2024, 2, 1), Decimal("20000.00"))


def test_the_event_type_names_credit_follows_are_the_ones_cases_writes() -> None:
    assert CasesRecommendation.event_type() == "CreditListingRecommended"
    assert CasesCaseReceived.event_type() == "CaseReceived"
    assert CasesArrearsCleared.event_type() == "ArrearsCleared"
    assert CasesPaymentOrdered.event_type() == "PaymentOrdered"
