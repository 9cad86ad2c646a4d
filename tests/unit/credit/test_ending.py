"""The end of a listing: given an active listing, when it expires, is removed early or
revoked, then it ends once and every unit's sanction is to be lifted; each unit then
confirms lifting its own, once, and a lift left unconfirmed is overdue once."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from services.credit.domain.aggregate import ListingEvent
from services.credit.domain.ending import (
    EndingEvent,
    ExpireListing,
    RevokeListing,
    expire_listing,
    revoke_listing,
)
from services.credit.domain.listing import ListingStatus, RevokedBy, is_in_force
from services.credit.domain.sanctioning import (
    MarkSanctionOverdue,
    RecordSanctionLifted,
    mark_sanction_overdue,
    record_sanction_lifted,
)
from services.credit.domain.sanctions import SanctionTaskStatus
from shared.domain import Role
from shared.errors import InvalidInput, InvalidTransition, NotPermitted, RuleViolated
from tests.unit.credit.factories import (
    CALENDAR,
    ENDS_ON,
    JSJ_PERMITS,
    LIFT_DUE_AFTER_EXPIRY,
    LIMITS,
    TASK_IDS,
    active,
    early_removal_applied,
    early_removal_granted,
    lapsed,
    listed,
    listing_expired,
    listing_of,
    listing_revoked,
    sanction_applied,
    sanction_lifted,
    sanction_overdue,
)

REVOKE = RevokeListing(
    revoked_on=date(2024, 8, 30),
    by=RevokedBy.RECONSIDERATION,
    reference="东府复决〔2024〕7号",
)
LIFT = RecordSanctionLifted(
    task_id=JSJ_PERMITS, lifted_on=date(2027, 5, 24), reference="东建函〔2027〕3号"
)
ENDINGS: dict[str, list[ListingEvent]] = {
    "expired": [*active(), sanction_applied(), listing_expired()],
    "removed": [
        *active(),
        sanction_applied(),
        early_removal_applied(),
        early_removal_granted(),
    ],
    "revoked": [*active(), sanction_applied(), listing_revoked()],
}


def expired(history: list[ListingEvent], today: date) -> list[EndingEvent]:
    return expire_listing(
        listing_of(history),
        ExpireListing(),
        today=today,
        calendar=CALENDAR,
        limits=LIMITS,
    )


def revoked(history: list[ListingEvent], **facts: Any) -> list[EndingEvent]:
    given: dict[str, Any] = {
        "today": date(2024, 8, 30),
        "calendar": CALENDAR,
        "limits": LIMITS,
    }
    return revoke_listing(listing_of(history), REVOKE, **(given | facts))


def test_the_watcher_expires_and_the_office_revokes() -> None:
    assert ExpireListing.permitted == {Role.SYSTEM}
    assert RevokeListing.permitted == {Role.OFFICE}
    assert RecordSanctionLifted.permitted == {Role.UNIT_STAFF, Role.OFFICE}


def test_a_listing_expires_exactly_on_the_day_its_period_ends() -> None:
    events = expired(active(), ENDS_ON)

    assert events == [listing_expired()]
    assert listing_of(active(), events).status is ListingStatus.EXPIRED


def test_a_listing_does_not_expire_the_day_before_its_period_ends() -> None:
    with pytest.raises(RuleViolated) as refused:
        expired(active(), date(2027, 5, 19))

    assert refused.value.code == "not-yet-expired"


def test_a_listing_expires_once() -> None:
    assert expired(ENDINGS["expired"], date(2027, 5, 21)) == []


@pytest.mark.parametrize("ending", ["removed", "revoked"])
def test_a_listing_ended_otherwise_does_not_expire(ending: str) -> None:
    assert expired(ENDINGS[ending], ENDS_ON) == []


def test_a_listing_never_published_expires_with_nothing_to_lift() -> None:
    events = expired(listed(), ENDS_ON)

    assert events == [listing_expired(sanctions_to_lift=(), lift_due=None)]


def test_a_subject_never_listed_does_not_expire() -> None:
    with pytest.raises(InvalidTransition) as refused:
        expired(lapsed(), ENDS_ON)

    assert refused.value.current == ListingStatus.UNDER_REVIEW


def test_a_reconsideration_or_court_revokes_a_listing_in_force() -> None:
    events = revoked(active())

    assert events == [listing_revoked()]
    assert listing_of(active(), events).status is ListingStatus.REVOKED


def test_a_court_ruling_revokes_a_listing_not_yet_published() -> None:
    command = REVOKE.model_copy(update={"by": RevokedBy.COURT})

    events = revoke_listing(
        listing_of(listed()),
        command,
        today=date(2024, 8, 30),
        calendar=CALENDAR,
        limits=LIMITS,
    )

    assert events == [
        listing_revoked(by=RevokedBy.COURT, sanctions_to_lift=(), lift_due=None)
    ]


@pytest.mark.parametrize("ending", ["expired", "removed", "revoked"])
def test_an_ended_listing_is_not_revoked(ending: str) -> None:
    with pytest.raises(InvalidTransition) as refused:
        revoked(ENDINGS[ending], today=ENDS_ON)

    assert refused.value.current == ending
    assert refused.value.allowed == (RecordSanctionLifted, MarkSanctionOverdue)


@pytest.mark.parametrize("ending", ["expired", "removed", "revoked"])
def test_every_end_turns_every_sanction_applied_or_not_into_one_to_lift(
    ending: str,
) -> None:
    listing = listing_of(ENDINGS[ending])

    assert {t.status for t in listing.sanction_tasks} == {
        SanctionTaskStatus.LIFT_PENDING
    }
    assert tuple(t.task_id for t in listing.sanction_tasks) == TASK_IDS
    assert not is_in_force(listing, ENDS_ON)


@pytest.mark.parametrize("ending", ["expired", "removed", "revoked"])
def test_after_every_end_a_unit_confirms_it_lifted_its_sanction(ending: str) -> None:
    events = record_sanction_lifted(
        listing_of(ENDINGS[ending]), LIFT, today=LIFT.lifted_on, unit="jsj"
    )

    assert events == [sanction_lifted()]
    task = listing_of(ENDINGS[ending], events).task(JSJ_PERMITS)
    assert task is not None
    assert (task.status, task.lifted_on) == (SanctionTaskStatus.LIFTED, LIFT.lifted_on)


def test_a_unit_may_not_lift_another_units_sanction() -> None:
    with pytest.raises(NotPermitted):
        record_sanction_lifted(
            listing_of(ENDINGS["expired"]), LIFT, today=LIFT.lifted_on, unit="fy"
        )


def test_a_sanction_is_lifted_once() -> None:
    history = [*ENDINGS["expired"], sanction_lifted()]

    with pytest.raises(RuleViolated) as refused:
        record_sanction_lifted(
            listing_of(history), LIFT, today=LIFT.lifted_on, unit="jsj"
        )

    assert refused.value.code == "sanction-already-lifted"


def test_a_sanction_is_not_lifted_before_the_listing_ended() -> None:
    early = LIFT.model_copy(update={"lifted_on": date(2027, 5, 19)})

    with pytest.raises(InvalidInput) as refused:
        record_sanction_lifted(
            listing_of(ENDINGS["expired"]), early, today=LIFT.lifted_on, unit="jsj"
        )

    assert (refused.value.field, refused.value.rule) == (
        "lifted_on",
        "not_before_end",
    )


def test_a_sanction_is_not_lifted_while_the_listing_is_in_force() -> None:
    with pytest.raises(InvalidTransition) as refused:
        record_sanction_lifted(
            listing_of([*active(), sanction_applied()]),
            LIFT,
            today=LIFT.lifted_on,
            unit="jsj",
        )

    assert refused.value.current == ListingStatus.ACTIVE


def test_an_overdue_task_gets_a_new_due_date_to_lift_by() -> None:
    history = [*active(), sanction_overdue(), listing_expired()]

    task = listing_of(history).task(JSJ_PERMITS)

    assert task is not None
    assert (task.status, task.due, task.is_overdue) == (
        SanctionTaskStatus.LIFT_PENDING,
        LIFT_DUE_AFTER_EXPIRY,
        False,
    )


def test_a_lift_unconfirmed_past_its_due_date_is_overdue_once() -> None:
    history = ENDINGS["expired"]
    overdue = MarkSanctionOverdue(task_id=JSJ_PERMITS, due=LIFT_DUE_AFTER_EXPIRY)
    after = date(2027, 6, 4)

    first = mark_sanction_overdue(listing_of(history), overdue, today=after)
    again = mark_sanction_overdue(listing_of(history, first), overdue, today=after)

    assert first == [sanction_overdue(due=LIFT_DUE_AFTER_EXPIRY)]
    assert again == []


def test_a_lifted_sanction_is_never_overdue() -> None:
    history = [*ENDINGS["expired"], sanction_lifted()]
    overdue = MarkSanctionOverdue(task_id=JSJ_PERMITS, due=LIFT_DUE_AFTER_EXPIRY)

    events = mark_sanction_overdue(listing_of(history), overdue, today=date(2027, 7, 1))

    assert events == []
