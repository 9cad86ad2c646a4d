"""What the penalty proceedings keep and which field a refused step names: given a
case on the penalty track, when a step is recorded, then the proceedings hold its days
and amounts; a step dated in the future or before the receipt is refused on its own
field."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal

import pytest

from services.cases.domain.case import CaseEvent
from services.cases.domain.penalty import IssueNoticeOfIntent, issue_notice_of_intent
from services.cases.domain.penalty_decision import (
    ApplyFineEnforcement,
    DecideNoPenalty,
    DecidePenalty,
    NoPenaltyDecided,
    RecordFinePaid,
    apply_fine_enforcement,
    decide_no_penalty,
    decide_penalty,
    late_surcharge,
    record_fine_paid,
)
from services.cases.domain.penalty_hearing import (
    RecordHearing,
    RequestHearing,
    ScheduleHearing,
    WaiveHearing,
    record_hearing,
    request_hearing,
    schedule_hearing,
    waive_hearing,
)
from services.cases.domain.state import Penalty
from shared.errors import InvalidInput
from tests.unit.cases.factories import (
    CALENDAR,
    DECIDED_ON,
    FINE_DUE,
    HEARING_ON,
    INTENDED_FINE,
    LIMITS,
    NOTIFIED_ON,
    RECEIVED_ON,
    TODAY,
    case_of,
    deadline,
    decided,
    heard,
    hearing_requested,
    hearing_scheduled,
    noticed,
    ordered,
    penalty_decided,
)

REQUESTED = [*noticed(), hearing_requested()]
SCHEDULED = [*REQUESTED, hearing_scheduled()]
SERVED_ON = DECIDED_ON + timedelta(days=2)


def proceedings(*history: Sequence[CaseEvent]) -> Penalty:
    kept = case_of(*history).penalty_proceedings
    assert kept is not None
    return kept


def test_a_decision_keeps_its_day_its_service_and_the_fine() -> None:
    kept = proceedings(decided(served_on=SERVED_ON))

    assert (kept.decided_on, kept.served_on, kept.fine) == (
        DECIDED_ON,
        SERVED_ON,
        INTENDED_FINE,
    )
    assert kept.pay_by == FINE_DUE


def test_a_decision_of_no_penalty_keeps_its_day() -> None:
    command = DecideNoPenalty(decided_on=DECIDED_ON, reason="当事人陈述申辩成立")

    events = decide_no_penalty(case_of(heard()), command, today=TODAY, limits=LIMITS)

    assert proceedings(heard(), events).decided_on == DECIDED_ON


def test_a_fine_paid_late_keeps_the_surcharge_due() -> None:
    paid_on = FINE_DUE + timedelta(days=2)
    command = RecordFinePaid(paid_on=paid_on, amount=INTENDED_FINE)

    events = record_fine_paid(case_of(decided()), command, today=paid_on, limits=LIMITS)

    assert proceedings(decided(), events).surcharge_due == Decimal("1200.00")


@pytest.mark.parametrize(
    ("heard_on", "rule"),
    [
        (TODAY + timedelta(days=1), "not_in_future"),
        (HEARING_ON - timedelta(days=1), "not_before_hearing_day"),
    ],
)
def test_a_hearing_is_recorded_on_its_day_or_later_not_in_the_future(
    heard_on: date, rule: str
) -> None:
    command = RecordHearing(heard_on=heard_on, summary="当事人陈述申辩")

    with pytest.raises(InvalidInput) as refused:
        record_hearing(case_of(SCHEDULED), command, today=TODAY)

    assert (refused.value.field, refused.value.rule) == ("heard_on", rule)


@pytest.mark.parametrize(
    ("applied_on", "rule"),
    [
        (date(2024, 5, 21), "not_in_future"),
        (RECEIVED_ON - timedelta(days=1), "not_before_receipt"),
    ],
)
def test_a_fine_is_sent_to_court_on_a_day_not_in_the_future(
    applied_on: date, rule: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        apply_fine_enforcement(
            case_of(decided()),
            ApplyFineEnforcement(applied_on=applied_on),
            today=date(2024, 5, 20),
        )

    assert (refused.value.field, refused.value.rule) == ("applied_on", rule)


@pytest.mark.parametrize(
    ("day", "rule"),
    [
        (TODAY + timedelta(days=1), "not_in_future"),
        (NOTIFIED_ON - timedelta(days=1), "not_before_notice"),
    ],
)
def test_a_waiver_and_a_hearings_notification_are_dated_after_the_notice(
    day: date, rule: str
) -> None:
    with pytest.raises(InvalidInput) as waived:
        waive_hearing(case_of(noticed()), WaiveHearing(waived_on=day), today=TODAY)
    with pytest.raises(InvalidInput) as scheduled:
        schedule_hearing(
            case_of(REQUESTED),
            ScheduleHearing(notified_on=day, hearing_on=TODAY, place="听证室"),
            today=TODAY,
            calendar=CALENDAR,
            limits=LIMITS,
        )

    assert (waived.value.field, waived.value.rule) == ("waived_on", rule)
    assert (scheduled.value.field, scheduled.value.rule) == ("notified_on", rule)


def test_no_penalty_decided_late_names_the_special_rule_that_allows_it() -> None:
    late = date(2024, 6, 10)  # past the 90 days from opening on 2024-03-06
    command = DecideNoPenalty(
        decided_on=late, reason="当事人陈述申辩成立", special_rule="某规章第十条"
    )

    events = decide_no_penalty(case_of(heard()), command, today=late, limits=LIMITS)

    assert events == [
        NoPenaltyDecided(
            decided_on=late, reason="当事人陈述申辩成立", special_rule="某规章第十条"
        )
    ]


def test_a_penalty_decided_late_names_the_special_rule_that_allows_it() -> None:
    late = date(2024, 6, 10)  # past the 90 days from opening on 2024-03-06
    command = DecidePenalty(
        decided_on=late, served_on=late, fine=INTENDED_FINE, special_rule="某规章第十条"
    )

    events = decide_penalty(case_of(heard()), command, today=late, limits=LIMITS)

    assert events == [
        penalty_decided(
            decided_on=late,
            served_on=late,
            special_rule="某规章第十条",
            payment_deadline=deadline(late + timedelta(days=15)),
        )
    ]


def test_a_decision_and_a_payment_are_not_dated_in_the_future() -> None:
    tomorrow = TODAY + timedelta(days=1)
    decide = DecidePenalty(decided_on=tomorrow, served_on=tomorrow, fine=INTENDED_FINE)
    decide_none = DecideNoPenalty(decided_on=tomorrow, reason="当事人陈述申辩成立")
    pay = RecordFinePaid(paid_on=tomorrow, amount=INTENDED_FINE)

    with pytest.raises(InvalidInput) as decided_late:
        decide_penalty(case_of(heard()), decide, today=TODAY, limits=LIMITS)
    with pytest.raises(InvalidInput) as none_late:
        decide_no_penalty(case_of(heard()), decide_none, today=TODAY, limits=LIMITS)
    with pytest.raises(InvalidInput) as paid_late:
        record_fine_paid(case_of(decided()), pay, today=TODAY, limits=LIMITS)

    assert (decided_late.value.field, decided_late.value.rule) == (
        "decided_on",
        "not_in_future",
    )
    assert (none_late.value.field, none_late.value.rule) == (
        "decided_on",
        "not_in_future",
    )
    assert (paid_late.value.field, paid_late.value.rule) == ("paid_on", "not_in_future")


@pytest.mark.parametrize(
    ("requested_on", "rule"),
    [
        (TODAY + timedelta(days=1), "not_in_future"),
        (NOTIFIED_ON - timedelta(days=1), "not_before_notice"),
    ],
)
def test_a_hearing_is_asked_for_after_the_notice_and_not_in_the_future(
    requested_on: date, rule: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        request_hearing(
            case_of(noticed()), RequestHearing(requested_on=requested_on), today=TODAY
        )

    assert (refused.value.field, refused.value.rule) == ("requested_on", rule)


def test_a_notice_is_not_dated_in_the_future() -> None:
    command = IssueNoticeOfIntent(
        notified_on=TODAY + timedelta(days=1),
        facts="拖欠一名农民工四个月工资",
        reasons="经责令限期支付逾期未支付",
        basis="《保障农民工工资支付条例》第五十七条",
        intended_fine=INTENDED_FINE,
        has_hearing_right=True,
    )

    with pytest.raises(InvalidInput) as refused:
        issue_notice_of_intent(
            case_of(ordered()), command, today=TODAY, calendar=CALENDAR, limits=LIMITS
        )

    assert (refused.value.field, refused.value.rule) == ("notified_on", "not_in_future")


@pytest.mark.parametrize(
    ("fine", "surcharge"),
    [("1.50", "0.05"), ("3.50", "0.11"), ("0.50", "0.02")],
)
def test_a_half_cent_of_surcharge_is_rounded_up(fine: str, surcharge: str) -> None:
    # 3 % of 1.50 for a day is 0.045: halves go up (四舍五入), not to the even cent.
    assert late_surcharge(Decimal(fine), 1, LIMITS) == Decimal(surcharge)
