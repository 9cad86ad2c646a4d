"""The criminal track's time limits and missed deadlines: given a referral, when each
step is recorded, then the deadline it answered ends and the next one starts; a missed
deadline is kept as it was missed, and only a missed payment order makes the case
overdue."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from services.cases.domain.case import CaseEvent
from services.cases.domain.police_answer import (
    RecordPoliceDeclining,
    record_police_declining,
)
from services.cases.domain.state import CaseStatus, DeadlineKind, OpenDeadline
from shared.duties import Acting, Duty
from tests.unit.cases.factories import (
    DECLINING_NUMBER,
    LIMITS,
    PAY_BY,
    TODAY,
    case_of,
    case_transferred_to_police,
    deadline,
    deadline_missed,
    handling_decided,
    investigating,
    ordered,
    overdue,
    police_declined,
    police_filed,
    reconsideration_requested,
    referral_approved,
    referral_proposed,
)

POLICE = Acting.unit_of("gafj", Duty.POLICE)

CRIMINAL = {
    DeadlineKind.REFERRAL_APPROVAL,
    DeadlineKind.POLICE_TRANSFER,
    DeadlineKind.POLICE_ANSWER,
    DeadlineKind.RECONSIDERATION_REQUEST,
    DeadlineKind.PROCURATORATE_REQUEST,
}
TRANSFERRED: list[CaseEvent] = [
    referral_proposed(),
    referral_approved(),
    case_transferred_to_police(),
]


@pytest.mark.parametrize(
    ("steps", "running"),
    [
        ([referral_proposed()], {DeadlineKind.REFERRAL_APPROVAL}),
        ([referral_proposed(), referral_approved()], {DeadlineKind.POLICE_TRANSFER}),
        (TRANSFERRED, {DeadlineKind.POLICE_ANSWER}),
        ([*TRANSFERRED, police_filed()], set()),
        (
            [*TRANSFERRED, police_declined()],
            {DeadlineKind.RECONSIDERATION_REQUEST},
        ),
        (
            [*TRANSFERRED, police_declined(), reconsideration_requested()],
            {DeadlineKind.POLICE_ANSWER},
        ),
    ],
    ids=["proposed", "approved", "transferred", "filed", "declined", "reconsidering"],
)
def test_each_step_ends_the_deadline_it_answered_and_starts_the_next(
    steps: list[CaseEvent], running: set[DeadlineKind]
) -> None:
    case = case_of(overdue(), steps)

    assert {d.kind for d in case.deadlines} & CRIMINAL == running


def test_a_missed_deadline_the_case_no_longer_runs_is_kept_as_missed() -> None:
    late = deadline_missed(kind=DeadlineKind.INVESTIGATION, due=date(2024, 3, 20))

    case = case_of(investigating(), [late])

    assert case.missed == (
        OpenDeadline(kind=DeadlineKind.INVESTIGATION, due=date(2024, 3, 20)),
    )
    assert case.status is CaseStatus.INVESTIGATING


def test_only_a_missed_payment_order_makes_an_ordered_case_overdue() -> None:
    assert case_of(ordered(), [deadline_missed()]).status is CaseStatus.OVERDUE
    assert case_of(ordered(), [deadline_missed()]).missed[-1].due == PAY_BY
    other = deadline_missed(kind=DeadlineKind.ASSIGNMENT, due=date(2024, 4, 5))
    assert case_of(ordered(), [other]).status is CaseStatus.ORDERED_TO_PAY


def test_after_a_refusal_on_reconsideration_the_procuratorate_s_days_count() -> None:
    limits = LIMITS.model_copy(
        update={"reconsideration_request_days": 3, "procuratorate_request_days": 7}
    )
    first = case_of(overdue(), TRANSFERRED)
    reconsidering = case_of(
        overdue(), TRANSFERRED, [police_declined(), reconsideration_requested()]
    )

    once = record_police_declining(
        first, _declining(date(2024, 4, 26)), today=TODAY, limits=limits, acting=POLICE
    )
    twice = record_police_declining(
        reconsidering,
        _declining(date(2024, 5, 3)),
        today=TODAY,
        limits=limits,
        acting=POLICE,
    )

    assert once == [
        police_declined(reason="不立案", request_by=deadline(date(2024, 4, 29)))
    ]
    assert twice == [
        police_declined(
            declined_on=date(2024, 5, 3),
            reason="不立案",
            is_after_reconsideration=True,
            request_by=deadline(date(2024, 5, 10)),
        )
    ]


def _declining(on: date) -> RecordPoliceDeclining:
    return RecordPoliceDeclining(
        declined_on=on, reason="不立案", document_number=DECLINING_NUMBER
    )


def test_a_handling_decision_keeps_the_compensation_it_set() -> None:
    case = case_of(overdue(), [handling_decided()])

    assert case.compensation_amount == Decimal("6000.00")
