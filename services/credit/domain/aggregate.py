"""The listing aggregate (stream `listing-<id>`): every event of a listing, each
capability's evolve branch for its own events, and the aggregate the kernel runs.

The listing's state and its guards are in `listing`, which every capability builds
on; this module sits above them all, and so holds the steps each status allows."""

from __future__ import annotations

from typing import Final

from services.credit.domain.candidate import (
    CandidateEvent,
    OpenByHand,
    OpenCandidate,
    evolve_candidate,
)
from services.credit.domain.decision import (
    DecideListing,
    DecideNotToList,
    DecisionEvent,
    evolve_decision,
)
from services.credit.domain.early_removal import (
    ApplyForEarlyRemoval,
    DecideEarlyRemoval,
    EarlyRemovalEvent,
    evolve_early_removal,
)
from services.credit.domain.ending import (
    EndingEvent,
    ExpireListing,
    RevokeListing,
    evolve_ending,
)
from services.credit.domain.listing import Listing, ListingStatus
from services.credit.domain.notice import (
    FileObjection,
    LapseObjectionPeriod,
    NoticeEvent,
    ReviewObjection,
    ServeNotice,
    evolve_notice,
)
from services.credit.domain.publication import (
    PublicationEvent,
    PublishListing,
    evolve_publication,
)
from services.credit.domain.sanctioning import (
    MarkSanctionOverdue,
    RecordSanctionApplied,
    RecordSanctionLifted,
    SanctionEvent,
    evolve_sanctioning,
)
from shared.domain import Aggregate, Command

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

# Once ended, units still confirm that they lifted their sanctions.
_ENDED: Final = (RecordSanctionLifted, MarkSanctionOverdue)

ALLOWED_AFTER: Final[dict[ListingStatus, tuple[type[Command], ...]]] = {
    ListingStatus.NEW: (OpenCandidate, OpenByHand),
    ListingStatus.CANDIDATE: (ServeNotice, DecideNotToList),
    # Deciding waits for the end of the objection period (rules.md §4.2).
    ListingStatus.NOTICE_SERVED: (
        FileObjection,
        LapseObjectionPeriod,
        DecideListing,
        DecideNotToList,
    ),
    ListingStatus.OBJECTION_FILED: (ReviewObjection, DecideNotToList),
    ListingStatus.UNDER_REVIEW: (DecideListing, DecideNotToList),
    ListingStatus.NOT_LISTED: (),
    ListingStatus.LISTED: (PublishListing, ExpireListing, RevokeListing),
    ListingStatus.PUBLISHED: (ExpireListing, RevokeListing),
    ListingStatus.ACTIVE: (
        RecordSanctionApplied,
        MarkSanctionOverdue,
        ApplyForEarlyRemoval,
        DecideEarlyRemoval,
        ExpireListing,
        RevokeListing,
    ),
    ListingStatus.EXPIRED: _ENDED,
    ListingStatus.REMOVED: _ENDED,
    ListingStatus.REVOKED: _ENDED,
}
"""The commands each status allows; the service's command table names them by their
verbs (`allowed_next`, and the refusals on the wire)."""


def allowed_after(status: ListingStatus) -> tuple[type[Command], ...]:
    """The commands a status allows next."""
    return ALLOWED_AFTER[status]
