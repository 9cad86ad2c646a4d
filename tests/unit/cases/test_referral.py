"""The criminal track: given a case, when a referral to the police is proposed,
decided, transferred, answered, reconsidered or taken to the procuratorate, then events
or a refusal. Its limits count calendar days (310号令 arts. 5–9)."""

from __future__ import annotations

from datetime import date

import pytest

from services.cases.domain import (
    ApproveReferral,
    CaseEvent,
    CaseStatus,
    CriminalStatus,
    DeadlineKind,
    OpenDeadline,
    ProposeReferral,
    RecordPoliceDeclining,
    RecordPoliceFiling,
    RefuseReferral,
    RequestProcuratorateSupervision,
    RequestReconsideration,
    TransferToPolice,
    approve_referral,
    open_deadlines,
    propose_referral,
    record_police_declining,
    record_police_filing,
    refuse_referral,
    request_procuratorate_supervision,
    request_reconsideration,
    transfer_to_police,
)
from shared.errors import InvalidInput, InvalidTransition, RuleViolated
from tests.unit.cases.factories import (
    LIMITS,
    PROPOSED_ON,
    TODAY,
    UNITS,
    case_cancelled,
    case_of,
    case_transferred_to_police,
    deadline,
    investigating,
    overdue,
    police_declined,
    police_filed,
    procuratorate_supervision_requested,
    received,
    reconsideration_requested,
    referral_approved,
    referral_proposed,
    referral_refused,
)

PROPOSE = ProposeReferral(
    proposed_on=PROPOSED_ON, grounds="经责令支付逾期仍不支付，数额较大"
)
HEAD = "区人力资源和社会保障局局长"
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


def proposed(history: list[CaseEvent]) -> list[CaseEvent]:
    return propose_referral(case_of(history), PROPOSE, today=TODAY, limits=LIMITS)


def declined(history: list[CaseEvent], declined_on: date) -> list[CaseEvent]:
    command = RecordPoliceDeclining(declined_on=declined_on, reason="不符合立案条件")
    return record_police_declining(
        case_of(history), command, today=TODAY, limits=LIMITS
    )


def test_a_referral_proposed_waits_three_days_for_the_heads_decision() -> None:
    events = proposed(overdue())

    assert events == [referral_proposed()]
    case = case_of(overdue(), events)
    assert case.criminal is CriminalStatus.REFERRAL_PROPOSED
    assert OpenDeadline(
        kind=DeadlineKind.REFERRAL_APPROVAL, due=date(2024, 4, 25)
    ) in open_deadlines(case)


def test_the_criminal_track_runs_beside_the_administrative_one() -> None:
    case = case_of(PROPOSED)

    assert (case.status, case.criminal) == (
        CaseStatus.OVERDUE,
        CriminalStatus.REFERRAL_PROPOSED,
    )


def test_a_case_under_investigation_can_be_referred() -> None:
    events = proposed(investigating())

    assert events == [referral_proposed()]


@pytest.mark.parametrize(
    ("history", "status"),
    [
        (received(), CaseStatus.RECEIVED),
        ([*investigating(), case_cancelled()], CaseStatus.CANCELLED),
    ],
)
def test_only_an_opened_case_still_being_handled_is_referred(
    history: list[CaseEvent], status: CaseStatus
) -> None:
    with pytest.raises(InvalidTransition) as refused:
        proposed(history)

    assert refused.value.current == status


def test_a_referral_is_proposed_once_at_a_time() -> None:
    with pytest.raises(InvalidTransition) as refused:
        proposed(PROPOSED)

    assert refused.value.current == CriminalStatus.REFERRAL_PROPOSED
    assert refused.value.allowed == ("approve-referral", "refuse-referral")


def test_a_referral_refused_by_the_head_may_be_proposed_again() -> None:
    events = proposed([*PROPOSED, referral_refused()])

    assert events == [referral_proposed()]


def test_an_approved_referral_must_reach_the_police_within_24_hours() -> None:
    events = approve_referral(
        case_of(PROPOSED),
        ApproveReferral(approved_on=date(2024, 4, 24), approved_by=HEAD),
        today=TODAY,
        limits=LIMITS,
    )

    assert events == [referral_approved()]
    assert open_deadlines(case_of(PROPOSED, events))[-1] == OpenDeadline(
        kind=DeadlineKind.POLICE_TRANSFER, due=date(2024, 4, 25)
    )


def test_the_head_refuses_a_referral_with_reasons_and_its_deadline_ends() -> None:
    events = refuse_referral(
        case_of(PROPOSED),
        RefuseReferral(
            refused_on=date(2024, 4, 24), refused_by=HEAD, reason="证据不足"
        ),
        today=TODAY,
    )

    assert events == [referral_refused()]
    case = case_of(PROPOSED, events)
    assert case.criminal is CriminalStatus.REFERRAL_REFUSED
    assert case.deadline(DeadlineKind.REFERRAL_APPROVAL) is None


def test_only_a_proposed_referral_is_approved() -> None:
    with pytest.raises(InvalidTransition) as refused:
        approve_referral(
            case_of(overdue()),
            ApproveReferral(approved_on=date(2024, 4, 24), approved_by=HEAD),
            today=TODAY,
            limits=LIMITS,
        )

    assert refused.value.current == CriminalStatus.NONE
    assert refused.value.allowed == ("propose-referral",)


def test_the_police_answer_within_three_days_of_the_transfer() -> None:
    events = transfer_to_police(
        case_of(APPROVED),
        TransferToPolice(transferred_on=date(2024, 4, 25), police_unit="gafj"),
        today=TODAY,
        limits=LIMITS,
        units=UNITS,
    )

    assert events == [case_transferred_to_police()]


def test_a_referral_goes_to_a_police_unit_of_the_member_directory() -> None:
    with pytest.raises(InvalidInput) as refused:
        transfer_to_police(
            case_of(APPROVED),
            TransferToPolice(transferred_on=date(2024, 4, 25), police_unit="xgafj"),
            today=TODAY,
            limits=LIMITS,
            units=UNITS,
        )

    assert (refused.value.field, refused.value.rule) == (
        "police_unit",
        "unit_known_and_active",
    )


def test_a_referral_is_transferred_only_after_the_head_approved_it() -> None:
    with pytest.raises(InvalidTransition) as refused:
        transfer_to_police(
            case_of(PROPOSED),
            TransferToPolice(transferred_on=date(2024, 4, 25), police_unit="gafj"),
            today=TODAY,
            limits=LIMITS,
            units=UNITS,
        )

    assert refused.value.current == CriminalStatus.REFERRAL_PROPOSED


def test_the_police_filing_ends_the_answer_deadline() -> None:
    events = record_police_filing(
        case_of(TRANSFERRED),
        RecordPoliceFiling(filed_on=date(2024, 4, 26)),
        today=TODAY,
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
        RecordPoliceFiling(filed_on=date(2024, 5, 2)),
        today=TODAY,
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
    assert refused.value.allowed == ("transfer-to-police",)
