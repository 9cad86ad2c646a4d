"""The decision: given the objection phase over, when the office decides, then the
subject is listed for 3 years from the decision, or spared; deciding too early, after
an upheld objection or without an overdue order is refused naming the rule."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from services.credit.domain.aggregate import ListingEvent
from services.credit.domain.decision import (
    DecideListing,
    DecideNotToList,
    DecisionEvent,
    decide_listing,
    decide_not_to_list,
)
from services.credit.domain.ending import ExpireListing, RevokeListing
from services.credit.domain.limits import CreditLimits
from services.credit.domain.listing import Listing, ListingStatus
from services.credit.domain.notice import ObjectionPeriodLapsed, ServeNotice
from services.credit.domain.publication import PublishListing
from shared.domain import Deadline, Role
from shared.errors import InvalidInput, InvalidTransition, RuleViolated
from tests.unit.credit.factories import (
    CALENDAR,
    DECIDED_ON,
    DECISION_ID,
    EMPLOYER_LISTING_ID,
    ENDS_ON,
    LIMITS,
    OBJECTION_DUE,
    PERSON_LISTING_ID,
    TODAY,
    active,
    candidate,
    candidate_opened,
    grounds,
    lapsed,
    listed,
    listing_decided,
    listing_of,
    not_listed,
    notice_served,
    objected,
    objection_period_lapsed,
    objection_reviewed,
    person_subject,
    served,
)

DECIDE = DecideListing(
    decided_on=DECIDED_ON,
    decision_id=DECISION_ID,
    decided_by="区人力资源和社会保障局局长",
)
SPARE = DecideNotToList(decided_on=DECIDED_ON, reason="决定前已清偿并作出书面信用承诺")


def decided(
    listing: Listing,
    command: DecideListing = DECIDE,
    *,
    listing_id: str = EMPLOYER_LISTING_ID,
    **facts: Any,
) -> list[ObjectionPeriodLapsed | DecisionEvent]:
    given: dict[str, Any] = {"today": TODAY, "calendar": CALENDAR, "limits": LIMITS}
    return decide_listing(listing, command, listing_id=listing_id, **(given | facts))


def on(day: date) -> DecideListing:
    return DECIDE.model_copy(update={"decided_on": day})


def test_the_office_decides() -> None:
    assert DecideListing.permitted == {Role.OFFICE}
    assert DecideNotToList.permitted == {Role.OFFICE}


def test_after_the_period_lapsed_the_subject_is_listed_for_three_years() -> None:
    events = decided(listing_of(lapsed()))

    assert events == [listing_decided()]
    assert listing_of(lapsed(), events).status is ListingStatus.LISTED


def test_after_an_objection_was_reviewed_and_not_upheld_the_subject_is_listed() -> None:
    history = [*objected(), objection_reviewed(upheld=False)]

    events = decided(listing_of(history))

    assert events == [listing_decided()]


def test_deciding_after_the_period_records_the_lapse_the_watcher_has_not() -> None:
    events = decided(listing_of(served()))

    assert events == [objection_period_lapsed(lapsed_on=TODAY), listing_decided()]


def test_deciding_on_the_last_day_of_the_objection_period_is_refused() -> None:
    with pytest.raises(RuleViolated) as refused:
        decided(listing_of(served()), on(OBJECTION_DUE))

    assert refused.value.code == "objection-period-running"


def test_deciding_before_an_objection_is_reviewed_is_refused() -> None:
    with pytest.raises(RuleViolated) as refused:
        decided(listing_of(objected()))

    assert refused.value.code == "objection-period-running"


def test_an_upheld_objection_stops_the_listing() -> None:
    history = [*objected(), objection_reviewed(upheld=True)]

    with pytest.raises(RuleViolated) as refused:
        decided(listing_of(history))

    assert refused.value.code == "objection-upheld"


def test_without_an_overdue_payment_order_no_one_is_listed() -> None:
    history = lapsed(grounds=grounds(is_order_overdue=False, is_mass_incident=True))

    with pytest.raises(RuleViolated) as refused:
        decided(listing_of(history))

    assert refused.value.code == "payment-order-not-overdue"


def test_the_decision_waits_the_districts_working_days_after_the_notice() -> None:
    limits = CreditLimits(
        objection_working_days=1,
        sanction_confirm_working_days=10,
        notice_before_listing_working_days=3,
    )
    history = [*served(), objection_period_lapsed(lapsed_on=date(2024, 5, 10))]

    with pytest.raises(RuleViolated) as refused:
        decided(listing_of(history), on(date(2024, 5, 10)), limits=limits)
    events = decided(listing_of(history), on(date(2024, 5, 13)), limits=limits)

    assert refused.value.code == "notice-before-listing"
    assert events == [
        listing_decided(decided_on=date(2024, 5, 13), ends_on=date(2027, 5, 13))
    ]


def test_a_decision_on_29_february_ends_on_28_february_three_years_on() -> None:
    history: list[ListingEvent] = [
        candidate_opened(opened_on=date(2024, 2, 1)),
        notice_served(
            served_on=date(2024, 2, 19),
            objection_deadline=Deadline(due=date(2024, 2, 26), is_provisional=False),
        ),
        objection_period_lapsed(lapsed_on=date(2024, 2, 27)),
    ]

    events = decided(listing_of(history), on(date(2024, 2, 29)))

    assert events == [
        listing_decided(decided_on=date(2024, 2, 29), ends_on=date(2027, 2, 28))
    ]


def test_the_districts_listing_period_sets_the_end() -> None:
    limits = LIMITS.model_copy(update={"listing_years": 2})

    events = decided(listing_of(lapsed()), limits=limits)

    assert events == [listing_decided(ends_on=date(2026, 5, 20))]


def test_a_decision_is_not_dated_in_the_future() -> None:
    with pytest.raises(InvalidInput) as refused:
        decided(listing_of(lapsed()), on(date(2024, 6, 4)))

    assert (refused.value.field, refused.value.rule) == ("decided_on", "not_in_future")


def test_a_persons_listing_names_the_employers_listing_of_the_decision() -> None:
    history = lapsed(subject=person_subject())
    command = DECIDE.model_copy(update={"employer_listing_id": EMPLOYER_LISTING_ID})

    events = decided(listing_of(history), command, listing_id=PERSON_LISTING_ID)

    assert events == [listing_decided(employer_listing_id=EMPLOYER_LISTING_ID)]


@pytest.mark.parametrize("employer_listing_id", [None, PERSON_LISTING_ID])
def test_a_persons_listing_not_linked_to_another_listing_is_refused(
    employer_listing_id: str | None,
) -> None:
    command = DECIDE.model_copy(update={"employer_listing_id": employer_listing_id})

    with pytest.raises(InvalidInput) as refused:
        decided(
            listing_of(lapsed(subject=person_subject())),
            command,
            listing_id=PERSON_LISTING_ID,
        )

    assert (refused.value.field, refused.value.rule) == (
        "employer_listing_id",
        "person_linked_to_employer",
    )


def test_an_employers_listing_is_not_linked_to_another_employer_listing() -> None:
    command = DECIDE.model_copy(update={"employer_listing_id": "2024-000009"})

    with pytest.raises(InvalidInput) as refused:
        decided(listing_of(lapsed()), command)

    assert (refused.value.field, refused.value.rule) == (
        "employer_listing_id",
        "employer_not_linked",
    )


def test_a_candidate_without_a_notice_is_not_decided() -> None:
    with pytest.raises(InvalidTransition) as refused:
        decided(listing_of(candidate()))

    assert refused.value.current == ListingStatus.CANDIDATE
    assert refused.value.allowed == (ServeNotice, DecideNotToList)


def test_a_listing_is_decided_once() -> None:
    with pytest.raises(InvalidTransition) as refused:
        decided(listing_of(listed()))

    assert refused.value.current == ListingStatus.LISTED
    assert refused.value.allowed == (PublishListing, ExpireListing, RevokeListing)


@pytest.mark.parametrize(
    "history",
    [candidate(), served(), objected(), lapsed()],
    ids=["candidate", "notice_served", "objection_filed", "under_review"],
)
def test_before_the_decision_a_subject_that_paid_and_committed_is_not_listed(
    history: list[ListingEvent],
) -> None:
    events = decide_not_to_list(listing_of(history), SPARE, today=TODAY)

    assert events == [not_listed()]
    assert listing_of(history, events).status is ListingStatus.NOT_LISTED


@pytest.mark.parametrize(
    ("history", "status"),
    [(listed(), ListingStatus.LISTED), (active(), ListingStatus.ACTIVE)],
)
def test_once_listed_a_subject_is_no_longer_spared(
    history: list[ListingEvent], status: ListingStatus
) -> None:
    with pytest.raises(InvalidTransition) as refused:
        decide_not_to_list(listing_of(history), SPARE, today=TODAY)

    assert refused.value.current == status


def test_a_subject_not_listed_allows_nothing_more() -> None:
    history = [*candidate(), not_listed()]

    with pytest.raises(InvalidTransition) as refused:
        decided(listing_of(history))

    assert refused.value.current == ListingStatus.NOT_LISTED
    assert refused.value.allowed == ()


def test_the_listing_keeps_its_decision() -> None:
    listing = listing_of(listed())

    assert listing.decision is not None
    assert (listing.decision.decided_on, listing.decision.ends_on) == (
        DECIDED_ON,
        ENDS_ON,
    )


def test_a_person_is_listed_only_with_an_employer_listing() -> None:
    person = listing_of(lapsed(subject=person_subject()))
    not_an_employer = listing_of(served(subject=person_subject()))
    command = DECIDE.model_copy(update={"employer_listing_id": EMPLOYER_LISTING_ID})

    with pytest.raises(InvalidInput) as refused:
        decided(
            person,
            command,
            listing_id=PERSON_LISTING_ID,
            employer_listing=not_an_employer,
        )

    assert (refused.value.field, refused.value.rule) == (
        "employer_listing_id",
        "employer_listing_known",
    )


def test_a_person_is_listed_under_the_decision_that_listed_the_employer() -> None:
    person = listing_of(lapsed(subject=person_subject()))
    employer = listing_of(listed())
    other = DECIDE.model_copy(
        update={
            "employer_listing_id": EMPLOYER_LISTING_ID,
            "decision_id": "东人社惩决〔2024〕9号",
        }
    )

    with pytest.raises(InvalidInput) as refused:
        decided(person, other, listing_id=PERSON_LISTING_ID, employer_listing=employer)

    assert (refused.value.field, refused.value.rule) == (
        "employer_listing_id",
        "same_decision",
    )
    assert decided(
        person,
        DECIDE.model_copy(update={"employer_listing_id": EMPLOYER_LISTING_ID}),
        listing_id=PERSON_LISTING_ID,
        employer_listing=employer,
    )
