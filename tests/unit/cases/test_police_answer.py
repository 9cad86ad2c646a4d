"""The police answer: given a case transferred to the police, when they file or
decline, the agency asks them to reconsider or turns to the procuratorate, then
events or a refusal. Its limits count calendar days (310号令 arts. 8–9)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import pytest

from services.cases.domain.case import CaseEvent
from services.cases.domain.police_answer import (
    RecordPoliceDeclining,
    RecordPoliceFiling,
    RequestProcuratorateSupervision,
    RequestReconsideration,
    record_police_declining,
    record_police_filing,
    request_procuratorate_supervision,
    request_reconsideration,
)
from services.cases.domain.referral import TransferToPolice
from services.cases.domain.state import CriminalStatus, DeadlineKind, OpenDeadline
from shared.errors import InvalidInput, InvalidTransition, RuleViolated
from tests.unit.cases.factories import (
    DECLINING_NUMBER,
    FILING_NUMBER,
    LIMITS,
    OFFICE,
    POLICE,
    TODAY,
    case_of,
    case_transferred_to_police,
    deadline,
    overdue,
    police_declined,
    police_filed,
    procuratorate_supervision_requested,
    reconsideration_requested,
    referral_approved,
    referral_proposed,
)

PROPOSED = [*overdue(), referral_proposed()]
APPROVED = [*PROPOSED, referral_approved()]
TRANSFERRED = [*APPROVED, case_transferred_to_police()]
DECLINED = [*TRANSFERRED, police_declined()]
RECONSIDERING = [*DECLINED, reconsideration_requested()]
DECLINED_AGAIN = [
    *RECONSIDERING,
    police_declined(
        declined_on=date(2024, 4, 30),
        is_after_reconsideration=True,
        request_by=deadline(date(2024, 5, 3)),
    ),
]


def declined(history: list[CaseEvent], declined_on: date) -> Sequence[CaseEvent]:
    command = RecordPoliceDeclining(
        declined_on=declined_on,
        reason="不符合立案条件",
        document_number=DECLINING_NUMBER,
    )
    return record_police_declining(
        case_of(history), command, today=TODAY, limits=LIMITS, acting=POLICE
    )


def test_the_police_filing_ends_the_answer_deadline() -> None:
    events = record_police_filing(
        case_of(TRANSFERRED),
        RecordPoliceFiling(filed_on=date(2024, 4, 26), document_number=FILING_NUMBER),
        today=TODAY,
        acting=POLICE,
    )

    assert events == [police_filed()]
    case = case_of(TRANSFERRED, events)
    assert case.criminal is CriminalStatus.POLICE_FILED
    assert case.deadline(DeadlineKind.POLICE_ANSWER) is None


def test_after_the_police_declined_the_agency_may_ask_them_to_reconsider_in_three_days() -> (
    None
):
    events = declined(TRANSFERRED, date(2024, 4, 26))

    assert events == [police_declined()]
    assert case_of(TRANSFERRED, events).deadline(
        DeadlineKind.RECONSIDERATION_REQUEST
    ) == OpenDeadline(kind=DeadlineKind.RECONSIDERATION_REQUEST, due=date(2024, 4, 29))


def test_the_police_answer_a_reconsideration_within_three_days() -> None:
    events = request_reconsideration(
        case_of(DECLINED),
        RequestReconsideration(requested_on=date(2024, 4, 29)),
        today=TODAY,
        limits=LIMITS,
    )

    assert events == [reconsideration_requested()]
    assert case_of(DECLINED, events).deadline(DeadlineKind.POLICE_ANSWER) == (
        OpenDeadline(kind=DeadlineKind.POLICE_ANSWER, due=date(2024, 5, 2))
    )


def test_a_refusal_on_reconsideration_leaves_three_days_to_ask_the_procuratorate() -> (
    None
):
    events = declined(RECONSIDERING, date(2024, 4, 30))

    assert events == [DECLINED_AGAIN[-1]]
    assert case_of(DECLINED_AGAIN).deadline(
        DeadlineKind.PROCURATORATE_REQUEST
    ) == OpenDeadline(kind=DeadlineKind.PROCURATORATE_REQUEST, due=date(2024, 5, 3))


def test_the_police_may_file_on_reconsideration() -> None:
    events = record_police_filing(
        case_of(RECONSIDERING),
        RecordPoliceFiling(filed_on=date(2024, 5, 2), document_number=FILING_NUMBER),
        today=TODAY,
        acting=OFFICE,
    )

    assert events == [police_filed(filed_on=date(2024, 5, 2))]


def test_the_police_are_asked_to_reconsider_once() -> None:
    with pytest.raises(RuleViolated) as refused:
        request_reconsideration(
            case_of(DECLINED_AGAIN),
            RequestReconsideration(requested_on=date(2024, 5, 2)),
            today=TODAY,
            limits=LIMITS,
        )

    assert refused.value.code == "one-reconsideration"


def test_the_procuratorate_is_asked_after_a_refusal_on_reconsideration() -> None:
    events = request_procuratorate_supervision(
        case_of(DECLINED_AGAIN),
        RequestProcuratorateSupervision(
            requested_on=date(2024, 5, 2), reason="公安机关复议后仍不予立案"
        ),
        today=TODAY,
    )

    assert events == [procuratorate_supervision_requested()]
    case = case_of(DECLINED_AGAIN, events)
    assert case.criminal is CriminalStatus.PROCURATORATE_SUPERVISION
    assert case.deadline(DeadlineKind.PROCURATORATE_REQUEST) is None


def test_the_procuratorate_is_not_asked_before_the_police_reconsidered() -> None:
    with pytest.raises(RuleViolated) as refused:
        request_procuratorate_supervision(
            case_of(DECLINED),
            RequestProcuratorateSupervision(requested_on=date(2024, 4, 29), reason="x"),
            today=TODAY,
        )

    assert refused.value.code == "reconsideration-first"


@pytest.mark.parametrize(
    ("history", "status"),
    [
        (TRANSFERRED, CriminalStatus.TRANSFERRED_TO_POLICE),
        ([*TRANSFERRED, police_filed()], CriminalStatus.POLICE_FILED),
        (RECONSIDERING, CriminalStatus.RECONSIDERATION_REQUESTED),
    ],
)
def test_reconsideration_is_asked_only_after_the_police_declined(
    history: list[CaseEvent], status: CriminalStatus
) -> None:
    with pytest.raises(InvalidTransition) as refused:
        request_reconsideration(
            case_of(history),
            RequestReconsideration(requested_on=date(2024, 4, 29)),
            today=TODAY,
            limits=LIMITS,
        )

    assert refused.value.current == status


def test_a_police_answer_is_recorded_only_while_the_police_have_the_case() -> None:
    with pytest.raises(InvalidTransition) as refused:
        declined(APPROVED, date(2024, 4, 26))

    assert refused.value.current == CriminalStatus.REFERRAL_APPROVED
    assert refused.value.allowed == (TransferToPolice,)


def test_the_police_file_no_earlier_than_the_transfer() -> None:
    # Given a case transferred on 2024-04-25, when the police file on 04-24, then
    # the filing's date is refused (422) naming the transfer.
    command = RecordPoliceFiling(
        filed_on=date(2024, 4, 24), document_number=FILING_NUMBER
    )

    with pytest.raises(InvalidInput) as refused:
        record_police_filing(case_of(TRANSFERRED), command, today=TODAY, acting=POLICE)

    assert (refused.value.field, refused.value.rule) == (
        "filed_on",
        "not_before_transfer",
    )


def test_the_police_decline_no_earlier_than_the_transfer() -> None:
    with pytest.raises(InvalidInput) as refused:
        declined(TRANSFERRED, date(2024, 4, 24))

    assert (refused.value.field, refused.value.rule) == (
        "declined_on",
        "not_before_transfer",
    )


def test_the_police_may_answer_on_the_day_of_the_transfer() -> None:
    events = declined(TRANSFERRED, date(2024, 4, 25))

    assert [type(e) for e in events] == [type(police_declined())]
    assert case_of(TRANSFERRED).transferred_on == date(2024, 4, 25)
