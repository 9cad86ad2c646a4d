"""What the watchers check and what the check API answers: the open time limits of a
listing at each stage, and whether it is in force on a day."""

from __future__ import annotations

from datetime import date

import pytest

from services.credit.domain.aggregate import ListingEvent
from services.credit.domain.deadlines import (
    DeadlineKind,
    ListingDeadline,
    open_deadlines,
)
from services.credit.domain.listing import is_in_force
from tests.unit.credit.factories import (
    DECIDED_ON,
    ENDS_ON,
    JSJ_PERMITS,
    LIFT_DUE_AFTER_EXPIRY,
    OBJECTION_DUE,
    SANCTION_DUE,
    TASK_IDS,
    active,
    candidate,
    lapsed,
    listed,
    listing_activated,
    listing_expired,
    listing_of,
    listing_revoked,
    not_listed,
    objected,
    sanction_applied,
    sanction_lifted,
    sanction_overdue,
    served,
)

FCT = "fy-court_enforcement"
TWO_TASKS = listing_activated(
    sanction_tasks=tuple(
        t for t in listing_activated().sanction_tasks if t.task_id in (FCT, JSJ_PERMITS)
    )
)


def with_two_tasks(*later: ListingEvent) -> list[ListingEvent]:
    return [*active()[:-1], TWO_TASKS, *later]


def expiry() -> ListingDeadline:
    return ListingDeadline(kind=DeadlineKind.EXPIRY, due=ENDS_ON)


def confirmation(task_id: str, due: date = SANCTION_DUE) -> ListingDeadline:
    return ListingDeadline(
        kind=DeadlineKind.SANCTION_CONFIRMATION, due=due, task_id=task_id
    )


def lift(task_id: str) -> ListingDeadline:
    return ListingDeadline(
        kind=DeadlineKind.SANCTION_LIFT, due=LIFT_DUE_AFTER_EXPIRY, task_id=task_id
    )


def test_while_the_notice_stands_the_objection_period_runs() -> None:
    assert open_deadlines(listing_of(served())) == (
        ListingDeadline(kind=DeadlineKind.OBJECTION_PERIOD, due=OBJECTION_DUE),
    )


@pytest.mark.parametrize(
    "history",
    [candidate(), objected(), lapsed(), [*candidate(), not_listed()]],
    ids=["candidate", "objection_filed", "under_review", "not_listed"],
)
def test_before_a_notice_and_after_the_objection_phase_nothing_runs(
    history: list[ListingEvent],
) -> None:
    assert open_deadlines(listing_of(history)) == ()


def test_a_listed_subject_waits_for_its_expiry() -> None:
    assert open_deadlines(listing_of(listed())) == (expiry(),)


def test_an_active_listing_waits_for_every_units_confirmation_and_its_expiry() -> None:
    deadlines = open_deadlines(listing_of(active()))

    assert deadlines == (*(confirmation(t) for t in TASK_IDS), expiry())


def test_a_task_confirmed_or_marked_overdue_is_no_longer_watched() -> None:
    history = with_two_tasks(sanction_applied(), sanction_overdue(task_id=FCT))

    assert open_deadlines(listing_of(history)) == (expiry(),)


def test_after_the_end_the_watchers_wait_for_each_lift_and_nothing_else() -> None:
    history = with_two_tasks(
        sanction_applied(),
        listing_expired(sanctions_to_lift=(FCT, JSJ_PERMITS)),
        sanction_lifted(),
    )

    assert open_deadlines(listing_of(history)) == (lift(FCT),)


def test_a_watcher_acts_after_a_periods_last_day_and_on_the_expiry_day() -> None:
    period = ListingDeadline(kind=DeadlineKind.OBJECTION_PERIOD, due=OBJECTION_DUE)

    assert not period.has_passed(OBJECTION_DUE)
    assert period.has_passed(date(2024, 5, 16))
    assert not expiry().has_passed(date(2027, 5, 19))
    assert expiry().has_passed(ENDS_ON)


@pytest.mark.parametrize(
    ("history", "day", "is_listed"),
    [
        (lapsed(), DECIDED_ON, False),
        (listed(), date(2024, 5, 19), False),
        (listed(), DECIDED_ON, True),
        (active(), date(2027, 5, 19), True),
        (active(), ENDS_ON, False),
        ([*active(), listing_revoked()], date(2024, 9, 2), False),
    ],
    ids=[
        "under-review",
        "before-the-decision",
        "on-the-decision-day",
        "on-the-last-day",
        "on-the-end-day",
        "revoked",
    ],
)
def test_a_subject_is_under_punishment_from_the_decision_until_the_end(
    history: list[ListingEvent], day: date, is_listed: bool
) -> None:
    assert is_in_force(listing_of(history), day) is is_listed


def test_a_task_no_longer_watched_does_not_hide_the_tasks_after_it() -> None:
    first, second = (t.task_id for t in TWO_TASKS.sanction_tasks)
    unit = first.split("-")[0]

    history = with_two_tasks(sanction_overdue(task_id=first, unit_code=unit))

    assert open_deadlines(listing_of(history)) == (confirmation(second), expiry())
