"""Receiving a case: given nothing, when the office registers a case, then it is
received with checked identifiers and its acceptance deadline, or refused."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

import pytest
from pydantic import ValidationError

from services.cases.domain.case import CASE, CaseEvent
from services.cases.domain.intake import ReceiveCase, receive_case
from services.cases.domain.particulars import CaseSource, Employer, Sector
from services.cases.domain.state import Case, CaseStatus
from shared.domain import Role
from shared.errors import InvalidInput, InvalidTransition
from tests.unit.cases.factories import (
    CALENDAR,
    CASE_ID,
    INVALID_ID_NUMBER,
    INVALID_USCC,
    LIMITS,
    OTHER_VALID_ID_NUMBER,
    RECEIVED_ALLOWS,
    RECEIVED_ON,
    TODAY,
    UNITS,
    VALID_USCC,
    case_of,
    case_received,
    credit_listing_recommended,
    deadline,
    employer,
    project,
    received,
    worker,
    worker_details,
)
from tests.weekend_calendar import WeekendCalendar


def receive(**overrides: object) -> ReceiveCase:
    fields: dict[str, object] = {
        "source": CaseSource.COMPLAINT,
        "sector": Sector.CONSTRUCTION,
        "employer": employer(),
        "project": project(),
        "workers_count": 1,
        "workers": (worker_details(),),
        "months_owed": 4,
        "amount_owed": Decimal("12000.00"),
        "territorial_unit": "yjkz",
        "summary": "四个月工资未付",
        "received_on": RECEIVED_ON,
    }
    return ReceiveCase.model_validate(fields | overrides)


def received_case(command: ReceiveCase) -> Sequence[CaseEvent]:
    return receive_case(
        Case(),
        command,
        today=TODAY,
        calendar=CALENDAR,
        limits=LIMITS,
        units=UNITS,
        case_id=CASE_ID,
        earlier=(),
    )


def test_a_case_stream_is_named_after_its_year_and_number() -> None:
    assert CASE.stream_id(CASE_ID) == "case-2024-000123"


def test_a_new_case_is_received_with_its_acceptance_deadline_five_working_days_on() -> (
    None
):
    events = received_case(receive())

    assert events == [case_received()]


def test_a_received_case_is_received_and_not_yet_accepted() -> None:
    case = case_of(received())

    assert case.status is CaseStatus.RECEIVED
    assert case.amount_still_owed == Decimal("12000.00")
    assert case.workers == (worker(),)


def test_the_office_and_the_system_receive_cases() -> None:
    assert ReceiveCase.permitted == {Role.OFFICE, Role.SYSTEM}


def test_a_case_cannot_be_received_twice() -> None:
    with pytest.raises(InvalidTransition) as refused:
        receive_case(
            case_of(received()),
            receive(),
            today=TODAY,
            calendar=CALENDAR,
            limits=LIMITS,
            units=UNITS,
            case_id=CASE_ID,
            earlier=(),
        )

    assert refused.value.current == CaseStatus.RECEIVED
    assert refused.value.allowed == RECEIVED_ALLOWS


def test_a_case_cannot_be_received_on_a_future_date() -> None:
    with pytest.raises(InvalidInput) as refused:
        received_case(receive(received_on=date(2024, 5, 7)))

    assert (refused.value.field, refused.value.rule) == ("received_on", "not_in_future")


def test_a_case_received_as_a_mass_incident_is_recommended_for_credit_punishment() -> (
    None
):
    events = received_case(receive(is_mass_incident=True))

    assert events == [
        case_received(is_mass_incident=True),
        credit_listing_recommended(
            is_mass_incident=True, is_order_overdue=False, recommended_on=RECEIVED_ON
        ),
    ]


def test_an_acceptance_deadline_beyond_the_announced_years_is_provisional() -> None:
    events = receive_case(
        Case(),
        receive(received_on=date(2024, 3, 4)),
        today=TODAY,
        calendar=WeekendCalendar(announced_until=date(2024, 3, 8)),
        limits=LIMITS,
        units=UNITS,
        case_id=CASE_ID,
        earlier=(),
    )

    assert events == [
        case_received(
            acceptance_deadline=deadline(date(2024, 3, 11), is_provisional=True)
        )
    ]


def test_a_valid_unified_social_credit_code_is_kept_in_its_compact_form() -> None:
    events = received_case(receive(employer=employer(uscc=" 91110108551385082q ")))

    assert events == [case_received(employer=employer(uscc=VALID_USCC))]


def test_a_unified_social_credit_code_with_a_wrong_check_digit_is_refused() -> None:
    with pytest.raises(InvalidInput) as refused:
        received_case(receive(employer=employer(uscc=INVALID_USCC)))

    assert (refused.value.field, refused.value.rule) == (
        "employer.uscc",
        "uscc_checksum",
    )


def test_a_code_failing_the_check_is_kept_when_the_office_gives_the_reason() -> None:
    reason = "早期赋码，营业执照原件核对无误"
    overridden = employer(uscc=INVALID_USCC, uscc_override_reason=reason)

    events = received_case(receive(employer=overridden))

    assert events == [case_received(employer=overridden)]


def test_an_employer_without_a_code_is_received() -> None:
    events = received_case(receive(employer=Employer(name="包工头 李某")))

    assert events == [case_received(employer=Employer(name="包工头 李某"))]


def test_a_resident_id_number_with_a_wrong_check_digit_is_refused() -> None:
    workers = (
        worker_details(),
        worker_details(subject="worker-0002", id_number=INVALID_ID_NUMBER),
    )

    with pytest.raises(InvalidInput) as refused:
        received_case(receive(workers_count=2, workers=workers))

    assert (refused.value.field, refused.value.rule) == (
        "workers.1.id_number",
        "ric_checksum",
    )
    assert INVALID_ID_NUMBER not in refused.value.detail


def test_named_workers_are_kept_as_personal_data_of_their_subject() -> None:
    second = worker_details(
        subject="worker-0002", id_number=OTHER_VALID_ID_NUMBER, phone=None
    )

    events = received_case(receive(workers_count=3, workers=(worker_details(), second)))

    assert events == [
        case_received(
            workers_count=3,
            workers=(
                worker(),
                worker(
                    subject="worker-0002", id_number=OTHER_VALID_ID_NUMBER, phone=None
                ),
            ),
        )
    ]


def test_a_worker_known_only_by_name_is_received_without_an_id_number() -> None:
    events = received_case(receive(workers=(worker_details(id_number=None),)))

    assert events == [case_received(workers=(worker(id_number=None),))]


def test_a_lower_case_x_in_an_id_number_is_read_as_the_check_digit_x() -> None:
    events = received_case(
        receive(workers=(worker_details(id_number="11010519491231002x"),))
    )

    assert events == [case_received(workers=(worker(id_number="11010519491231002X"),))]


def test_a_case_names_no_more_workers_than_it_counts() -> None:
    with pytest.raises(ValidationError):
        receive(
            workers_count=1, workers=(worker_details(), worker_details(subject="b2"))
        )


def test_two_named_workers_never_share_a_subject() -> None:
    with pytest.raises(ValidationError):
        receive(workers_count=2, workers=(worker_details(), worker_details()))


@pytest.mark.parametrize("code", ["zzz", "jsj-old"])
def test_the_territorial_unit_is_an_active_member_unit(code: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        received_case(receive(territorial_unit=code))

    assert (refused.value.field, refused.value.rule) == (
        "territorial_unit",
        "unit_active",
    )


def test_an_amount_owed_is_never_negative_nor_finer_than_a_cent() -> None:
    with pytest.raises(ValidationError):
        receive(amount_owed=Decimal("-1"))
    with pytest.raises(ValidationError):
        receive(amount_owed=Decimal("10.001"))


def test_a_receipt_stored_before_union_reports_reads_as_it_was() -> None:
    stored = case_received().model_dump(mode="json")

    assert CASE.decode("CaseReceived", 1, stored) == case_received()
