"""Acceptance: given a received case, when it is accepted, rejected, sent for
supplementary material or transferred out, then events or a refusal."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import pytest
from pydantic import ValidationError

from services.cases.domain.case import CASE, CaseEvent
from services.cases.domain.intake import (
    AcceptCase,
    RejectCase,
    TransferCaseOut,
    accept_case,
    reject_case,
    transfer_case_out,
)
from services.cases.domain.personal_data import ForgetWorker
from services.cases.domain.state import Case, CaseStatus
from services.cases.domain.supplement import (
    ReceiveSupplement,
    RequestSupplement,
    receive_supplement,
    request_supplement,
)
from shared.errors import InvalidInput, InvalidTransition
from tests.unit.cases.factories import (
    CALENDAR,
    LIMITS,
    RECEIVED_ALLOWS,
    TODAY,
    case_accepted,
    case_closed,
    case_of,
    case_rejected,
    case_transferred_out,
    deadline,
    investigating,
    received,
    supplement_received,
    supplement_requested,
)


def accepted(case: Case, accepted_on: date) -> Sequence[CaseEvent]:
    return accept_case(
        case,
        AcceptCase(accepted_on=accepted_on),
        today=TODAY,
        calendar=CALENDAR,
        limits=LIMITS,
    )


def test_a_received_case_is_accepted_and_investigated_for_sixty_working_days() -> None:
    events = accepted(case_of(received()), date(2024, 3, 6))

    assert events == [case_accepted()]
    assert case_of(received(), [case_accepted()]).status is CaseStatus.INVESTIGATING


def test_a_case_accepted_after_five_working_days_is_still_accepted() -> None:
    events = accepted(case_of(received()), date(2024, 3, 13))

    assert events == [
        case_accepted(
            accepted_on=date(2024, 3, 13),
            investigation_deadline=deadline(date(2024, 6, 5)),
        )
    ]


def test_a_case_cannot_be_accepted_before_it_was_received() -> None:
    with pytest.raises(InvalidInput) as refused:
        accepted(case_of(received()), date(2024, 3, 1))

    assert (refused.value.field, refused.value.rule) == (
        "accepted_on",
        "not_before_receipt",
    )


@pytest.mark.parametrize(
    ("history", "status"),
    [
        ([], CaseStatus.NEW),
        (investigating(), CaseStatus.INVESTIGATING),
        ([*received(), case_rejected()], CaseStatus.REJECTED),
        ([*received(), supplement_requested()], CaseStatus.AWAITING_SUPPLEMENT),
    ],
)
def test_only_a_received_case_is_accepted(
    history: list[CaseEvent], status: CaseStatus
) -> None:
    with pytest.raises(InvalidTransition) as refused:
        accepted(CASE.replay(history), date(2024, 3, 6))

    assert refused.value.current == status


def test_a_rejected_case_allows_nothing_but_forgetting_a_worker() -> None:
    with pytest.raises(InvalidTransition) as refused:
        accepted(case_of(received(), [case_rejected()]), date(2024, 3, 6))

    assert refused.value.allowed == (ForgetWorker,)


def test_a_received_case_is_rejected_with_its_reason() -> None:
    events = reject_case(
        case_of(received()),
        RejectCase(rejected_on=date(2024, 3, 5), reason="违法行为已超过两年"),
        today=TODAY,
    )

    assert events == [case_rejected()]


def test_a_case_awaiting_supplementary_material_can_be_rejected() -> None:
    case = case_of(received(), [supplement_requested()])

    events = reject_case(
        case,
        RejectCase(rejected_on=date(2024, 3, 20), reason="逾期未补正"),
        today=TODAY,
    )

    assert events == [case_rejected(rejected_on=date(2024, 3, 20), reason="逾期未补正")]


def test_a_rejection_needs_a_reason() -> None:
    with pytest.raises(ValidationError):
        RejectCase(rejected_on=date(2024, 3, 5), reason="  ")


def test_an_opened_case_cannot_be_rejected() -> None:
    with pytest.raises(InvalidTransition) as refused:
        reject_case(
            case_of(investigating()),
            RejectCase(rejected_on=date(2024, 3, 7), reason="x"),
            today=TODAY,
        )

    assert refused.value.current == CaseStatus.INVESTIGATING


def test_supplementary_material_is_requested_with_or_without_a_due_date() -> None:
    case = case_of(received())

    with_due = request_supplement(
        case,
        RequestSupplement(
            requested_on=date(2024, 3, 5),
            what="用人单位名称及地址",
            due=date(2024, 3, 15),
        ),
        today=TODAY,
        limits=LIMITS,
    )
    without_due = request_supplement(
        case,
        RequestSupplement(requested_on=date(2024, 3, 5), what="用人单位名称及地址"),
        today=TODAY,
        limits=LIMITS,
    )

    assert with_due == [supplement_requested()]
    assert without_due == [supplement_requested(due=None)]


def test_supplementary_material_is_not_due_before_it_was_requested() -> None:
    with pytest.raises(ValidationError):
        RequestSupplement(requested_on=date(2024, 3, 5), what="x", due=date(2024, 3, 4))


def test_supplementary_material_is_requested_only_once_at_a_time() -> None:
    with pytest.raises(InvalidTransition) as refused:
        request_supplement(
            case_of(received(), [supplement_requested()]),
            RequestSupplement(requested_on=date(2024, 3, 6), what="x"),
            today=TODAY,
            limits=LIMITS,
        )

    assert refused.value.current == CaseStatus.AWAITING_SUPPLEMENT
    assert refused.value.allowed[:3] == (ReceiveSupplement, RejectCase, TransferCaseOut)


def test_supplementary_material_restarts_the_five_working_days_to_accept() -> None:
    case = case_of(received(), [supplement_requested()])

    events = receive_supplement(
        case,
        ReceiveSupplement(received_on=date(2024, 3, 12)),
        today=TODAY,
        calendar=CALENDAR,
        limits=LIMITS,
    )

    assert events == [supplement_received()]
    assert case_of(received(), [supplement_requested(), *events]).status is (
        CaseStatus.RECEIVED
    )


def test_material_is_received_only_when_it_was_requested() -> None:
    with pytest.raises(InvalidTransition) as refused:
        receive_supplement(
            case_of(received()),
            ReceiveSupplement(received_on=date(2024, 3, 12)),
            today=TODAY,
            calendar=CALENDAR,
            limits=LIMITS,
        )

    assert refused.value.current == CaseStatus.RECEIVED
    assert refused.value.allowed == RECEIVED_ALLOWS


def test_a_case_not_ours_is_transferred_out_to_the_competent_body() -> None:
    events = transfer_case_out(
        case_of(received()),
        TransferCaseOut(
            transferred_on=date(2024, 3, 5),
            to="区劳动人事争议仲裁院",
            reason="已申请劳动仲裁",
        ),
        today=TODAY,
    )

    assert events == [case_transferred_out()]
    assert case_of(received(), events).status is CaseStatus.TRANSFERRED_OUT


def test_a_closed_case_cannot_be_transferred_out() -> None:
    with pytest.raises(InvalidTransition) as refused:
        transfer_case_out(
            case_of(investigating(), [case_closed()]),
            TransferCaseOut(transferred_on=date(2024, 5, 1), to="x", reason="y"),
            today=TODAY,
        )

    assert refused.value.current == CaseStatus.CLOSED
