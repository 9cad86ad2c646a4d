"""The listing aggregate (stream `listing-<id>`): every event of a listing, each
capability's evolve branch for its own events, the steps each status allows, and the
aggregate the kernel runs.

The listing's state and its guards are in `listing`, which every capability builds
on; this module sits above them all."""

from __future__ import annotations

from typing import Final

from services.credit.domain import (
    candidate,
    decision,
    early_removal,
    ending,
    later_grounds,
    notice,
    payment_evidence,
    publication,
    sanctioning,
)
from services.credit.domain.listing import Listing, ListingStatus
from services.credit.domain.sanctions import SanctionTaskStatus
from shared.domain import Aggregate, Command

ListingEvent = (
    candidate.CandidateEvent
    | later_grounds.GroundsEvent
    | notice.NoticeEvent
    | decision.DecisionEvent
    | publication.PublicationEvent
    | sanctioning.SanctionEvent
    | ending.EndingEvent
    | early_removal.EarlyRemovalEvent
    | payment_evidence.PaymentEvidenceEvent
)


def evolve(listing: Listing, event: ListingEvent) -> Listing:
    """The listing after one more event, by the capability the event belongs to."""
    if isinstance(event, candidate.CandidateEvent):
        return candidate.evolve_candidate(listing, event)
    if isinstance(event, later_grounds.GroundsEvent):
        return later_grounds.evolve_grounds(listing, event)
    if isinstance(event, notice.NoticeEvent):
        return notice.evolve_notice(listing, event)
    if isinstance(event, decision.DecisionEvent):
        return decision.evolve_decision(listing, event)
    if isinstance(event, publication.PublicationEvent):
        return publication.evolve_publication(listing, event)
    if isinstance(event, sanctioning.SanctionEvent):
        return sanctioning.evolve_sanctioning(listing, event)
    if isinstance(event, ending.EndingEvent):
        return ending.evolve_ending(listing, event)
    if isinstance(event, payment_evidence.PaymentEvidenceRecorded):
        return payment_evidence.evolve_payment_evidence(listing, event)
    return early_removal.evolve_early_removal(listing, event)


LISTING: Aggregate[Listing, ListingEvent] = Aggregate(
    category="listing", initial=Listing(), evolve=evolve, events=ListingEvent
)

# Each capability says in which statuses its commands are next steps; a status's
# steps are listed capability by capability, in the order `allowed_next` always had.
_STEPS_BY_CAPABILITY: Final = (
    candidate.ALLOWED_IN,
    notice.ALLOWED_IN,
    decision.ALLOWED_IN,
    publication.ALLOWED_IN,
    sanctioning.ALLOWED_IN,
    payment_evidence.ALLOWED_IN,
    early_removal.ALLOWED_IN,
    ending.ALLOWED_IN,
    later_grounds.ALLOWED_IN,
)

ALLOWED_AFTER: Final[dict[ListingStatus, tuple[type[Command], ...]]] = {
    status: tuple(
        command
        for steps in _STEPS_BY_CAPABILITY
        for command, statuses in steps.items()
        if status in statuses
    )
    for status in ListingStatus
}
"""The commands each status allows; the service's command table names them by their
verbs (`allowed_next`, and the refusals on the wire)."""


def allowed_after(status: ListingStatus) -> tuple[type[Command], ...]:
    """The commands a status allows next."""
    return ALLOWED_AFTER[status]


def _refused_by_rule(
    listing: Listing, record: early_removal.PaymentOnRecord
) -> frozenset[type[Command]]:
    """The steps the status allows that the decide functions refuse under a named rule
    in this state: a second application while one is pending (409
    `early-removal-pending`), a decision without one (`no-early-removal-application`),
    confirming a sanction no unit has left to confirm (`sanction-already-applied`,
    `sanction-already-lifted`), payment evidence for a listing cases cover — its
    grounds name cases, or cases weighs one (`record`) — (`payment-recorded-in-cases`).
    """
    tasks = listing.sanction_tasks
    pending = listing.early_removal is not None
    refused: set[type[Command]] = set()
    refused.add(
        early_removal.ApplyForEarlyRemoval
        if pending
        else early_removal.DecideEarlyRemoval
    )
    if all(t.status is SanctionTaskStatus.APPLIED for t in tasks):
        refused.add(sanctioning.RecordSanctionApplied)
    if all(t.status is SanctionTaskStatus.LIFTED for t in tasks):
        refused.add(sanctioning.RecordSanctionLifted)
    if payment_evidence.is_covered_by_cases(listing, record):
        refused.add(payment_evidence.RecordPaymentEvidence)
    return frozenset(refused)


def allowed_steps(
    listing: Listing, record: early_removal.PaymentOnRecord
) -> tuple[type[Command], ...]:
    """The commands the listing allows next (`allowed_next`): its status's steps, less
    those its state, and the cases weighed for its payment (`record`, the decide
    functions' `payment_on_record`), refuse by rule, so what is offered is what is
    taken."""
    refused = _refused_by_rule(listing, record)
    return tuple(c for c in ALLOWED_AFTER[listing.status] if c not in refused)
