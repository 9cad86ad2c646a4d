"""credit reads cases' events: its inbound models parse what cases writes."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from services.cases.domain.escalation import (
    CreditListingRecommended as CasesRecommendation,
)
from services.cases.domain.intake import CaseReceived as CasesCaseReceived
from services.credit.inbound_events import CaseReceived, CreditListingRecommended
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


def test_the_event_type_names_credit_follows_are_the_ones_cases_writes() -> None:
    assert CasesRecommendation.event_type() == "CreditListingRecommended"
    assert CasesCaseReceived.event_type() == "CaseReceived"
