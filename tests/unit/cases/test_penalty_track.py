"""The penalty track beside the order to pay: given a case, when the office notifies an
intended penalty, records the employer's hearing, decides the penalty and records the
fine, then events or a refusal (行政处罚法 arts. 44–45, 60, 62–67, 72, 85; rules.md
§3.4.1 item 11, §4.1)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.cases.domain.case import CASE, CaseEvent
from services.cases.domain.escalation import (
    DeadlineMissed,
    RecordDeadlineMissed,
    record_deadline_missed,
)
from services.cases.domain.investigation import (
    CancelCase,
    CaseClosed,
    CloseCase,
    cancel_case,
    close_case,
)
from services.cases.domain.penalty import (
    IssueNoticeOfIntent,
    NoticeOfIntentIssued,
    issue_notice_of_intent,
)
from services.cases.domain.penalty_decision import (
    ApplyFineEnforcement,
    DecideNoPenalty,
    DecidePenalty,
    FinePaid,
    NoPenaltyDecided,
    PenaltyDecided,
    RecordFinePaid,
    apply_fine_enforcement,
    decide_no_penalty,
    decide_penalty,
    record_fine_paid,
)
from services.cases.domain.penalty_hearing import (
    HearingHeld,
    HearingRequested,
    HearingScheduled,
    HearingWaived,
    RecordHearing,
    RequestHearing,
    ScheduleHearing,
    WaiveHearing,
    record_hearing,
    request_hearing,
    schedule_hearing,
    waive_hearing,
)
from services.cases.domain.referral import (
    ProposeReferral,
    ReferralProposed,
    propose_referral,
)
from services.cases.domain.state import (
    CaseOutcome,
    CaseStatus,
    DeadlineKind,
    OpenDeadline,
    PenaltyStatus,
    open_deadlines,
)
from shared.calendar import WorkingCalendar
from shared.errors import InvalidInput, InvalidTransition, RuleViolated
from tests.unit.cases.factories import (
    ACCEPTED_ON,
    CALENDAR,
    DECIDED_ON,
    FINE_DUE,
    HEARING_ON,
    HEARING_REQUEST_BY,
    INTENDED_FINE,
    LIMITS,
    NOTIFIED_ON,
    PAY_BY,
    TODAY,
    arrears_cleared,
    case_accepted,
    case_closed,
    case_of,
    deadline,
    decided,
    fine_enforcement_applied,
    fine_paid,
    heard,
    hearing_requested,
    hearing_scheduled,
    hearing_waived,
    investigating,
    notice_of_intent_issued,
    noticed,
    ordered,
    payment_recorded,
    penalty_decided,
    received,
    referral_proposed,
)

STATUTORY = WorkingCalendar()

NOTICE = IssueNoticeOfIntent(
    notified_on=NOTIFIED_ON,
    facts="拖欠一名农民工四个月工资",
    reasons="经责令限期支付逾期未支付",
    basis="《保障农民工工资支付条例》第五十七条",
    intended_fine=INTENDED_FINE,
    has_hearing_right=True,
)
REQUESTED = [*noticed(), hearing_requested()]
SCHEDULED = [*REQUESTED, hearing_scheduled()]
AFTER_WINDOW = HEARING_REQUEST_BY + timedelta(days=1)


def notify(history: Sequence[CaseEvent], **changes: object) -> list[CaseEvent]:
    command = NOTICE.model_copy(update=changes)
    return list(
        issue_notice_of_intent(
            case_of(history), command, today=TODAY, calendar=CALENDAR, limits=LIMITS
        )
    )


def decide(
    history: Sequence[CaseEvent], *, on: date = DECIDED_ON, **changes: object
) -> list[CaseEvent]:
    command = DecidePenalty(decided_on=on, served_on=on, fine=INTENDED_FINE)
    return list(
        decide_penalty(
            case_of(history),
            command.model_copy(update=changes),
            today=max(on, TODAY),
            limits=LIMITS,
        )
    )


def pay_fine(
    history: Sequence[CaseEvent], *, on: date, amount: Decimal = INTENDED_FINE
) -> list[CaseEvent]:
    command = RecordFinePaid(paid_on=on, amount=amount)
    return list(
        record_fine_paid(
            case_of(history), command, today=on + timedelta(days=1), limits=LIMITS
        )
    )


# The notice


def test_a_notice_with_a_hearing_right_gives_five_working_days_to_ask() -> None:
    events = notify(ordered())

    assert events == [notice_of_intent_issued()]
    case = case_of(ordered(), events)
    assert case.penalty is PenaltyStatus.NOTICE_OF_INTENT
    assert case.status is CaseStatus.ORDERED_TO_PAY
    assert {
        OpenDeadline(kind=DeadlineKind.HEARING_REQUEST, due=HEARING_REQUEST_BY),
        OpenDeadline(kind=DeadlineKind.PENALTY_DECISION, due=date(2024, 6, 4)),
    } <= set(open_deadlines(case))


def test_a_notice_without_a_hearing_right_opens_no_hearing_window() -> None:
    events = notify(ordered(), has_hearing_right=False)

    assert events == [notice_of_intent_issued(has_hearing_right=False)]
    assert case_of(ordered(), events).deadline(DeadlineKind.HEARING_REQUEST) is None


@pytest.mark.parametrize(
    "history",
    [received(), [*ordered(), arrears_cleared(), case_closed()]],
    ids=["received", "closed"],
)
def test_only_an_opened_case_not_closed_gets_a_notice(
    history: list[CaseEvent],
) -> None:
    with pytest.raises(InvalidTransition) as refused:
        notify(history)

    assert refused.value.current in (CaseStatus.RECEIVED, CaseStatus.CLOSED)


def test_a_case_gets_one_notice() -> None:
    with pytest.raises(InvalidTransition) as refused:
        notify(noticed())

    assert refused.value.current == PenaltyStatus.NOTICE_OF_INTENT
    assert refused.value.allowed == (
        RequestHearing,
        WaiveHearing,
        DecidePenalty,
        DecideNoPenalty,
    )
    assert "penalty proceedings are at notice_of_intent" in str(refused.value)


def test_a_notice_is_not_dated_in_the_future() -> None:
    with pytest.raises(InvalidInput) as refused:
        notify(ordered(), notified_on=TODAY + timedelta(days=1))

    assert refused.value.rule == "not_in_future"


# The hearing


def test_a_hearing_asked_for_in_time_ends_the_window() -> None:
    events = request_hearing(
        case_of(noticed()), RequestHearing(requested_on=HEARING_REQUEST_BY), today=TODAY
    )

    assert events == [HearingRequested(requested_on=HEARING_REQUEST_BY)]
    case = case_of(noticed(), events)
    assert case.penalty is PenaltyStatus.HEARING_REQUESTED
    assert case.deadline(DeadlineKind.HEARING_REQUEST) is None


def test_a_hearing_asked_for_after_five_working_days_is_too_late() -> None:
    with pytest.raises(RuleViolated) as refused:
        request_hearing(
            case_of(noticed()), RequestHearing(requested_on=AFTER_WINDOW), today=TODAY
        )

    assert refused.value.code == "hearing-request-too-late"


def test_a_request_made_in_time_may_be_recorded_after_the_watcher_closed_it() -> None:
    lapsed = [
        *noticed(),
        DeadlineMissed(
            kind=DeadlineKind.HEARING_REQUEST,
            due=HEARING_REQUEST_BY,
            detected_on=AFTER_WINDOW,
        ),
    ]

    events = request_hearing(
        case_of(lapsed), RequestHearing(requested_on=date(2024, 4, 19)), today=TODAY
    )

    assert events == [HearingRequested(requested_on=date(2024, 4, 19))]


def test_no_hearing_is_asked_for_when_the_notice_gave_no_right() -> None:
    history = noticed(has_hearing_right=False)

    with pytest.raises(RuleViolated) as refused:
        request_hearing(
            case_of(history), RequestHearing(requested_on=NOTIFIED_ON), today=TODAY
        )
    with pytest.raises(RuleViolated) as waived:
        waive_hearing(
            case_of(history), WaiveHearing(waived_on=NOTIFIED_ON), today=TODAY
        )

    assert refused.value.code == waived.value.code == "no-hearing-right"


def test_a_hearing_is_not_asked_for_before_the_notice() -> None:
    with pytest.raises(InvalidInput) as refused:
        request_hearing(
            case_of(noticed()),
            RequestHearing(requested_on=NOTIFIED_ON - timedelta(days=1)),
            today=TODAY,
        )

    assert refused.value.rule == "not_before_notice"


def test_a_waived_hearing_ends_the_window() -> None:
    events = waive_hearing(
        case_of(noticed()),
        WaiveHearing(waived_on=date(2024, 4, 16), note="书面放弃"),
        today=TODAY,
    )

    assert events == [hearing_waived()]
    case = case_of(noticed(), events)
    assert case.penalty is PenaltyStatus.HEARING_WAIVED
    assert case.deadline(DeadlineKind.HEARING_REQUEST) is None


def schedule(
    history: Sequence[CaseEvent], notified_on: date, hearing_on: date
) -> list[CaseEvent]:
    command = ScheduleHearing(
        notified_on=notified_on, hearing_on=hearing_on, place="区人社局听证室"
    )
    return list(
        schedule_hearing(
            case_of(history), command, today=TODAY, calendar=CALENDAR, limits=LIMITS
        )
    )


def test_a_hearing_is_notified_seven_working_days_ahead() -> None:
    events = schedule(REQUESTED, date(2024, 4, 18), HEARING_ON)

    assert events == [hearing_scheduled()]
    case = case_of(REQUESTED, events)
    assert case.penalty is PenaltyStatus.HEARING_SCHEDULED
    assert case.penalty_proceedings is not None
    assert case.penalty_proceedings.hearing_on == HEARING_ON


def test_a_hearing_notified_less_than_seven_working_days_ahead_is_refused() -> None:
    with pytest.raises(RuleViolated) as refused:
        schedule(REQUESTED, date(2024, 4, 18), HEARING_ON - timedelta(days=1))

    assert refused.value.code == "hearing-notice-too-short"


def test_a_scheduled_hearing_may_be_put_off() -> None:
    later = date(2024, 5, 20)

    events = schedule(SCHEDULED, date(2024, 5, 6), later)

    assert events == [
        HearingScheduled(
            notified_on=date(2024, 5, 6), hearing_on=later, place="区人社局听证室"
        )
    ]


def test_no_hearing_is_scheduled_unless_asked_for() -> None:
    with pytest.raises(InvalidTransition) as refused:
        schedule(noticed(), date(2024, 4, 18), HEARING_ON)

    assert refused.value.current == PenaltyStatus.NOTICE_OF_INTENT


def test_a_hearing_held_on_its_day_is_recorded() -> None:
    events = record_hearing(
        case_of(SCHEDULED),
        RecordHearing(heard_on=HEARING_ON, summary="当事人陈述申辩"),
        today=TODAY,
    )

    assert events == [HearingHeld(heard_on=HEARING_ON, summary="当事人陈述申辩")]
    assert case_of(SCHEDULED, events).penalty is PenaltyStatus.HEARD


def test_a_hearing_is_not_held_before_its_day() -> None:
    with pytest.raises(InvalidInput) as refused:
        record_hearing(
            case_of(SCHEDULED),
            RecordHearing(heard_on=HEARING_ON - timedelta(days=1), summary="提前"),
            today=TODAY,
        )

    assert refused.value.rule == "not_before_hearing_day"


# The decision


def test_a_penalty_decided_after_the_hearing_is_due_fifteen_days_after_service() -> (
    None
):
    events = decide(heard())

    assert events == [penalty_decided()]
    case = case_of(heard(), events)
    assert case.penalty is PenaltyStatus.DECIDED
    assert OpenDeadline(kind=DeadlineKind.FINE_PAYMENT, due=FINE_DUE) in open_deadlines(
        case
    )
    assert case.deadline(DeadlineKind.PENALTY_DECISION) is None


def test_no_decision_while_the_employer_may_still_ask_for_a_hearing() -> None:
    with pytest.raises(RuleViolated) as refused:
        decide(noticed(), on=HEARING_REQUEST_BY)

    assert refused.value.code == "hearing-request-window-open"


@pytest.mark.parametrize(
    ("history", "on"),
    [
        (noticed(), AFTER_WINDOW),
        ([*noticed(), hearing_waived()], date(2024, 4, 16)),
        (noticed(has_hearing_right=False), NOTIFIED_ON),
    ],
    ids=["window-closed", "waived", "no-hearing-right"],
)
def test_a_penalty_is_decided_once_no_hearing_can_be_asked_for(
    history: list[CaseEvent], on: date
) -> None:
    events = decide(history, on=on)

    assert [type(e) for e in events] == [PenaltyDecided]


@pytest.mark.parametrize("history", [REQUESTED, SCHEDULED], ids=["asked", "scheduled"])
def test_no_decision_before_a_requested_hearing_was_held(
    history: list[CaseEvent],
) -> None:
    with pytest.raises(RuleViolated) as refused:
        decide(history)

    assert refused.value.code == "hearing-not-held"


def test_the_defence_does_not_make_the_fine_heavier_than_the_notice() -> None:
    with pytest.raises(RuleViolated) as refused:
        decide(heard(), fine=INTENDED_FINE + Decimal("0.01"))

    assert refused.value.code == "fine-above-notice"
    assert decide(heard(), fine=Decimal("15000.00")) == [
        penalty_decided(fine=Decimal("15000.00"))
    ]


def test_a_penalty_past_ninety_days_from_opening_needs_a_special_rule() -> None:
    late = ACCEPTED_ON + timedelta(days=91)
    history = noticed(has_hearing_right=False)

    with pytest.raises(RuleViolated) as refused:
        decide(history, on=late)
    events = decide(history, on=late, special_rule="《某规章》第十条")

    assert refused.value.code == "penalty-decision-late"
    assert [type(e) for e in events] == [PenaltyDecided]


@pytest.mark.parametrize(
    ("served_on", "rule"),
    [
        (DECIDED_ON - timedelta(days=1), "not_before_decision"),
        (date(2099, 1, 4), "not_in_future"),
    ],
    ids=["before", "future"],
)
def test_a_decision_is_served_on_or_after_its_day_and_not_in_the_future(
    served_on: date, rule: str
) -> None:
    # Given a held hearing, when the decision is served before its day or in 2099,
    # then the service date is refused.
    with pytest.raises(InvalidInput) as refused:
        decide(heard(), served_on=served_on)

    assert (refused.value.field, refused.value.rule) == ("served_on", rule)


def test_without_a_hearing_right_no_decision_precedes_the_notice() -> None:
    # Given a notice without a hearing right on 04-15, when the penalty is decided on
    # 04-14, then the decision's date is refused (art. 62).
    history = noticed(has_hearing_right=False)

    with pytest.raises(InvalidInput) as refused:
        decide(history, on=NOTIFIED_ON - timedelta(days=1))

    assert (refused.value.field, refused.value.rule) == (
        "decided_on",
        "not_before_notice",
    )
    assert [type(e) for e in decide(history, on=NOTIFIED_ON)] == [PenaltyDecided]


def test_no_decision_precedes_the_hearing_held() -> None:
    with pytest.raises(InvalidInput) as refused:
        decide(heard(), on=HEARING_ON - timedelta(days=1))

    assert (refused.value.field, refused.value.rule) == (
        "decided_on",
        "not_before_hearing",
    )
    assert case_of(heard()).penalty_proceedings.heard_on == HEARING_ON  # type: ignore[union-attr]


def test_no_decision_precedes_the_waiver() -> None:
    # Given a hearing waived on 04-20 (inside its window), when the penalty is
    # decided on 04-19, then the decision's date is refused.
    waived = [*noticed(), hearing_waived(waived_on=date(2024, 4, 20))]

    with pytest.raises(InvalidInput) as refused:
        decide(waived, on=date(2024, 4, 19))

    assert (refused.value.field, refused.value.rule) == (
        "decided_on",
        "not_before_waiver",
    )
    assert [type(e) for e in decide(waived, on=date(2024, 4, 20))] == [PenaltyDecided]


def test_a_notice_is_not_dated_before_the_case_was_opened() -> None:
    with pytest.raises(InvalidInput) as refused:
        notify(ordered(), notified_on=ACCEPTED_ON - timedelta(days=1))

    assert (refused.value.field, refused.value.rule) == (
        "notified_on",
        "not_before_acceptance",
    )
    assert [type(e) for e in notify(ordered(), notified_on=ACCEPTED_ON)] == [
        NoticeOfIntentIssued
    ]


def test_a_fine_is_not_paid_before_the_decision_was_served() -> None:
    served = decided(served_on=DECIDED_ON + timedelta(days=2))

    with pytest.raises(InvalidInput) as refused:
        pay_fine(served, on=DECIDED_ON + timedelta(days=1))

    assert (refused.value.field, refused.value.rule) == (
        "paid_on",
        "not_before_service",
    )
    assert [type(e) for e in pay_fine(served, on=DECIDED_ON + timedelta(days=2))] == [
        FinePaid
    ]


def test_no_decision_without_a_notice() -> None:
    with pytest.raises(InvalidTransition) as refused:
        decide(ordered())

    assert refused.value.current == PenaltyStatus.NONE


# The fine


def test_a_fine_paid_in_time_owes_no_surcharge() -> None:
    events = pay_fine(decided(), on=date(2024, 5, 10))

    assert events == [fine_paid()]
    case = case_of(decided(), events)
    assert case.penalty is PenaltyStatus.FINE_PAID
    assert case.deadline(DeadlineKind.FINE_PAYMENT) is None


def test_a_fine_paid_ten_days_late_owes_thirty_percent_more() -> None:
    events = pay_fine(decided(), on=FINE_DUE + timedelta(days=10))

    assert events == [
        FinePaid(
            paid_on=FINE_DUE + timedelta(days=10),
            amount=INTENDED_FINE,
            days_late=10,
            surcharge_due=Decimal("6000.00"),
        )
    ]


def test_the_late_surcharge_is_never_above_the_fine() -> None:
    events = pay_fine(decided(), on=FINE_DUE + timedelta(days=50))

    assert isinstance(events[0], FinePaid)
    assert events[0].surcharge_due == INTENDED_FINE


def test_a_fine_is_paid_in_full() -> None:
    with pytest.raises(RuleViolated) as refused:
        pay_fine(decided(), on=FINE_DUE, amount=INTENDED_FINE - Decimal("0.01"))

    assert refused.value.code == "fine-not-paid-in-full"


def test_an_unpaid_fine_goes_to_court_only_after_its_fifteen_days() -> None:
    case = case_of(decided())

    with pytest.raises(RuleViolated) as refused:
        apply_fine_enforcement(
            case, ApplyFineEnforcement(applied_on=FINE_DUE), today=FINE_DUE
        )
    events = apply_fine_enforcement(
        case,
        ApplyFineEnforcement(applied_on=date(2024, 5, 20)),
        today=date(2024, 5, 20),
    )

    assert refused.value.code == "fine-not-yet-due"
    assert events == [fine_enforcement_applied()]
    assert case_of(decided(), events).penalty is PenaltyStatus.COURT_ENFORCEMENT


def test_a_fine_sent_to_court_may_still_be_paid() -> None:
    history = [*decided(), fine_enforcement_applied()]

    events = pay_fine(history, on=date(2024, 5, 21))

    assert [type(e) for e in events] == [FinePaid]


# Beside the other tracks


def test_a_referral_is_proposed_while_a_penalty_runs() -> None:
    # An administrative penalty must not replace the transfer (310号令 art. 11).
    events = propose_referral(
        case_of(decided()),
        ProposeReferral(proposed_on=TODAY, grounds="拒不支付劳动报酬"),
        today=TODAY,
        limits=LIMITS,
    )

    assert [type(e) for e in events] == [ReferralProposed]


def test_a_penalty_is_decided_while_a_referral_waits_on_the_police() -> None:
    history = [*heard(), referral_proposed()]

    assert [type(e) for e in decide(history)] == [PenaltyDecided]


def test_a_paid_case_is_not_closed_while_its_fine_is_unpaid() -> None:
    with pytest.raises(RuleViolated) as refused:
        close_case(
            case_of(decided(), [arrears_cleared()]),
            CloseCase(closed_on=TODAY),
            today=TODAY,
        )

    assert refused.value.code == "fine-unpaid"


def test_a_paid_case_is_not_closed_while_its_penalty_is_undecided() -> None:
    with pytest.raises(RuleViolated) as refused:
        close_case(
            case_of(noticed(), [arrears_cleared()]),
            CloseCase(closed_on=TODAY),
            today=TODAY,
        )

    assert refused.value.code == "penalty-pending"


@pytest.mark.parametrize(
    "settled", [fine_paid(), fine_enforcement_applied()], ids=["paid", "court"]
)
def test_a_paid_case_is_closed_once_its_fine_is_paid_or_sent_to_court(
    settled: CaseEvent,
) -> None:
    history = [*decided(), settled, arrears_cleared()]

    events = close_case(case_of(history), CloseCase(closed_on=TODAY), today=TODAY)

    assert events == [CaseClosed(closed_on=TODAY, outcome=CaseOutcome.PAID)]


# No penalty after the defence (不予行政处罚)


def decide_none(
    history: Sequence[CaseEvent], *, on: date = DECIDED_ON, **changes: object
) -> list[CaseEvent]:
    command = DecideNoPenalty(decided_on=on, reason="当事人陈述申辩成立")
    return list(
        decide_no_penalty(
            case_of(history),
            command.model_copy(update=changes),
            today=max(on, TODAY),
            limits=LIMITS,
        )
    )


def test_no_penalty_after_the_hearing_ends_the_track_and_its_ninety_days() -> None:
    events = decide_none(heard())

    assert events == [
        NoPenaltyDecided(
            decided_on=DECIDED_ON, reason="当事人陈述申辩成立", special_rule=None
        )
    ]
    case = case_of(heard(), events)
    assert case.penalty is PenaltyStatus.NO_PENALTY
    assert case.deadline(DeadlineKind.PENALTY_DECISION) is None


@pytest.mark.parametrize(
    ("start", "ended"),
    [(ordered, CaseStatus.CLOSED), (investigating, CaseStatus.CANCELLED)],
    ids=["close", "cancel"],
)
def test_a_case_without_a_penalty_may_be_closed_or_cancelled(
    start: Callable[[], list[CaseEvent]], ended: CaseStatus
) -> None:
    # Given a case noticed, its arrears paid, and no penalty decided after the
    # defence, when it is closed (ordered, now paid) or cancelled (corrected during
    # the investigation), then it ends (rules.md §3.4.1 item 14).
    history = [
        *start(),
        notice_of_intent_issued(has_hearing_right=False),
        payment_recorded(amount=Decimal("12000.00")),
        arrears_cleared(),
    ]
    history += decide_none(history)
    case = case_of(history)

    if case.status is CaseStatus.PAID:
        events = close_case(case, CloseCase(closed_on=TODAY), today=TODAY)
    else:
        events = cancel_case(
            case, CancelCase(cancelled_on=TODAY, reason="已改正"), today=TODAY
        )
    assert case_of(history, events).status is ended


def test_no_penalty_is_decided_while_the_hearing_window_is_open_or_unheld() -> None:
    with pytest.raises(RuleViolated) as window:
        decide_none(noticed(), on=HEARING_REQUEST_BY)
    with pytest.raises(RuleViolated) as unheld:
        decide_none(SCHEDULED)

    assert (window.value.code, unheld.value.code) == (
        "hearing-request-window-open",
        "hearing-not-held",
    )


def test_no_penalty_is_decided_before_the_hearing_or_past_ninety_days() -> None:
    with pytest.raises(InvalidInput) as early:
        decide_none(heard(), on=HEARING_ON - timedelta(days=1))
    with pytest.raises(RuleViolated) as late:
        decide_none(heard(), on=ACCEPTED_ON + timedelta(days=91))

    assert early.value.rule == "not_before_hearing"
    assert late.value.code == "penalty-decision-late"
    assert decide_none(
        heard(), on=ACCEPTED_ON + timedelta(days=91), special_rule="某规章"
    )


def test_no_penalty_is_decided_once_a_penalty_was() -> None:
    with pytest.raises(InvalidTransition) as refused:
        decide_none(decided())

    assert refused.value.current == PenaltyStatus.DECIDED


def test_a_case_under_penalty_proceedings_is_not_cancelled() -> None:
    history = [
        *investigating(),
        notice_of_intent_issued(),
        payment_recorded(amount=Decimal("12000.00")),
    ]

    with pytest.raises(RuleViolated) as refused:
        cancel_case(
            case_of(history),
            CancelCase(cancelled_on=TODAY, reason="已改正"),
            today=TODAY,
        )

    assert refused.value.code == "penalty-pending"


# The deadline watcher


def missed(
    history: Sequence[CaseEvent], kind: DeadlineKind, due: date
) -> list[CaseEvent]:
    return list(
        record_deadline_missed(
            case_of(history),
            RecordDeadlineMissed(kind=kind, due=due),
            today=TODAY,
            limits=LIMITS,
            case_id="2024-000123",
        )
    )


def test_a_lapsed_hearing_window_is_recorded_and_leaves_nothing_overdue() -> None:
    events = missed(noticed(), DeadlineKind.HEARING_REQUEST, HEARING_REQUEST_BY)

    assert events == [
        DeadlineMissed(
            kind=DeadlineKind.HEARING_REQUEST, due=HEARING_REQUEST_BY, detected_on=TODAY
        )
    ]
    case = case_of(noticed(), events)
    assert case.deadline(DeadlineKind.HEARING_REQUEST) is None
    assert case.status is CaseStatus.ORDERED_TO_PAY


def test_a_deadline_missed_before_the_penalty_kinds_still_loads() -> None:
    data = {"kind": "payment_order", "due": "2024-04-12", "detected_on": "2024-04-13"}

    event = CASE.decode("DeadlineMissed", 1, data)

    assert event == DeadlineMissed(
        kind=DeadlineKind.PAYMENT_ORDER, due=PAY_BY, detected_on=date(2024, 4, 13)
    )


def test_an_unpaid_fine_past_its_days_stays_overdue() -> None:
    history = decided(payment_deadline=deadline(date(2024, 5, 1)))

    events = missed(history, DeadlineKind.FINE_PAYMENT, date(2024, 5, 1))

    case = case_of(history, events)
    running = case.deadline(DeadlineKind.FINE_PAYMENT)
    assert running is not None
    assert case.is_missed(running)


def test_a_decision_past_its_ninety_days_is_recorded_as_missed() -> None:
    history = noticed(decision_deadline=deadline(date(2024, 5, 1)))

    events = missed(history, DeadlineKind.PENALTY_DECISION, date(2024, 5, 1))

    assert [type(e) for e in events] == [DeadlineMissed]


# Working-day windows, on the statutory calendar with its holidays


def _working_days_strictly_between(start: date, end: date) -> int:
    days = (start + timedelta(days=n) for n in range(1, (end - start).days))
    return sum(STATUTORY.is_working_day(day) for day in days)


_DAYS_IN_2024 = st.dates(min_value=date(2024, 1, 2), max_value=date(2024, 11, 30))


@given(_DAYS_IN_2024, st.integers(0, 20))
def test_a_hearing_is_asked_for_until_the_fifth_working_day_after_the_notice(
    notified_on: date, after: int
) -> None:
    requested_on = notified_on + timedelta(days=after)
    history = [*_opened_on_2_january(), *notify_on(notified_on)]
    today = date(2024, 12, 31)

    try:
        request_hearing(
            case_of(history), RequestHearing(requested_on=requested_on), today=today
        )
        taken = True
    except RuleViolated:
        taken = False

    # Late once five whole working days passed before the day of the request.
    assert taken is (_working_days_strictly_between(notified_on, requested_on) < 5)


def _opened_on_2_january() -> list[CaseEvent]:
    day = date(2024, 1, 2)
    return [*received(received_on=day), case_accepted(accepted_on=day)]


def notify_on(notified_on: date) -> list[CaseEvent]:
    command = NOTICE.model_copy(update={"notified_on": notified_on})
    case = case_of(_opened_on_2_january())
    return list(
        issue_notice_of_intent(
            case, command, today=notified_on, calendar=STATUTORY, limits=LIMITS
        )
    )


@given(_DAYS_IN_2024, st.integers(1, 25))
def test_a_hearing_is_held_seven_working_days_after_its_notification_or_later(
    notified_on: date, after: int
) -> None:
    hearing_on = notified_on + timedelta(days=after)
    command = ScheduleHearing(
        notified_on=notified_on, hearing_on=hearing_on, place="听证室"
    )
    history = [
        *investigating(received_on=date(2024, 1, 2)),
        notice_of_intent_issued(notified_on=date(2024, 1, 2)),
        HearingRequested(requested_on=date(2024, 1, 3)),
    ]

    try:
        schedule_hearing(
            case_of(history),
            command,
            today=date(2024, 12, 31),
            calendar=STATUTORY,
            limits=LIMITS,
        )
        taken = True
    except RuleViolated:
        taken = False

    days = _working_days_strictly_between(notified_on, hearing_on + timedelta(days=1))
    assert taken is (days >= 7)


@given(st.integers(0, 60), st.decimals(min_value=1, max_value=200_000, places=2))
def test_the_late_surcharge_is_three_percent_a_day_and_never_above_the_fine(
    days_late: int, fine: Decimal
) -> None:
    history = decided(fine=fine)
    on = FINE_DUE + timedelta(days=days_late)

    events = pay_fine(history, on=on, amount=fine)

    assert isinstance(events[0], FinePaid)
    surcharge = events[0].surcharge_due
    # Rounded to the cent, halves up (四舍五入).
    expected = min(fine, fine * Decimal("0.03") * days_late)
    assert surcharge == expected.quantize(Decimal("0.01"), ROUND_HALF_UP)
    assert Decimal(0) <= surcharge <= fine


@given(st.integers(0, 200))
def test_a_penalty_is_decided_within_ninety_calendar_days_of_opening(
    days: int,
) -> None:
    on = ACCEPTED_ON + timedelta(days=days)
    history = noticed(notified_on=ACCEPTED_ON, has_hearing_right=False)

    try:
        decide(history, on=on)
        taken = True
    except RuleViolated:
        taken = False

    assert taken is (days <= 90)


def test_a_hearing_may_be_waived_only_once_noticed() -> None:
    with pytest.raises(InvalidTransition):
        waive_hearing(case_of(ordered()), WaiveHearing(waived_on=TODAY), today=TODAY)
    assert waive_hearing(
        case_of(noticed()), WaiveHearing(waived_on=TODAY), today=TODAY
    ) == [HearingWaived(waived_on=TODAY, note="")]
