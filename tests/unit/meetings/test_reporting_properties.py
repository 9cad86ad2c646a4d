"""Reporting periods over any report dates and watcher runs: a reporting period is
flagged at most once, never when it had a report nor after the due date, and the
watcher, run on any days and as often as it likes, flags every period up to the due
date that ended with no report, in order, so the open period is always after every
flagged one."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from services.meetings.domain.action_item import ACTION, ActionEvent, ActionItem
from services.meetings.domain.carrying_out import ProgressReported
from services.meetings.domain.overdue import (
    ActionItemOverdue,
    MarkActionItemOverdue,
    OverdueKind,
    mark_action_item_overdue,
    open_deadlines,
)
from shared.domain import replay
from tests.unit.meetings.factories import action_item_assigned, action_of

assigned_days = st.dates(min_value=date(2023, 1, 1), max_value=date(2026, 12, 31))
periods = st.integers(min_value=1, max_value=20)
Step = tuple[int, str]
steps = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=150), st.sampled_from(["report", "watch"])
    ),
    max_size=30,
).map(lambda s: sorted(s, key=lambda step: step[0]))


def reported(on: date) -> ProgressReported:
    return ProgressReported(
        reported_on=on, text="进展", document_ref=None, is_complete=False
    )


def has_report_in(item: ActionItem, end: date, every: int) -> bool:
    return any(end - timedelta(days=every) < r.reported_on <= end for r in item.reports)


def period_end(assigned_on: date, every: int, k: int) -> date:
    return assigned_on + timedelta(days=k * every)


def watch(item: ActionItem, today: date) -> list[ActionEvent]:
    """The watcher's run on one day: every open deadline whose day passed, until none
    is left; each command run twice, as two watchers would."""
    flagged: list[ActionEvent] = []
    while True:
        passed = [d for d in open_deadlines(item) if today > d.due]
        if not passed:
            return flagged
        command = MarkActionItemOverdue(kind=passed[0].kind, missed=passed[0].due)
        events = mark_action_item_overdue(item, command, today=today)
        # An open deadline whose day passed is always flagged, so the run ends.
        assert len(events) == 1
        item = ACTION.evolve(item, events[0])
        assert mark_action_item_overdue(item, command, today=today) == []
        flagged += events


def assert_flags_are_sound(item: ActionItem, assigned_on: date, every: int) -> None:
    assert len(set(item.missed_reports)) == len(item.missed_reports)
    for missed in item.missed_reports:
        assert (missed - assigned_on).days % every == 0
        assert missed > assigned_on
        assert item.due is None or missed <= item.due
        assert not has_report_in(item, missed, every)


# A step replays only the item's own events, yet a long run flags many periods.
@settings(deadline=None)
@given(assigned_days, periods, steps)
def test_the_watcher_flags_each_period_with_no_report_once_and_in_order(
    assigned_on: date, every: int, plan: list[Step]
) -> None:
    item = ACTION.evolve(
        ActionItem(),
        action_item_assigned(
            assigned_on=assigned_on,
            due=assigned_on + timedelta(days=60),
            report_every_days=every,
        ),
    )
    last_watch: date | None = None
    for offset, what in plan:
        today = assigned_on + timedelta(days=offset)
        if what == "report":
            item = ACTION.evolve(item, reported(today))
        else:
            item = replay(ACTION.evolve, item, watch(item, today))
            last_watch = today

    assert_flags_are_sound(item, assigned_on, every)
    open_periods = [
        d.due for d in open_deadlines(item) if d.kind is not OverdueKind.PAST_DUE
    ]
    due = assigned_on + timedelta(days=60)
    assert len(open_periods) <= 1
    for open_period in open_periods:
        assert (open_period - assigned_on).days % every == 0
        assert open_period <= due
        assert all(open_period > missed for missed in item.missed_reports)
    if last_watch is not None:
        k = 1
        while (end := period_end(assigned_on, every, k)) < last_watch and end <= due:
            assert end in item.missed_reports or has_report_in(item, end, every)
            k += 1


@given(
    assigned_days,
    periods,
    st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=150),
            st.one_of(st.none(), st.integers(min_value=1, max_value=12)),
        ),
        max_size=30,
    ),
)
def test_a_period_is_flagged_at_most_once_and_never_when_it_had_a_report(
    assigned_on: date, every: int, plan: list[tuple[int, int | None]]
) -> None:
    history: list[ActionEvent] = [
        action_item_assigned(assigned_on=assigned_on, report_every_days=every)
    ]
    for offset, period in sorted(plan, key=lambda step: step[0]):
        today = assigned_on + timedelta(days=offset)
        if period is None:
            history.append(reported(today))
            continue
        missed = period_end(assigned_on, every, period)
        command = MarkActionItemOverdue(kind=OverdueKind.MISSED_REPORT, missed=missed)
        events = mark_action_item_overdue(action_of(history), command, today=today)
        assert all(
            isinstance(e, ActionItemOverdue) and e.flagged_on > missed for e in events
        )
        history += events

    assert_flags_are_sound(action_of(history), assigned_on, every)
