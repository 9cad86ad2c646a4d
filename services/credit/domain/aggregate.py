"""The listing aggregate (stream `listing-<id>`): every event of a listing, each
capability's evolve branch for its own events, and the aggregate the kernel runs.

The listing's state and the steps each status allows are in `listing`, which every
capability builds on; this module sits above them all."""

from __future__ import annotations

from services.credit.domain.candidate import CandidateEvent, evolve_candidate
from services.credit.domain.decision import DecisionEvent, evolve_decision
from services.credit.domain.early_removal import EarlyRemovalEvent, evolve_early_removal
from services.credit.domain.ending import EndingEvent, evolve_ending
from services.credit.domain.listing import Listing
from services.credit.domain.notice import NoticeEvent, evolve_notice
from services.credit.domain.publication import PublicationEvent, evolve_publication
from services.credit.domain.sanctioning import SanctionEvent, evolve_sanctioning
from shared.domain import Aggregate

ListingEvent = (
    CandidateEvent
    | NoticeEvent
    | DecisionEvent
    | PublicationEvent
    | SanctionEvent
    | EndingEvent
    | EarlyRemovalEvent
)


def evolve(listing: Listing, event: ListingEvent) -> Listing:
    """The listing after one more event, by the capability the event belongs to."""
    if isinstance(event, CandidateEvent):
        return evolve_candidate(listing, event)
    if isinstance(event, NoticeEvent):
        return evolve_notice(listing, event)
    if isinstance(event, DecisionEvent):
        return evolve_decision(listing, event)
    if isinstance(event, PublicationEvent):
        return evolve_publication(listing, event)
    if isinstance(event, SanctionEvent):
        return evolve_sanctioning(listing, event)
    if isinstance(event, EndingEvent):
        return evolve_ending(listing, event)
    return evolve_early_removal(listing, event)


LISTING: Aggregate[Listing, ListingEvent] = Aggregate(
    category="listing", initial=Listing(), evolve=evolve, events=ListingEvent
)
