"""Events as the store keeps them: every event of a listing is known to its aggregate
and reads back from its JSON as it was written."""

from __future__ import annotations

import pytest

from services.credit.domain.aggregate import LISTING, ListingEvent
from shared.domain import event_classes
from tests.unit.credit.factories import (
    candidate_opened,
    early_removal_applied,
    early_removal_granted,
    early_removal_refused,
    grounds_updated,
    listing_activated,
    listing_decided,
    listing_expired,
    listing_published,
    listing_revoked,
    not_listed,
    notice_served,
    objection_filed,
    objection_period_lapsed,
    objection_reviewed,
    payment_evidence_recorded,
    person_subject,
    sanction_applied,
    sanction_lifted,
    sanction_overdue,
)

EVENTS: list[ListingEvent] = [
    candidate_opened(),
    candidate_opened(subject=person_subject()),
    grounds_updated(),
    notice_served(),
    objection_filed(),
    objection_reviewed(),
    objection_period_lapsed(),
    listing_decided(),
    not_listed(),
    listing_published(),
    listing_activated(),
    sanction_applied(),
    sanction_lifted(),
    sanction_overdue(),
    listing_expired(),
    early_removal_applied(paid_on=None),
    early_removal_granted(lift_due=None, sanctions_to_lift=()),
    early_removal_refused(),
    payment_evidence_recorded(),
    listing_revoked(),
]


def test_the_factories_cover_every_event_of_a_listing() -> None:
    assert {type(e) for e in EVENTS} == set(event_classes(LISTING.events))


@pytest.mark.parametrize("event", EVENTS, ids=lambda e: type(e).__name__)
def test_an_event_reads_back_from_its_stored_json(event: ListingEvent) -> None:
    stored = event.model_dump(mode="json")

    assert LISTING.decode(event.event_type(), 1, stored) == event
