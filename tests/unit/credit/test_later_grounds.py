"""Later facts of a candidate's grounds: given a candidate opened on a mass incident
before its order to pay lapsed, when cases recommends again with the order overdue, or
records the missed payment deadline, then the grounds hold the overdue order and the
decision can be made; seen twice, nothing more is recorded; after the decision,
refused."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from services.credit.domain.aggregate import ListingEvent
from services.credit.domain.decision import DecideListing, decide_listing
from services.credit.domain.later_grounds import (
    GroundsUpdated,
    RecordOrderOverdue,
    UpdateGrounds,
    record_order_overdue,
    update_grounds,
)
from services.credit.domain.listing import Listing, ListingStatus
from shared.domain import Role
from shared.errors import InvalidInput, InvalidTransition, RuleViolated
from tests.unit.credit.factories import (
    CALENDAR,
    DECIDED_ON,
    DECISION_ID,
    LIMITS,
    OPENED_ON,
    SERVED_ON,
    SOURCE_EVENT_ID,
    TODAY,
    candidate,
    grounds,
    lapsed,
    listed,
    listing_of,
    not_listed,
    served,
)

CASE_ID = "2024-000123"
LATER_EVENT_ID = "7d1e9b3f-4c2e-4d8b-8f3a-2b3c4d5e6f70"
INCIDENT_FIRST = grounds(is_mass_incident=True, is_order_overdue=False)
DECIDE = DecideListing(
    decided_on=DECIDED_ON,
    decision_id=DECISION_ID,
    decided_by="区人力资源和社会保障局局长",
)
OVERDUE = RecordOrderOverdue(
    case_id=CASE_ID, source_event_id=LATER_EVENT_ID, overdue_on=SERVED_ON
)


def decided(listing: Listing) -> list[ListingEvent]:
    return list(
        decide_listing(
            listing,
            DECIDE,
            today=TODAY,
            calendar=CALENDAR,
            limits=LIMITS,
            listing_id="x",
        )
    )


def again(**changes: object) -> UpdateGrounds:
    """cases' second recommendation for the case, the order now overdue."""
    later = INCIDENT_FIRST.model_copy(update={"is_order_overdue": True, **changes})
    return UpdateGrounds(
        grounds=later, source_event_id=LATER_EVENT_ID, updated_on=SERVED_ON
    )


def test_only_the_process_manager_records_cases_facts() -> None:
    assert UpdateGrounds.permitted == {Role.SYSTEM}
    assert RecordOrderOverdue.permitted == {Role.SYSTEM}


def test_a_second_recommendation_with_the_order_overdue_updates_the_grounds() -> None:
    listing = listing_of(candidate(grounds=INCIDENT_FIRST))

    events = update_grounds(listing, again(), today=TODAY)

    assert events == [
        GroundsUpdated(
            grounds=INCIDENT_FIRST.model_copy(update={"is_order_overdue": True}),
            source_event_id=LATER_EVENT_ID,
            updated_on=SERVED_ON,
        )
    ]


def test_a_candidate_decidable_only_once_the_second_condition_arrives() -> None:
    history = lapsed(grounds=INCIDENT_FIRST)
    with pytest.raises(RuleViolated) as refused:
        decided(listing_of(history))
    assert refused.value.code == "payment-order-not-overdue"

    later = update_grounds(listing_of(history), again(), today=TODAY)
    listed_now = decided(listing_of(history, later))

    assert listing_of(history, later, listed_now).status is ListingStatus.LISTED


def test_the_missed_payment_deadline_makes_the_order_overdue() -> None:
    listing = listing_of(served(grounds=INCIDENT_FIRST))

    events = record_order_overdue(listing, OVERDUE, today=TODAY)

    assert [e.grounds for e in events] == [
        INCIDENT_FIRST.model_copy(update={"is_order_overdue": True})
    ]
    assert listing_of(served(grounds=INCIDENT_FIRST), events).status == (
        ListingStatus.NOTICE_SERVED
    )


def test_a_fact_seen_twice_is_recorded_once() -> None:
    history = candidate(grounds=INCIDENT_FIRST)
    first = update_grounds(listing_of(history), again(), today=TODAY)

    assert update_grounds(listing_of(history, first), again(), today=TODAY) == []
    assert record_order_overdue(listing_of(history, first), OVERDUE, today=TODAY) == []


def test_what_happened_stays_a_fact_and_what_is_owed_is_as_cases_says_now() -> None:
    listing = listing_of(candidate(grounds=grounds(note="工人反映")))
    later = grounds(
        case_ids=("2024-000124",),
        amount_owed=Decimal("9000.00"),
        is_order_overdue=False,
        is_mass_incident=True,
    )
    command = UpdateGrounds(
        grounds=later, source_event_id=LATER_EVENT_ID, updated_on=SERVED_ON
    )

    [event] = update_grounds(listing, command, today=TODAY)

    assert event.grounds == grounds(
        case_ids=(CASE_ID, "2024-000124"),
        amount_owed=Decimal("9000.00"),
        is_order_overdue=True,
        is_mass_incident=True,
        note="工人反映",
    )


def test_the_lapse_of_another_cases_order_is_refused() -> None:
    listing = listing_of(candidate(grounds=INCIDENT_FIRST))
    other = OVERDUE.model_copy(update={"case_id": "2024-000999"})

    with pytest.raises(RuleViolated) as refused:
        record_order_overdue(listing, other, today=TODAY)

    assert refused.value.code == "case-not-in-grounds"


@pytest.mark.parametrize(
    "history",
    [listed(grounds=INCIDENT_FIRST), [*candidate(), not_listed()], []],
    ids=["listed", "not_listed", "new"],
)
def test_grounds_change_only_before_the_decision(history: list[object]) -> None:
    listing = listing_of(history)  # type: ignore[arg-type]

    with pytest.raises(InvalidTransition):
        update_grounds(listing, again(), today=TODAY)
    with pytest.raises(InvalidTransition):
        record_order_overdue(listing, OVERDUE, today=TODAY)


@pytest.mark.parametrize(
    ("day", "rule"),
    [(date(2024, 5, 3), "not_before_opening"), (date(2024, 6, 4), "not_in_future")],
)
def test_a_fact_is_dated_between_the_opening_and_today(day: date, rule: str) -> None:
    listing = listing_of(candidate(grounds=INCIDENT_FIRST))
    assert day < OPENED_ON or day > TODAY

    with pytest.raises(InvalidInput) as refused:
        update_grounds(
            listing, again().model_copy(update={"updated_on": day}), today=TODAY
        )
    assert (refused.value.field, refused.value.rule) == ("updated_on", rule)

    with pytest.raises(InvalidInput) as refused:
        record_order_overdue(
            listing, OVERDUE.model_copy(update={"overdue_on": day}), today=TODAY
        )
    assert (refused.value.field, refused.value.rule) == ("overdue_on", rule)


def test_the_event_names_the_cases_event_it_came_from() -> None:
    [event] = update_grounds(
        listing_of(candidate(grounds=INCIDENT_FIRST)), again(), today=TODAY
    )

    assert event.source_event_id == LATER_EVENT_ID != SOURCE_EVENT_ID


def test_a_mass_incident_stays_a_fact_when_a_later_recommendation_omits_it() -> None:
    listing = listing_of(candidate(grounds=INCIDENT_FIRST))

    [event] = update_grounds(listing, again(is_mass_incident=False), today=TODAY)

    assert event.grounds.is_mass_incident is True
