"""Opening a candidate: given nothing, when a case's recommendation or the office opens
a listing for a subject, then it is a candidate with checked identifiers, or refused."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from pydantic import ValidationError

from services.credit.domain.aggregate import LISTING
from services.credit.domain.candidate import (
    CandidateEvent,
    OpenCandidate,
    open_candidate,
)
from services.credit.domain.decision import DecideNotToList
from services.credit.domain.grounds import OpenedFrom
from services.credit.domain.listing import Listing, ListingStatus
from services.credit.domain.notice import ServeNotice
from services.credit.domain.subjects import SubjectKind
from shared.domain import Role
from shared.errors import InvalidInput, InvalidTransition
from tests.unit.credit.factories import (
    INVALID_USCC,
    OPENED_ON,
    SOURCE_EVENT_ID,
    TODAY,
    VALID_USCC,
    candidate,
    candidate_opened,
    employer_subject,
    grounds,
    listing_of,
    person_details,
    person_subject,
)


def opening(**overrides: Any) -> OpenCandidate:
    fields: dict[str, Any] = {
        "subject": employer_subject(),
        "grounds": grounds(),
        "opened_from": OpenedFrom.CASE_RECOMMENDATION,
        "source_event_id": SOURCE_EVENT_ID,
        "opened_on": OPENED_ON,
    }
    return OpenCandidate.model_validate(fields | overrides)


def opened(command: OpenCandidate) -> list[CandidateEvent]:
    return open_candidate(Listing(), command, today=TODAY)


def test_a_listing_stream_is_named_after_its_id() -> None:
    assert LISTING.stream_id("2024-000001") == "listing-2024-000001"


def test_the_process_manager_and_the_office_open_candidates() -> None:
    assert OpenCandidate.permitted == {Role.SYSTEM, Role.OFFICE}


def test_a_case_recommendation_opens_a_candidate_for_the_employer() -> None:
    events = opened(opening())

    assert events == [candidate_opened()]
    assert listing_of(events).status is ListingStatus.CANDIDATE


def test_the_office_opens_a_candidate_by_hand_without_a_source_event() -> None:
    events = opened(
        opening(opened_from=OpenedFrom.BY_HAND, source_event_id=None, grounds=grounds())
    )

    assert events == [
        candidate_opened(opened_from=OpenedFrom.BY_HAND, source_event_id=None)
    ]


@pytest.mark.parametrize(
    "overrides",
    [
        {"opened_from": OpenedFrom.CASE_RECOMMENDATION, "source_event_id": None},
        {"opened_from": OpenedFrom.BY_HAND, "source_event_id": SOURCE_EVENT_ID},
        {"grounds": grounds(case_ids=())},
    ],
)
def test_a_recommendation_names_its_source_event_and_case_and_by_hand_none(
    overrides: dict[str, Any],
) -> None:
    with pytest.raises(ValidationError):
        opening(**overrides)


def test_a_listing_is_opened_once() -> None:
    with pytest.raises(InvalidTransition) as refused:
        open_candidate(listing_of(candidate()), opening(), today=TODAY)

    assert refused.value.current == ListingStatus.CANDIDATE
    assert refused.value.allowed == (ServeNotice, DecideNotToList)


def test_a_candidate_is_not_opened_on_a_future_day() -> None:
    with pytest.raises(InvalidInput) as refused:
        opened(opening(opened_on=date(2024, 6, 4)))

    assert (refused.value.field, refused.value.rule) == ("opened_on", "not_in_future")


def test_an_employer_code_is_stored_compact_and_upper_case() -> None:
    events = opened(opening(subject=employer_subject(uscc=VALID_USCC.lower())))

    assert events == [candidate_opened()]


def test_an_employer_code_with_a_wrong_check_character_is_refused() -> None:
    with pytest.raises(InvalidInput) as refused:
        opened(opening(subject=employer_subject(uscc=INVALID_USCC)))

    assert (refused.value.field, refused.value.rule) == (
        "subject.uscc",
        "uscc_checksum",
    )


def test_a_wrong_employer_code_is_kept_when_the_office_gives_the_reason() -> None:
    subject = employer_subject(uscc=INVALID_USCC, uscc_override_reason="早期赋码")

    events = opened(opening(subject=subject))

    assert events == [candidate_opened(subject=subject)]


def test_an_employer_without_a_code_needs_the_reason() -> None:
    with pytest.raises(InvalidInput) as refused:
        opened(opening(subject=employer_subject(uscc=None)))

    assert (refused.value.field, refused.value.rule) == (
        "subject.uscc",
        "uscc_required",
    )


def test_an_employer_without_a_code_is_opened_with_the_reason() -> None:
    subject = employer_subject(uscc=None, uscc_override_reason="个体工商户未赋码")

    events = opened(opening(subject=subject))

    assert events == [candidate_opened(subject=subject)]


@pytest.mark.parametrize(
    "kind", [SubjectKind.LEGAL_REPRESENTATIVE, SubjectKind.RESPONSIBLE_PERSON]
)
def test_a_person_is_opened_with_name_and_id_number_as_personal_data(
    kind: SubjectKind,
) -> None:
    events = opened(
        opening(
            subject=person_details(kind=kind),
            opened_from=OpenedFrom.BY_HAND,
            source_event_id=None,
        )
    )

    assert events == [
        candidate_opened(
            subject=person_subject(kind=kind),
            opened_from=OpenedFrom.BY_HAND,
            source_event_id=None,
        )
    ]


def test_an_employer_kind_takes_no_id_number() -> None:
    with pytest.raises(ValidationError):
        opening(subject={"kind": "employer", "name": "某公司", "id_number": "x"})
