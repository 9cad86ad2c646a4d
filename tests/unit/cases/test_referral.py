"""The criminal track: given a case, when a referral to the police is proposed,
approved or refused, and transferred, then events or a refusal. Its limits count
calendar days (310号令 arts. 5–8)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import pytest

from services.cases.domain.case import CaseEvent
from services.cases.domain.referral import (
    ApproveReferral,
    ProposeReferral,
    RefuseReferral,
    TransferToPolice,
    approve_referral,
    propose_referral,
    refuse_referral,
    transfer_to_police,
)
from services.cases.domain.state import (
    CaseStatus,
    CriminalStatus,
    DeadlineKind,
    OpenDeadline,
    open_deadlines,
)
from shared.errors import InvalidInput, InvalidTransition
from tests.unit.cases.factories import (
    LIMITS,
    PROPOSED_ON,
    TODAY,
    UNITS,
    case_cancelled,
    case_of,
    case_transferred_to_police,
    investigating,
    overdue,
    received,
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


def proposed(history: list[CaseEvent]) -> Sequence[CaseEvent]:
    return propose_referral(case_of(history), PROPOSE, today=TODAY, limits=LIMITS)


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
    assert refused.value.allowed == (ApproveReferral, RefuseReferral)


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
    assert refused.value.allowed == (ProposeReferral,)


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
        "unit_active",
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
