"""Publication and the units' sanctions: given a listed subject, when it is published,
then it is active and every unit with a duty has a task; each unit confirms only its
own task, once; a task unconfirmed past its due date is marked overdue once."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from pydantic import ValidationError

from services.credit.domain.aggregate import ListingEvent
from services.credit.domain.listing import Listing, ListingStatus
from services.credit.domain.publication import (
    CREDIT_CHINA,
    CREDIT_SHARING_PLATFORM,
    PublicationEvent,
    PublishListing,
    publish_listing,
)
from services.credit.domain.sanctioning import (
    MarkSanctionOverdue,
    RecordSanctionApplied,
    mark_sanction_overdue,
    record_sanction_applied,
)
from services.credit.domain.sanctions import SanctionTaskStatus
from shared.domain import Role
from shared.errors import InvalidInput, InvalidTransition, NotPermitted, RuleViolated
from tests.unit.credit.factories import (
    CALENDAR,
    DUTIES,
    ENDS_ON,
    JSJ_PERMITS,
    LIMITS,
    PUBLISHED_ON,
    SANCTION_DUE,
    TODAY,
    UNITS,
    active,
    lapsed,
    listed,
    listing_activated,
    listing_decided,
    listing_of,
    listing_published,
    sanction_applied,
    sanction_overdue,
)

PUBLISH = PublishListing(
    published_on=PUBLISHED_ON, shared_to=(CREDIT_SHARING_PLATFORM, CREDIT_CHINA)
)
APPLY = RecordSanctionApplied(
    task_id=JSJ_PERMITS,
    applied_on=date(2024, 5, 27),
    basis="保障农民工工资支付条例第四十八条",
    reference="东建函〔2024〕12号",
)
OVERDUE = MarkSanctionOverdue(task_id=JSJ_PERMITS, due=SANCTION_DUE)
AFTER_DUE = date(2024, 6, 6)


def published(
    listing: Listing, command: PublishListing = PUBLISH, **facts: Any
) -> list[PublicationEvent]:
    given: dict[str, Any] = {
        "today": TODAY,
        "calendar": CALENDAR,
        "limits": LIMITS,
        "duties": DUTIES,
        "units": UNITS,
    }
    return publish_listing(listing, command, **(given | facts))


def test_the_office_publishes_units_confirm_and_the_watcher_marks_overdue() -> None:
    assert PublishListing.permitted == {Role.OFFICE}
    assert RecordSanctionApplied.permitted == {Role.UNIT_STAFF, Role.OFFICE}
    assert MarkSanctionOverdue.permitted == {Role.SYSTEM}


def test_publishing_shares_the_listing_and_activates_it_with_every_units_task() -> None:
    events = published(listing_of(listed()))

    assert events == [listing_published(), listing_activated()]
    assert listing_of(listed(), events).status is ListingStatus.ACTIVE


def test_only_active_units_get_tasks_when_the_listing_is_published() -> None:
    events = published(listing_of(listed()), units={"fy": "区人民法院"})

    assert [t.task_id for t in listing_of(listed(), events).sanction_tasks] == [
        "fy-court_enforcement",
        "fy-honours_and_awards",
    ]


def test_a_listing_is_shared_to_the_credit_sharing_platform() -> None:
    with pytest.raises(ValidationError):
        PublishListing(published_on=PUBLISHED_ON, shared_to=(CREDIT_CHINA,))


def test_a_listing_is_published_to_each_channel_once() -> None:
    with pytest.raises(ValidationError):
        PublishListing(
            published_on=PUBLISHED_ON,
            shared_to=(CREDIT_SHARING_PLATFORM, CREDIT_SHARING_PLATFORM),
        )


def test_a_listing_is_not_published_before_its_decision() -> None:
    early = PublishListing(published_on=date(2024, 5, 17))

    with pytest.raises(InvalidInput) as refused:
        published(listing_of(listed()), early)

    assert (refused.value.field, refused.value.rule) == (
        "published_on",
        "not_before_decision",
    )


def test_a_listing_whose_period_is_over_is_not_published() -> None:
    history = [*lapsed(), listing_decided(ends_on=date(2024, 5, 22))]

    with pytest.raises(RuleViolated) as refused:
        published(listing_of(history))

    assert refused.value.code == "listing-period-over"


@pytest.mark.parametrize(
    ("history", "status"),
    [(lapsed(), ListingStatus.UNDER_REVIEW), (active(), ListingStatus.ACTIVE)],
)
def test_only_a_listed_subject_is_published(
    history: list[ListingEvent], status: ListingStatus
) -> None:
    with pytest.raises(InvalidTransition) as refused:
        published(listing_of(history))

    assert refused.value.current == status


def test_a_unit_confirms_it_applied_its_own_sanction() -> None:
    events = record_sanction_applied(
        listing_of(active()), APPLY, today=TODAY, unit="jsj"
    )

    assert events == [sanction_applied()]
    task = listing_of(active(), events).task(JSJ_PERMITS)
    assert task is not None
    assert (task.status, task.applied_on) == (
        SanctionTaskStatus.APPLIED,
        APPLY.applied_on,
    )


def test_a_unit_may_not_confirm_another_units_sanction() -> None:
    with pytest.raises(NotPermitted):
        record_sanction_applied(listing_of(active()), APPLY, today=TODAY, unit="rsj")


def test_a_sanction_task_the_listing_does_not_have_is_refused() -> None:
    command = APPLY.model_copy(update={"task_id": "jsj-travel"})

    with pytest.raises(InvalidInput) as refused:
        record_sanction_applied(listing_of(active()), command, today=TODAY, unit="jsj")

    assert (refused.value.field, refused.value.rule) == (
        "task_id",
        "sanction_task_known",
    )


def test_a_sanction_is_confirmed_once() -> None:
    history = [*active(), sanction_applied()]

    with pytest.raises(RuleViolated) as refused:
        record_sanction_applied(listing_of(history), APPLY, today=TODAY, unit="jsj")

    assert refused.value.code == "sanction-already-applied"


def test_a_sanction_confirmed_late_is_still_recorded() -> None:
    history = [*active(), sanction_overdue()]
    late = APPLY.model_copy(update={"applied_on": AFTER_DUE})

    events = record_sanction_applied(
        listing_of(history), late, today=AFTER_DUE, unit="jsj"
    )

    assert events == [sanction_applied(applied_on=AFTER_DUE)]


def test_a_sanction_is_not_applied_before_the_listing_was_active() -> None:
    early = APPLY.model_copy(update={"applied_on": date(2024, 5, 21)})

    with pytest.raises(InvalidInput) as refused:
        record_sanction_applied(listing_of(active()), early, today=TODAY, unit="jsj")

    assert (refused.value.field, refused.value.rule) == (
        "applied_on",
        "not_before_activation",
    )


def test_a_listing_not_yet_published_has_no_sanctions_to_apply() -> None:
    with pytest.raises(InvalidTransition) as refused:
        record_sanction_applied(listing_of(listed()), APPLY, today=TODAY, unit="jsj")

    assert refused.value.current == ListingStatus.LISTED


def test_a_task_unconfirmed_the_day_after_its_due_date_is_marked_overdue() -> None:
    events = mark_sanction_overdue(listing_of(active()), OVERDUE, today=AFTER_DUE)

    assert events == [sanction_overdue()]
    task = listing_of(active(), events).task(JSJ_PERMITS)
    assert task is not None
    assert task.is_overdue


def test_a_task_is_not_overdue_on_its_due_date() -> None:
    events = mark_sanction_overdue(listing_of(active()), OVERDUE, today=SANCTION_DUE)

    assert events == []


def test_a_task_is_marked_overdue_once() -> None:
    history = [*active(), sanction_overdue()]

    events = mark_sanction_overdue(listing_of(history), OVERDUE, today=AFTER_DUE)

    assert events == []


def test_a_confirmed_task_is_never_overdue() -> None:
    history = [*active(), sanction_applied()]

    events = mark_sanction_overdue(listing_of(history), OVERDUE, today=AFTER_DUE)

    assert events == []


def test_a_watcher_that_saw_another_due_date_changes_nothing() -> None:
    stale = MarkSanctionOverdue(task_id=JSJ_PERMITS, due=date(2024, 6, 4))

    events = mark_sanction_overdue(listing_of(active()), stale, today=ENDS_ON)

    assert events == []


def test_each_unconfirmed_task_is_overdue_on_its_own() -> None:
    history = [*active(), sanction_applied()]

    events = [
        event
        for task_id in ("fy-court_enforcement", JSJ_PERMITS, "xfj-honours_and_awards")
        for event in mark_sanction_overdue(
            listing_of(history),
            MarkSanctionOverdue(task_id=task_id, due=SANCTION_DUE),
            today=AFTER_DUE,
        )
    ]

    assert events == [
        sanction_overdue(task_id="fy-court_enforcement", unit_code="fy"),
        sanction_overdue(task_id="xfj-honours_and_awards", unit_code="xfj"),
    ]
