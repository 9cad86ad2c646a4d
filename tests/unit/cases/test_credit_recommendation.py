"""The recommendation for joint credit punishment: an overdue order at the crime
threshold (any worker ≥ 3 months ≥ X1, or ≥ 10 workers ≥ X2, on what is still owed),
or a mass incident; a mass incident before the order lapses recommends at once and
again when it lapses, never twice with the order overdue. X1 = 10,000 and X2 = 50,000
here."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

import pytest

from services.cases.domain.case import CaseEvent
from services.cases.domain.escalation import (
    FlagEmployerAbsconded,
    FlagMassIncident,
    RecordDeadlineMissed,
    flag_employer_absconded,
    flag_mass_incident,
    meets_crime_threshold,
    record_deadline_missed,
)
from services.cases.domain.state import CaseStatus, DeadlineKind
from shared.errors import InvalidTransition
from tests.unit.cases.factories import (
    CASE_ID,
    LIMITS,
    OFFICE,
    PAY_BY,
    TODAY,
    case_closed,
    case_of,
    credit_listing_recommended,
    deadline_missed,
    employer_absconded_flagged,
    handling_decided,
    investigating,
    mass_incident_flagged,
    ordered,
    overdue,
    payment_recorded,
    worker,
)

FLAG = FlagMassIncident(flagged_on=date(2024, 4, 15), note="二十余名工人聚集讨薪")


def payment_order_missed(history: list[CaseEvent]) -> Sequence[CaseEvent]:
    return record_deadline_missed(
        case_of(history),
        RecordDeadlineMissed(kind=DeadlineKind.PAYMENT_ORDER, due=PAY_BY),
        today=TODAY,
        limits=LIMITS,
        case_id=CASE_ID,
    )


def many_workers(count: int, amount: str) -> list[CaseEvent]:
    return ordered(
        workers_count=count,
        workers=(worker(),),
        months_owed=2,
        amount_owed=Decimal(amount),
    )


@pytest.mark.parametrize(
    ("months", "amount", "is_met"),
    [
        (3, "10000.00", True),
        (12, "19999.99", True),
        (2, "50000.00", False),
        (3, "9999.99", False),
    ],
)
def test_one_worker_unpaid_three_months_at_x1_meets_the_crime_threshold(
    months: int, amount: str, is_met: bool
) -> None:
    case = case_of(ordered(months_owed=months, amount_owed=Decimal(amount)))

    assert meets_crime_threshold(case, LIMITS) is is_met


@pytest.mark.parametrize(
    ("count", "amount", "is_met"),
    [
        (10, "50000.00", True),
        (10, "49999.99", False),
        (9, "90000.00", False),
        (2, "90000.00", False),
    ],
)
def test_ten_workers_or_more_at_x2_meet_the_crime_threshold_within_three_months(
    count: int, amount: str, is_met: bool
) -> None:
    assert meets_crime_threshold(case_of(many_workers(count, amount)), LIMITS) is is_met


@pytest.mark.parametrize("count", [2, 5, 9])
def test_any_worker_unpaid_three_months_at_x1_meets_the_crime_threshold(
    count: int,
) -> None:
    # Given a case of 2 to 9 workers, unpaid 3 months, still owed X1
    history = ordered(
        workers_count=count, months_owed=3, amount_owed=Decimal("10000.00")
    )

    # Then a worker owed that long meets the first branch, as one alone would
    assert meets_crime_threshold(case_of(history), LIMITS) is True


@pytest.mark.parametrize(
    ("count", "months", "amount"),
    [(5, 2, "100000.00"), (5, 3, "9999.99"), (9, 12, "9999.99")],
)
def test_fewer_than_ten_workers_below_three_months_or_x1_do_not_meet_it(
    count: int, months: int, amount: str
) -> None:
    history = ordered(
        workers_count=count, months_owed=months, amount_owed=Decimal(amount)
    )

    assert meets_crime_threshold(case_of(history), LIMITS) is False


def test_the_threshold_is_measured_on_what_is_still_owed() -> None:
    case = case_of(ordered(), [payment_recorded(amount=Decimal("2000.01"))])

    assert meets_crime_threshold(case, LIMITS) is False


def test_an_overdue_order_at_the_threshold_recommends_the_employer() -> None:
    events = payment_order_missed(ordered())

    assert events == [
        deadline_missed(detected_on=TODAY),
        credit_listing_recommended(recommended_on=TODAY),
    ]
    assert case_of(ordered(), events).is_credit_listing_recommended


def test_an_overdue_order_for_five_workers_owed_four_months_recommends_the_employer() -> (
    None
):
    # Given 5 workers owed ¥100,000 for 4 months, ordered to pay
    history = ordered(workers_count=5, months_owed=4, amount_owed=Decimal("100000.00"))

    # When the order passes its date unpaid
    events = payment_order_missed(history)

    # Then the employer is recommended, with the order overdue
    assert events == [
        deadline_missed(detected_on=TODAY),
        credit_listing_recommended(
            amount_still_owed=Decimal("100000.00"),
            workers_count=5,
            recommended_on=TODAY,
        ),
    ]


def test_an_overdue_order_below_the_threshold_recommends_no_one() -> None:
    history = ordered(amount_owed=Decimal("9999.99"))

    events = payment_order_missed(history)

    assert events == [deadline_missed(detected_on=TODAY)]


def test_an_overdue_order_for_ten_workers_at_x2_recommends_the_employer() -> None:
    history = many_workers(10, "50000.00")

    events = payment_order_missed(history)

    assert events == [
        deadline_missed(detected_on=TODAY),
        credit_listing_recommended(
            amount_still_owed=Decimal("50000.00"),
            months_owed=2,
            workers_count=10,
            recommended_on=TODAY,
        ),
    ]


def test_payments_made_before_the_order_fell_due_count_against_the_threshold() -> None:
    history = [*ordered(), payment_recorded(amount=Decimal("2000.01"))]

    events = payment_order_missed(history)

    assert events == [deadline_missed(detected_on=TODAY)]


def test_a_mass_incident_recommends_the_employer_at_once() -> None:
    events = flag_mass_incident(
        case_of(investigating()), FLAG, today=TODAY, case_id=CASE_ID, acting=OFFICE
    )

    assert events == [
        mass_incident_flagged(note="二十余名工人聚集讨薪"),
        credit_listing_recommended(
            is_mass_incident=True,
            is_order_overdue=False,
            recommended_on=date(2024, 4, 15),
        ),
    ]


def test_a_mass_incident_on_an_overdue_case_says_the_order_is_overdue() -> None:
    history = overdue(amount_owed=Decimal("100.00"))

    events = flag_mass_incident(
        case_of(history), FLAG, today=TODAY, case_id=CASE_ID, acting=OFFICE
    )

    assert events[1:] == [
        credit_listing_recommended(
            amount_still_owed=Decimal("100.00"),
            is_mass_incident=True,
            is_order_overdue=True,
            recommended_on=date(2024, 4, 15),
        )
    ]


def test_a_mass_incident_before_the_order_lapses_is_recommended_again_when_it_does() -> (
    None
):
    # Given a case below the threshold recommended on a mass incident before its
    # order lapsed
    history = [
        *ordered(amount_owed=Decimal("100.00")),
        mass_incident_flagged(),
        credit_listing_recommended(
            amount_still_owed=Decimal("100.00"),
            is_mass_incident=True,
            is_order_overdue=False,
            recommended_on=date(2024, 4, 15),
        ),
    ]

    # When the order passes its date unpaid
    events = payment_order_missed(history)

    # Then the case recommends the employer again, now with the order overdue
    assert events == [
        deadline_missed(detected_on=TODAY),
        credit_listing_recommended(
            amount_still_owed=Decimal("100.00"),
            is_mass_incident=True,
            is_order_overdue=True,
            recommended_on=TODAY,
        ),
    ]
    after = case_of(history, events)
    assert after.status is CaseStatus.OVERDUE
    assert after.is_recommended_order_overdue


def test_a_case_received_as_a_mass_incident_is_recommended_again_when_the_order_lapses() -> (
    None
):
    history = ordered(is_mass_incident=True, amount_owed=Decimal("100.00"))
    history.insert(
        1,
        credit_listing_recommended(
            amount_still_owed=Decimal("100.00"),
            is_mass_incident=True,
            is_order_overdue=False,
        ),
    )

    events = payment_order_missed(history)

    assert events == [
        deadline_missed(detected_on=TODAY),
        credit_listing_recommended(
            amount_still_owed=Decimal("100.00"),
            is_mass_incident=True,
            is_order_overdue=True,
            recommended_on=TODAY,
        ),
    ]


def test_a_case_recommended_with_the_order_overdue_is_not_recommended_again() -> None:
    history = [
        *ordered(),
        mass_incident_flagged(),
        credit_listing_recommended(is_mass_incident=True, is_order_overdue=True),
    ]

    events = payment_order_missed(history)

    assert events == [deadline_missed(detected_on=TODAY)]


def test_a_missed_deadline_other_than_the_order_recommends_no_one() -> None:
    history = [*investigating(), mass_incident_flagged()]
    running = case_of(history).deadline(DeadlineKind.INVESTIGATION)
    assert running is not None

    events = record_deadline_missed(
        case_of(history),
        RecordDeadlineMissed(kind=DeadlineKind.INVESTIGATION, due=running.due),
        today=date(2024, 7, 1),
        limits=LIMITS,
        case_id=CASE_ID,
    )

    assert [type(e).__name__ for e in events] == ["DeadlineMissed"]


def test_a_mass_incident_after_the_order_lapsed_and_was_decided_says_it_is_overdue() -> (
    None
):
    # Given an order that lapsed and a handling decision that followed
    decided = handling_decided(
        decided_on=date(2024, 4, 14), amount_still_owed=Decimal("100.00")
    )
    history = [*overdue(amount_owed=Decimal("100.00")), decided]

    # When a mass incident is flagged
    events = flag_mass_incident(
        case_of(history), FLAG, today=TODAY, case_id=CASE_ID, acting=OFFICE
    )

    # Then the recommendation says the order is overdue: the lapse stays a fact
    assert events[1:] == [
        credit_listing_recommended(
            amount_still_owed=Decimal("100.00"),
            is_mass_incident=True,
            is_order_overdue=True,
            recommended_on=date(2024, 4, 15),
        )
    ]


def test_a_case_recommends_the_employer_once_after_an_overdue_order() -> None:
    history = [*ordered(), deadline_missed(), credit_listing_recommended()]

    events = flag_mass_incident(
        case_of(history), FLAG, today=TODAY, case_id=CASE_ID, acting=OFFICE
    )

    assert events == [mass_incident_flagged(note="二十余名工人聚集讨薪")]


def test_a_mass_incident_is_flagged_once() -> None:
    history = [*investigating(), mass_incident_flagged()]

    events = flag_mass_incident(
        case_of(history), FLAG, today=TODAY, case_id=CASE_ID, acting=OFFICE
    )

    assert events == []


def test_a_closed_case_is_not_flagged() -> None:
    with pytest.raises(InvalidTransition) as refused:
        flag_mass_incident(
            case_of(investigating(), [case_closed()]),
            FLAG,
            today=TODAY,
            case_id=CASE_ID,
            acting=OFFICE,
        )

    assert refused.value.current == CaseStatus.CLOSED


def test_an_absconded_employer_is_flagged_once_and_recommends_no_one() -> None:
    command = FlagEmployerAbsconded(flagged_on=date(2024, 3, 20))

    first = flag_employer_absconded(
        case_of(investigating()), command, today=TODAY, acting=OFFICE
    )
    again = flag_employer_absconded(
        case_of(investigating(), first), command, today=TODAY, acting=OFFICE
    )

    assert first == [employer_absconded_flagged()]
    assert again == []
    assert case_of(investigating(), first).is_employer_absconded
