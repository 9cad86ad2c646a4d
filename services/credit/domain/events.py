"""What happens to a listing before it is in force: candidate, notice, objection,
decision to list or not, publication (rules.md §3.1.1, §4.2)."""

from __future__ import annotations

from datetime import date
from typing import assert_never

from services.credit.domain.facts import Grounds, OpenedFrom, ServiceMethod
from services.credit.domain.listing import (
    Listing,
    ListingDecision,
    ListingStatus,
    Notice,
    NotListedDecision,
    Objection,
)
from services.credit.domain.subjects import Subject
from shared.domain import Deadline, Event


class CandidateOpened(Event):
    """A subject became a candidate for listing, on a case's recommendation (the
    id of the event it came from) or by hand."""

    subject: Subject
    grounds: Grounds
    opened_from: OpenedFrom
    source_event_id: str | None
    opened_on: date


class NoticeServed(Event):
    """The notice of intent was served; the objection period runs to its deadline."""

    served_on: date
    method: ServiceMethod
    objection_deadline: Deadline


class ObjectionFiled(Event):
    """The subject objected within the period."""

    filed_on: date
    text: str


class ObjectionReviewed(Event):
    """The objection was checked: upheld (the listing cannot go ahead on these
    grounds) or not, with the reasoning."""

    reviewed_on: date
    upheld: bool
    reasoning: str


class ObjectionPeriodLapsed(Event):
    """The objection period ran out with no objection; recorded once."""

    lapsed_on: date


class ListingDecided(Event):
    """The subject is listed from `decided_on` until `ends_on`; a person's listing
    names the employer's listing of the same decision."""

    decided_on: date
    decision_id: str
    decided_by: str
    ends_on: date
    employer_listing_id: str | None


class NotListed(Event):
    """The subject is not listed, e.g. it paid and gave a written commitment before
    the decision (the cautious-listing clause)."""

    decided_on: date
    reason: str


class ListingPublished(Event):
    """The listing was published and shared to the credit platforms named."""

    published_on: date
    shared_to: tuple[str, ...]


ProcedureEvent = (
    CandidateOpened
    | NoticeServed
    | ObjectionFiled
    | ObjectionReviewed
    | ObjectionPeriodLapsed
    | ListingDecided
    | NotListed
    | ListingPublished
)


def evolve_procedure(listing: Listing, event: ProcedureEvent) -> Listing:
    """The listing after a step of its procedure."""
    match event:
        case CandidateOpened():
            return Listing(status=ListingStatus.CANDIDATE, **dict(event))
        case NoticeServed(objection_deadline=deadline):
            notice = Notice(served_on=event.served_on, method=event.method)
            return _moved(
                listing,
                ListingStatus.NOTICE_SERVED,
                notice=notice,
                objection_deadline=deadline,
            )
        case ObjectionFiled(filed_on=filed_on, text=text):
            objection = Objection(filed_on=filed_on, text=text)
            return _moved(listing, ListingStatus.OBJECTION_FILED, objection=objection)
        case ObjectionReviewed():
            return _reviewed(listing, event)
        case ObjectionPeriodLapsed(lapsed_on=lapsed_on):
            return _moved(
                listing, ListingStatus.UNDER_REVIEW, objection_lapsed_on=lapsed_on
            )
        case ListingDecided():
            decision = ListingDecision(**dict(event))
            return _moved(listing, ListingStatus.LISTED, decision=decision)
        case NotListed(decided_on=decided_on, reason=reason):
            refusal = NotListedDecision(decided_on=decided_on, reason=reason)
            return _moved(listing, ListingStatus.NOT_LISTED, not_listed=refusal)
        case ListingPublished(published_on=published_on, shared_to=shared_to):
            return _moved(
                listing,
                ListingStatus.PUBLISHED,
                published_on=published_on,
                shared_to=shared_to,
            )
        case _:
            assert_never(event)


def _reviewed(listing: Listing, event: ObjectionReviewed) -> Listing:
    objection = listing.objection
    if objection is None:
        return _moved(listing, ListingStatus.UNDER_REVIEW)
    reviewed = objection.model_copy(
        update={
            "reviewed_on": event.reviewed_on,
            "is_upheld": event.upheld,
            "reasoning": event.reasoning,
        }
    )
    return _moved(listing, ListingStatus.UNDER_REVIEW, objection=reviewed)


def _moved(listing: Listing, status: ListingStatus, **changes: object) -> Listing:
    return listing.model_copy(update={"status": status, **changes})
