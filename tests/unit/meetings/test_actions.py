"""Action items: opened once from a decision or work plan; only the responsible unit
reports progress; the office accepts a task reported complete or sends it back; the
watcher flags a task past its due date, and each reporting period that ended with no
report, once, changing nothing when run early, late or twice."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from pydantic import ValidationError

from services.meetings.domain.action_item import ActionEvent
from services.meetings.domain.carrying_out import (
    AcceptActionItem,
    ActionOrigin,
    AssignActionItem,
    ReportProgress,
    SendBackActionItem,
    accept_action_item,
    assign_action_item,
    report_progress,
    send_back_action_item,
)
from services.meetings.domain.lifecycle import ActionStatus
from services.meetings.domain.overdue import (
    MarkActionItemOverdue,
    OpenDeadline,
    OverdueKind,
    mark_action_item_overdue,
    open_deadlines,
)
from shared.errors import InvalidInput, InvalidTransition, NotPermitted
from tests.unit.meetings.factories import (
    FIRST_PERIOD_END,
    HELD_ON,
    MEETING_ID,
    REPORT_EVERY,
    TASK,
    TASK_DUE,
    action_item_accepted,
    action_item_assigned,
    action_item_overdue,
    action_item_sent_back,
    action_of,
    assigned,
    awaiting_acceptance,
    completed,
    in_progress,
    progress_reported,
)

PAST_DUE = OverdueKind.PAST_DUE
MISSED = OverdueKind.MISSED_REPORT
ASSIGN = AssignActionItem(
    meeting_id=MEETING_ID,
    origin=ActionOrigin.DECISION,
    source_id="d1",
    unit_code="jsj",
    task=TASK.task,
    due=TASK_DUE,
    report_every_days=REPORT_EVERY,
    assigned_on=HELD_ON,
)
REPORT = ReportProgress(
    reported_on=date(2024, 4, 10), text="已督促12个在建项目开设专用账户"
)
TODAY = date(2024, 6, 20)
ACCEPT = AcceptActionItem(accepted_on=TODAY)
SEND_BACK = SendBackActionItem(sent_back_on=TODAY, reason="尚有两个项目未开户")
SECOND_PERIOD_END = date(2024, 5, 19)


def overdue(kind: OverdueKind, missed: date) -> MarkActionItemOverdue:
    return MarkActionItemOverdue(kind=kind, missed=missed)


def test_a_decisions_task_is_opened_as_an_action_item_once() -> None:
    events = assign_action_item(action_of([]), ASSIGN)

    assert events == [action_item_assigned()]
    item = action_of(events)
    assert (item.status, item.unit_code, item.due, item.report_every_days) == (
        ActionStatus.OPEN,
        "jsj",
        TASK_DUE,
        REPORT_EVERY,
    )
    with pytest.raises(InvalidTransition) as refused:
        assign_action_item(item, ASSIGN)
    assert refused.value.current == ActionStatus.OPEN


def test_a_reporting_period_is_at_least_a_day() -> None:
    with pytest.raises(ValidationError):
        ASSIGN.model_validate(ASSIGN.model_dump() | {"report_every_days": 0})


def test_the_responsible_unit_reports_progress() -> None:
    events = report_progress(action_of(assigned()), REPORT, today=TODAY, unit="jsj")

    assert events == [progress_reported()]
    item = action_of(assigned(), events)
    assert (item.status, item.last_reported_on) == (
        ActionStatus.IN_PROGRESS,
        date(2024, 4, 10),
    )


def test_a_report_of_completion_awaits_the_offices_acceptance() -> None:
    done = REPORT.model_copy(update={"is_complete": True, "document_ref": "东建函"})

    events = report_progress(action_of(in_progress()), done, today=TODAY, unit="jsj")

    assert events == [progress_reported(is_complete=True, document_ref="东建函")]
    assert action_of(in_progress(), events).status is ActionStatus.AWAITING_ACCEPTANCE


def test_only_the_responsible_unit_reports() -> None:
    with pytest.raises(NotPermitted) as refused:
        report_progress(action_of(assigned()), REPORT, today=TODAY, unit="rsj")

    assert "jsj" in refused.value.detail


@pytest.mark.parametrize(
    ("day", "rule"),
    [
        (date(2024, 3, 19), "not_before_assignment"),
        (date(2024, 6, 21), "not_in_future"),
    ],
)
def test_a_report_is_dated_from_the_assignment_to_today(day: date, rule: str) -> None:
    command = REPORT.model_copy(update={"reported_on": day})

    with pytest.raises(InvalidInput) as refused:
        report_progress(action_of(assigned()), command, today=TODAY, unit="jsj")

    assert (refused.value.field, refused.value.rule) == ("reported_on", rule)


@pytest.mark.parametrize("history", [awaiting_acceptance(), completed()])
def test_no_report_while_the_office_decides_or_once_done(
    history: list[ActionEvent],
) -> None:
    with pytest.raises(InvalidTransition) as refused:
        report_progress(action_of(history), REPORT, today=TODAY, unit="jsj")

    assert refused.value.current == action_of(history).status


def test_the_office_accepts_a_task_reported_complete() -> None:
    events = accept_action_item(action_of(awaiting_acceptance()), ACCEPT, today=TODAY)

    assert events == [action_item_accepted()]
    item = action_of(awaiting_acceptance(), events)
    assert (item.status, item.accepted_on) == (ActionStatus.COMPLETED, TODAY)


def test_the_office_sends_a_task_back_with_the_reason() -> None:
    events = send_back_action_item(
        action_of(awaiting_acceptance()), SEND_BACK, today=TODAY
    )

    assert events == [action_item_sent_back()]
    item = action_of(awaiting_acceptance(), events)
    assert (item.status, item.sent_back_reasons) == (
        ActionStatus.IN_PROGRESS,
        ("尚有两个项目未开户",),
    )
    assert report_progress(item, REPORT, today=TODAY, unit="jsj") != []


@pytest.mark.parametrize(
    ("day", "rule"),
    [(date(2024, 6, 13), "not_before_report"), (date(2024, 6, 21), "not_in_future")],
)
def test_acceptance_and_sending_back_are_dated_from_the_last_report_to_today(
    day: date, rule: str
) -> None:
    item = action_of(awaiting_acceptance())

    with pytest.raises(InvalidInput) as accepting:
        accept_action_item(item, AcceptActionItem(accepted_on=day), today=TODAY)
    with pytest.raises(InvalidInput) as sending_back:
        send_back_action_item(
            item, SEND_BACK.model_copy(update={"sent_back_on": day}), today=TODAY
        )

    assert (accepting.value.field, accepting.value.rule) == ("accepted_on", rule)
    assert (sending_back.value.field, sending_back.value.rule) == (
        "sent_back_on",
        rule,
    )


@pytest.mark.parametrize("history", [assigned(), in_progress(), completed()])
def test_only_a_task_reported_complete_is_accepted_or_sent_back(
    history: list[ActionEvent],
) -> None:
    item = action_of(history)

    with pytest.raises(InvalidTransition) as accepting:
        accept_action_item(item, ACCEPT, today=TODAY)
    with pytest.raises(InvalidTransition) as sending_back:
        send_back_action_item(item, SEND_BACK, today=TODAY)

    assert accepting.value.current == item.status
    assert sending_back.value.current == item.status


def test_the_watcher_flags_a_task_past_its_due_date_the_day_after() -> None:
    after = TASK_DUE + timedelta(days=1)
    item = action_of(in_progress())

    events = mark_action_item_overdue(item, overdue(PAST_DUE, TASK_DUE), today=after)

    assert events == [
        action_item_overdue(kind=PAST_DUE, missed=TASK_DUE, flagged_on=after)
    ]
    flagged = action_of(in_progress(), events)
    assert flagged.flagged_past_due
    assert flagged.is_overdue


def test_a_task_is_not_past_due_on_its_due_date() -> None:
    item = action_of(in_progress())

    assert (
        mark_action_item_overdue(item, overdue(PAST_DUE, TASK_DUE), today=TASK_DUE)
        == []
    )


def test_a_task_is_flagged_past_due_once() -> None:
    history = [*in_progress(), action_item_overdue(kind=PAST_DUE, missed=TASK_DUE)]

    events = mark_action_item_overdue(
        action_of(history), overdue(PAST_DUE, TASK_DUE), today=date(2024, 7, 30)
    )

    assert events == []


def test_past_due_is_flagged_for_the_items_due_date() -> None:
    with pytest.raises(InvalidInput) as refused:
        mark_action_item_overdue(
            action_of(in_progress()),
            overdue(PAST_DUE, date(2024, 6, 27)),
            today=date(2024, 7, 1),
        )

    assert (refused.value.field, refused.value.rule) == ("missed", "due_date")


@pytest.mark.parametrize("history", [[], awaiting_acceptance(), completed()])
@pytest.mark.parametrize(
    ("kind", "missed"), [(PAST_DUE, TASK_DUE), (MISSED, FIRST_PERIOD_END)]
)
def test_the_watcher_changes_nothing_unless_the_unit_owes_work(
    history: list[ActionEvent], kind: OverdueKind, missed: date
) -> None:
    events = mark_action_item_overdue(
        action_of(history), overdue(kind, missed), today=date(2024, 12, 31)
    )

    assert events == []


def test_a_reporting_period_with_no_report_is_flagged_the_day_after() -> None:
    day_after = FIRST_PERIOD_END + timedelta(days=1)

    events = mark_action_item_overdue(
        action_of(assigned()), overdue(MISSED, FIRST_PERIOD_END), today=day_after
    )

    assert events == [action_item_overdue(flagged_on=day_after)]
    item = action_of(assigned(), events)
    assert item.missed_reports == (FIRST_PERIOD_END,)
    assert item.is_overdue


def test_a_missed_report_is_not_flagged_on_the_periods_last_day() -> None:
    events = mark_action_item_overdue(
        action_of(assigned()), overdue(MISSED, FIRST_PERIOD_END), today=FIRST_PERIOD_END
    )

    assert events == []


@pytest.mark.parametrize(
    ("reported_on", "is_flagged"),
    [
        (date(2024, 3, 21), False),
        (FIRST_PERIOD_END, False),
        (HELD_ON, True),
        (date(2024, 4, 20), True),
    ],
)
def test_a_period_with_a_report_in_it_is_not_flagged(
    reported_on: date, is_flagged: bool
) -> None:
    history = [*assigned(), progress_reported(reported_on=reported_on)]

    events = mark_action_item_overdue(
        action_of(history), overdue(MISSED, FIRST_PERIOD_END), today=date(2024, 4, 25)
    )

    assert bool(events) is is_flagged


def test_a_missed_report_is_flagged_once() -> None:
    history = [*assigned(), action_item_overdue()]

    events = mark_action_item_overdue(
        action_of(history), overdue(MISSED, FIRST_PERIOD_END), today=date(2024, 5, 1)
    )

    assert events == []


def test_a_later_period_is_flagged_on_its_own() -> None:
    history = [*assigned(), action_item_overdue()]

    events = mark_action_item_overdue(
        action_of(history), overdue(MISSED, SECOND_PERIOD_END), today=date(2024, 5, 20)
    )

    assert events == [
        action_item_overdue(missed=SECOND_PERIOD_END, flagged_on=date(2024, 5, 20))
    ]


def test_a_report_is_missed_only_where_reports_are_required() -> None:
    history = assigned(report_every_days=None)

    with pytest.raises(InvalidInput) as refused:
        mark_action_item_overdue(
            action_of(history), overdue(MISSED, FIRST_PERIOD_END), today=TODAY
        )

    assert (refused.value.field, refused.value.rule) == ("kind", "reporting_required")


@pytest.mark.parametrize("missed", [HELD_ON, date(2024, 4, 18), date(2024, 4, 20)])
def test_a_report_is_missed_at_the_end_of_a_reporting_period(missed: date) -> None:
    with pytest.raises(InvalidInput) as refused:
        mark_action_item_overdue(
            action_of(assigned()), overdue(MISSED, missed), today=TODAY
        )

    assert (refused.value.field, refused.value.rule) == (
        "missed",
        "reporting_period_end",
    )


def test_a_unit_that_reports_after_a_missed_report_is_no_longer_behind() -> None:
    history = [
        *assigned(),
        action_item_overdue(),
        progress_reported(reported_on=date(2024, 4, 22)),
    ]

    assert not action_of(history).is_overdue
    assert action_of(history[:-1]).is_overdue


def test_a_task_done_is_not_overdue_whatever_was_flagged() -> None:
    history = [
        *in_progress(),
        action_item_overdue(kind=PAST_DUE, missed=TASK_DUE),
        progress_reported(reported_on=date(2024, 7, 2), is_complete=True),
    ]

    assert not action_of(history).is_overdue


def test_the_last_report_is_the_latest_dated_one() -> None:
    history = [
        *in_progress(),
        progress_reported(reported_on=date(2024, 3, 25), text="补报"),
    ]

    assert action_of(history).last_reported_on == date(2024, 4, 10)


def test_an_open_item_has_its_due_date_and_first_reporting_period_open() -> None:
    assert open_deadlines(action_of(assigned())) == (
        OpenDeadline(kind=PAST_DUE, due=TASK_DUE),
        OpenDeadline(kind=MISSED, due=FIRST_PERIOD_END),
    )


@pytest.mark.parametrize(
    ("later", "next_end"),
    [
        ([progress_reported()], SECOND_PERIOD_END),
        ([action_item_overdue()], SECOND_PERIOD_END),
        (
            [
                progress_reported(reported_on=date(2024, 5, 2)),
                action_item_overdue(),
            ],
            date(2024, 6, 18),
        ),
        ([progress_reported(reported_on=date(2024, 5, 2))], FIRST_PERIOD_END),
    ],
)
def test_the_open_reporting_period_is_the_first_with_neither_report_nor_flag(
    later: list[ActionEvent], next_end: date
) -> None:
    deadlines = open_deadlines(action_of(assigned(), later))

    assert OpenDeadline(kind=MISSED, due=next_end) in deadlines


def test_a_flagged_due_date_is_no_longer_open() -> None:
    history = [*assigned(), action_item_overdue(kind=PAST_DUE, missed=TASK_DUE)]

    assert [d.kind for d in open_deadlines(action_of(history))] == [MISSED]


def test_an_item_without_reporting_has_only_its_due_date_open() -> None:
    assert open_deadlines(action_of(assigned(report_every_days=None))) == (
        OpenDeadline(kind=PAST_DUE, due=TASK_DUE),
    )


@pytest.mark.parametrize("history", [[], awaiting_acceptance(), completed()])
def test_nothing_is_open_unless_the_unit_owes_work(
    history: list[ActionEvent],
) -> None:
    assert open_deadlines(action_of(history)) == ()


def test_reports_are_owed_until_the_due_date_and_no_period_after_it_is_flagged() -> (
    None
):
    monthly = assigned(report_every_days=30)  # due 2024-06-28, 100 days after
    after_due = HELD_ON + timedelta(days=120)

    flagged = mark_action_item_overdue(
        action_of(monthly),
        MarkActionItemOverdue(kind=MISSED, missed=after_due),
        today=after_due + timedelta(days=1),
    )
    flags = [
        action_item_overdue(missed=HELD_ON + timedelta(days=k)) for k in (30, 60, 90)
    ]

    assert flagged == []
    assert open_deadlines(action_of(monthly, flags)) == (
        OpenDeadline(kind=OverdueKind.PAST_DUE, due=HELD_ON + timedelta(days=100)),
    )


def test_a_new_item_is_not_overdue() -> None:
    assert not action_of([]).is_overdue


def test_the_open_period_is_found_after_many_flagged_and_reported_ones() -> None:
    daily = assigned(report_every_days=1, due=HELD_ON + timedelta(days=365))
    flags = [
        action_item_overdue(missed=HELD_ON + timedelta(days=k))
        for k in range(1, 200, 2)
    ]
    reports = [
        progress_reported(reported_on=HELD_ON + timedelta(days=k))
        for k in range(2, 200, 2)
    ]

    deadlines = open_deadlines(action_of(daily, flags, reports))

    assert OpenDeadline(kind=MISSED, due=HELD_ON + timedelta(days=200)) in deadlines
