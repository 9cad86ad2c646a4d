"""The listing aggregate: every event of a listing and how it changes the listing
(stream `listing-<id>`)."""

from __future__ import annotations

from services.credit.domain.end_events import EndEvent, evolve_end
from services.credit.domain.events import ProcedureEvent, evolve_procedure
from services.credit.domain.listing import Listing
from services.credit.domain.sanction_events import SanctionEvent, evolve_sanctions
from shared.domain import Aggregate

ListingEvent = ProcedureEvent | SanctionEvent | EndEvent


def evolve(listing: Listing, event: ListingEvent) -> Listing:
    """The listing after one more event."""
    if isinstance(event, ProcedureEvent):
        return evolve_procedure(listing, event)
    if isinstance(event, SanctionEvent):
        return evolve_sanctions(listing, event)
    return evolve_end(listing, event)


LISTING: Aggregate[Listing, ListingEvent] = Aggregate(
    category="listing", initial=Listing(), evolve=evolve, events=ListingEvent
)
