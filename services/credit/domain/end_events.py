"""How a listing ends: expiry, early removal on credit repair, revocation. Every end
turns each sanction not yet lifted into one to lift (rules.md §3.1.1, §4.2)."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import assert_never

from services.credit.domain.listing import (
    EarlyRemovalApplication,
    EndKind,
    Listing,
    ListingEnd,
    ListingStatus,
    RevokedBy,
)
from services.credit.domain.sanctions import SanctionTaskStatus
from shared.domain import Event


class RefusalReason(StrEnum):
    """Which condition of early removal was not met (rules.md §3.1.1)."""

    NOT_PAID = "not_paid"
    TOO_SOON_AFTER_CORRECTION = "too_soon_after_correction"
    NEW_ARREARS = "new_arrears"
    NO_WRITTEN_COMMITMENT = "no_written_commitment"


class ListingExpired(Event):
    """The listing period ran out; the units are to lift the sanctions named, by
    `lift_due` (None when there is nothing to lift)."""

    expired_on: date
    sanctions_to_lift: tuple[str, ...]
    lift_due: date | None


class EarlyRemovalApplied(Event):
    """The employer applied for early removal: when it paid (None if it has not), its
    written commitment, and whether new arrears were known then."""

    applied_on: date
    paid_on: date | None
    commitment_text: str
    has_new_arrears: bool


class EarlyRemovalGranted(Event):
    """Every condition of early removal held: the listing is removed and the units
    are to lift the sanctions named."""

    decided_on: date
    sanctions_to_lift: tuple[str, ...]
    lift_due: date | None


class EarlyRemovalRefused(Event):
    """Early removal was refused, naming each condition not met; the listing stays
    in force and the employer may apply again."""

    decided_on: date
    reasons: tuple[RefusalReason, ...]


class ListingRevoked(Event):
    """A reconsideration body or a court set the decision aside; the units are to
    lift the sanctions named."""

    revoked_on: date
    by: RevokedBy
    reference: str
    sanctions_to_lift: tuple[str, ...]
    lift_due: date | None


EndEvent = (
    ListingExpired
    | EarlyRemovalApplied
    | EarlyRemovalGranted
    | EarlyRemovalRefused
    | ListingRevoked
)


def evolve_end(listing: Listing, event: EndEvent) -> Listing:
    """The listing after an application for early removal, or its end."""
    match event:
        case EarlyRemovalApplied():
            application = EarlyRemovalApplication(**dict(event))
            return listing.model_copy(update={"early_removal": application})
        case EarlyRemovalRefused():
            return listing.model_copy(update={"early_removal": None})
        case ListingExpired(expired_on=ended_on):
            end = ListingEnd(ended_on=ended_on, how=EndKind.EXPIRED)
            return _ended(listing, ListingStatus.EXPIRED, end, event)
        case EarlyRemovalGranted(decided_on=ended_on):
            end = ListingEnd(ended_on=ended_on, how=EndKind.REMOVED)
            return _ended(listing, ListingStatus.REMOVED, end, event)
        case ListingRevoked():
            end = ListingEnd(
                ended_on=event.revoked_on,
                how=EndKind.REVOKED,
                reason=event.reference,
                revoked_by=event.by,
            )
            return _ended(listing, ListingStatus.REVOKED, end, event)
        case _:
            assert_never(event)


def _ended(
    listing: Listing,
    status: ListingStatus,
    end: ListingEnd,
    event: ListingExpired | EarlyRemovalGranted | ListingRevoked,
) -> Listing:
    tasks = tuple(
        t.model_copy(
            update={
                "status": SanctionTaskStatus.LIFT_PENDING,
                "due": event.lift_due or t.due,
                "is_overdue": False,
            }
        )
        if t.task_id in event.sanctions_to_lift
        else t
        for t in listing.sanction_tasks
    )
    return listing.model_copy(
        update={"status": status, "end": end, "sanction_tasks": tasks}
    )
