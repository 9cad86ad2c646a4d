"""A candidate listing: opened for one subject, from a case's recommendation or by
hand, with its identifiers checked (rules.md §3.1.1 "Who is listed", §4.2, §5)."""

from __future__ import annotations

from datetime import date

from stdnum.cn import ric, uscc

from services.credit.domain.aggregate import ListingEvent
from services.credit.domain.commands import OpenCandidate
from services.credit.domain.events import CandidateOpened
from services.credit.domain.listing import Listing, ListingStatus
from services.credit.domain.subjects import (
    EmployerSubject,
    PersonDetails,
    PersonSubject,
    Subject,
)
from services.credit.domain.transitions import require_date, require_status
from shared.errors import InvalidInput
from shared.values import is_valid_resident_id


def open_candidate(
    listing: Listing, command: OpenCandidate, *, today: date
) -> list[ListingEvent]:
    """A new listing opens as a candidate for one subject: an employer with a checked
    code (or the reason to keep it), or a person whose ID number is checked before it
    is sealed as personal data."""
    require_status(listing, {ListingStatus.NEW}, "opened again")
    require_date(command.opened_on, field="opened_on", today=today)
    return [
        CandidateOpened(
            subject=checked_subject(command.subject),
            grounds=command.grounds,
            opened_from=command.opened_from,
            source_event_id=command.source_event_id,
            opened_on=command.opened_on,
        )
    ]


def checked_subject(details: EmployerSubject | PersonDetails) -> Subject:
    """The subject as the listing keeps it, once its identifiers are checked."""
    if isinstance(details, EmployerSubject):
        return _checked_employer(details)
    return _checked_person(details)


def _checked_employer(employer: EmployerSubject) -> EmployerSubject:
    # Some early real codes fail the check character, and some employers have none;
    # the office may keep them with a reason.
    is_overridden = employer.uscc_override_reason is not None
    if employer.uscc is None:
        if is_overridden:
            return employer
        raise InvalidInput(
            field="subject.uscc",
            rule="uscc_required",
            detail="An employer is listed by its unified social credit code; "
            "give uscc_override_reason to list one without it.",
        )
    code = uscc.compact(employer.uscc)
    if not uscc.is_valid(code) and not is_overridden:
        raise InvalidInput(
            field="subject.uscc",
            rule="uscc_checksum",
            detail=f"{code} is not a valid unified social credit code "
            "(GB 32100-2015); give uscc_override_reason to keep it anyway.",
        )
    return employer.model_copy(update={"uscc": code})


def _checked_person(details: PersonDetails) -> PersonSubject:
    number = ric.compact(details.id_number)
    # The number itself stays out of every answer: it is personal data.
    if not is_valid_resident_id(number):
        raise InvalidInput(
            field="subject.id_number",
            rule="ric_checksum",
            detail="This is not a valid resident identity number (GB 11643-1999).",
        )
    if details.person_key is None:
        raise InvalidInput(
            field="subject.person_key",
            rule="person_key_required",
            detail="The person's lookup key was not derived.",
        )
    if number in details.person_key.upper():
        raise InvalidInput(
            field="subject.person_key",
            rule="person_key_not_personal",
            detail="The person key must not contain the ID number.",
        )
    return PersonSubject.of(details.model_copy(update={"id_number": number}))
