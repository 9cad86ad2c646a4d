"""A candidate listing: opened for one subject, from a case's recommendation or by
hand, with its identifiers checked (rules.md §3.1.1 "Who is listed", §4.2, §5)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, ClassVar, Final, Self

from pydantic import StringConstraints, model_validator
from stdnum.cn import ric

from services.credit.domain.grounds import (
    Grounds,
    OpenedFrom,
    require_listing_conditions,
)
from services.credit.domain.limits import CreditLimits
from services.credit.domain.listing import Listing, ListingStatus, require_status
from services.credit.domain.subjects import (
    EmployerSubject,
    PersonDetails,
    PersonSubject,
    Subject,
    SubjectDetails,
)
from shared.dates import BusinessDate, require_date
from shared.domain import Command, Event, Role
from shared.errors import InvalidInput
from shared.uscc_check import checked_uscc
from shared.values import is_valid_resident_id

EventId = Annotated[
    str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$")
]
"""The id of an event of another service (a UUID in its envelope)."""


class OpenCandidate(Command):
    # The process manager opens candidates from cases' recommendations.
    permitted: ClassVar[frozenset[Role]] = frozenset({Role.SYSTEM, Role.OFFICE})
    personal_paths: ClassVar[tuple[str, ...]] = ("subject.name", "subject.id_number")

    subject: SubjectDetails
    grounds: Grounds
    opened_from: OpenedFrom
    source_event_id: EventId | None = None
    opened_on: BusinessDate

    @model_validator(mode="after")
    def _source_fits(self) -> Self:
        is_recommended = self.opened_from is OpenedFrom.CASE_RECOMMENDATION
        if is_recommended != (self.source_event_id is not None):
            raise ValueError(
                "source_event_id is given exactly when opened from a recommendation"
            )
        if is_recommended and not self.grounds.case_ids:
            raise ValueError("a recommendation names its case in grounds.case_ids")
        return self


class OpenByHand(OpenCandidate):
    """The labour inspection opens a candidate itself (the body of `POST /listings`),
    under the next number of the year; the service derives a person's lookup key from
    their ID number."""


ALLOWED_IN: Final[dict[type[Command], frozenset[ListingStatus]]] = {
    OpenCandidate: frozenset({ListingStatus.NEW}),
    OpenByHand: frozenset({ListingStatus.NEW}),
}
"""The statuses in which each command of this capability is a next step."""


class CandidateOpened(Event):
    """A subject became a candidate for listing, on a case's recommendation (the
    id of the event it came from) or by hand."""

    subject: Subject
    grounds: Grounds
    opened_from: OpenedFrom
    source_event_id: str | None
    opened_on: date


CandidateEvent = CandidateOpened


def evolve_candidate(listing: Listing, event: CandidateEvent) -> Listing:
    """The listing once opened: a candidate for its subject (a new stream has none)."""
    return Listing(status=ListingStatus.CANDIDATE, **dict(event))


def open_candidate(
    listing: Listing, command: OpenCandidate, *, today: date
) -> list[CandidateEvent]:
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


def open_by_hand(
    listing: Listing,
    command: OpenByHand,
    *,
    today: date,
    person_key: str | None,
    limits: CreditLimits,
) -> list[CandidateEvent]:
    """A candidate opened by hand, as any other, once the person's lookup key the
    service derived (None for an employer) replaces whatever the body gave. Its
    grounds must meet the listing conditions from the start (Order 45 art. 5): no case
    recommendation will bring a later fact to a listing opened by hand."""
    require_listing_conditions(command.grounds, limits)
    subject = command.subject
    if isinstance(subject, PersonDetails):
        keyed = subject.model_copy(update={"person_key": person_key})
        command = command.model_copy(update={"subject": keyed})
    return open_candidate(listing, command, today=today)


def checked_subject(details: EmployerSubject | PersonDetails) -> Subject:
    """The subject as the listing keeps it, once its identifiers are checked."""
    if isinstance(details, EmployerSubject):
        return _checked_employer(details)
    return _checked_person(details)


def _checked_employer(employer: EmployerSubject) -> EmployerSubject:
    # Some early real codes fail the check character, and some employers have none;
    # the office may keep them with a reason.
    if employer.uscc is None:
        if employer.uscc_override_reason is not None:
            return employer
        raise InvalidInput(
            field="subject.uscc",
            rule="uscc_required",
            detail="An employer is listed by its unified social credit code; "
            "give uscc_override_reason to list one without it.",
        )
    code = checked_uscc(
        employer.uscc,
        override_reason=employer.uscc_override_reason,
        field="subject.uscc",
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
