"""A listed person's ID number: checked before it is sealed, never in an error, and in
no event anywhere but inside a personal-data value."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

import pytest

from services.credit.domain.aggregate import ListingEvent
from services.credit.domain.candidate import (
    CandidateEvent,
    OpenByHand,
    OpenCandidate,
    open_by_hand,
    open_candidate,
)
from services.credit.domain.decision import DecideListing, decide_listing
from services.credit.domain.ending import ExpireListing, expire_listing
from services.credit.domain.grounds import OpenedFrom
from services.credit.domain.listing import Listing, ServiceMethod
from services.credit.domain.notice import (
    LapseObjectionPeriod,
    ServeNotice,
    lapse_objection_period,
    serve_notice,
)
from services.credit.domain.publication import PublishListing, publish_listing
from services.credit.domain.sanctioning import (
    RecordSanctionApplied,
    RecordSanctionLifted,
    record_sanction_applied,
    record_sanction_lifted,
)
from services.credit.domain.subjects import PersonDetails, SubjectKind
from shared.domain import Command, Personal
from shared.errors import InvalidInput
from tests.unit.credit.factories import (
    DECIDED_ON,
    DECISION_ID,
    EMPLOYER_LISTING_ID,
    ENDS_ON,
    INVALID_ID_NUMBER,
    JSJ_PERMITS,
    LAPSED_ON,
    LIMITS,
    OPENED_ON,
    PERSON_LISTING_ID,
    PUBLISHED_ON,
    SERVED_ON,
    TODAY,
    VALID_ID_NUMBER,
    candidate_opened,
    grounds,
    listing_of,
    person_details,
    person_subject,
)
from tests.unit.credit.outside_facts import run


def opening_for(details: PersonDetails) -> OpenCandidate:
    return OpenCandidate(
        subject=details,
        grounds=grounds(),
        opened_from=OpenedFrom.BY_HAND,
        opened_on=OPENED_ON,
    )


def opened_for(details: PersonDetails) -> list[CandidateEvent]:
    return open_candidate(Listing(), opening_for(details), today=TODAY)


def clear_text_paths(node: Any, value: str, path: str = "") -> Iterator[str]:
    """Where `value` appears in a JSON tree, as dotted paths."""
    if isinstance(node, dict):
        for key, child in node.items():
            yield from clear_text_paths(child, value, f"{path}.{key}".lstrip("."))
    elif isinstance(node, list):
        for index, child in enumerate(node):
            yield from clear_text_paths(child, value, f"{path}.{index}")
    elif isinstance(node, str) and value in node:
        yield path


def test_an_id_number_with_a_wrong_check_character_is_refused_without_showing_it() -> (
    None
):
    with pytest.raises(InvalidInput) as refused:
        opened_for(person_details(id_number=INVALID_ID_NUMBER))

    assert (refused.value.field, refused.value.rule) == (
        "subject.id_number",
        "ric_checksum",
    )
    assert INVALID_ID_NUMBER not in str(refused.value.extensions())
    assert INVALID_ID_NUMBER not in refused.value.detail


def test_a_lower_case_x_in_an_id_number_is_read_as_the_check_character_x() -> None:
    events = opened_for(person_details(id_number="11010519491231002x"))

    assert events == [
        candidate_opened(
            subject=person_subject(id_number="11010519491231002X"),
            opened_from=OpenedFrom.BY_HAND,
            source_event_id=None,
        )
    ]


def test_a_person_key_that_holds_the_id_number_is_refused() -> None:
    with pytest.raises(InvalidInput) as refused:
        opened_for(person_details(person_key=f"id-{VALID_ID_NUMBER}"))

    assert (refused.value.field, refused.value.rule) == (
        "subject.person_key",
        "person_key_not_personal",
    )
    assert VALID_ID_NUMBER not in refused.value.detail


def test_a_person_key_that_holds_the_number_with_a_lower_case_x_is_refused() -> None:
    details = person_details(
        id_number="11010519491231002X", person_key="id-11010519491231002x"
    )

    with pytest.raises(InvalidInput) as refused:
        opened_for(details)

    assert refused.value.rule == "person_key_not_personal"


def test_a_person_without_a_derived_key_is_refused() -> None:
    with pytest.raises(InvalidInput) as refused:
        opened_for(person_details(person_key=None))

    assert (refused.value.field, refused.value.rule) == (
        "subject.person_key",
        "person_key_required",
    )


def test_by_hand_the_key_the_service_derived_replaces_the_body_s() -> None:
    body = OpenByHand(
        subject=person_details(person_key="p-from-the-body"),
        grounds=grounds(),
        opened_from=OpenedFrom.BY_HAND,
        opened_on=OPENED_ON,
    )

    events = open_by_hand(
        Listing(), body, today=TODAY, person_key="p-7c1e9a", limits=LIMITS
    )

    assert events == [
        candidate_opened(
            subject=person_subject(person_key="p-7c1e9a"),
            opened_from=OpenedFrom.BY_HAND,
            source_event_id=None,
        )
    ]


def test_the_name_and_id_number_are_sealed_under_the_person_key() -> None:
    subject = person_subject(kind=SubjectKind.RESPONSIBLE_PERSON)

    assert subject.name == Personal(subject="p-7c1e9a", value="马德福")
    assert subject.id_number == Personal(subject="p-7c1e9a", value=VALID_ID_NUMBER)


def whole_life_of_a_person_listing() -> list[ListingEvent]:
    """Every step of a person's listing, from opening to lifting, as decided."""
    steps: list[
        tuple[Callable[..., Sequence[ListingEvent]], Command, dict[str, Any]]
    ] = [
        (open_candidate, opening_for(person_details()), {"today": OPENED_ON}),
        (
            serve_notice,
            ServeNotice(served_on=SERVED_ON, method=ServiceMethod.MAIL),
            {"today": SERVED_ON},
        ),
        (lapse_objection_period, LapseObjectionPeriod(), {"today": LAPSED_ON}),
        (
            decide_listing,
            DecideListing(
                decided_on=DECIDED_ON,
                decision_id=DECISION_ID,
                decided_by="局长",
                employer_listing_id=EMPLOYER_LISTING_ID,
            ),
            {"today": DECIDED_ON, "listing_id": PERSON_LISTING_ID},
        ),
        (publish_listing, PublishListing(published_on=PUBLISHED_ON), {}),
        (
            record_sanction_applied,
            RecordSanctionApplied(
                task_id=JSJ_PERMITS, applied_on=TODAY, basis="条例", reference="函"
            ),
            {},
        ),
        (expire_listing, ExpireListing(), {"today": ENDS_ON}),
        (
            record_sanction_lifted,
            RecordSanctionLifted(
                task_id=JSJ_PERMITS, lifted_on=ENDS_ON, reference="函"
            ),
            {"today": ENDS_ON},
        ),
    ]
    history: list[ListingEvent] = []
    for decide, command, facts in steps:
        history += run(decide, listing_of(history), command, **facts)
    return history


def test_no_event_of_a_persons_listing_holds_the_id_number_outside_personal_data() -> (
    None
):
    history = whole_life_of_a_person_listing()

    paths = [
        (type(event).__name__, path)
        for event in history
        for path in clear_text_paths(event.model_dump(mode="json"), VALID_ID_NUMBER)
    ]

    assert len(history) == 9
    assert paths == [("CandidateOpened", "subject.id_number.value")]


def test_the_name_and_id_number_stay_out_of_the_stored_command_digest() -> None:
    assert OpenCandidate.personal_paths == ("subject.name", "subject.id_number")
