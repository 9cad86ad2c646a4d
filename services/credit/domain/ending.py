"""The end of a listing in force: expiry after the listing period, revocation on
appeal. Every end turns each sanction not yet lifted into one to lift, by a new due
date (rules.md §3.1.1, §4.2 "Removal propagates")."""

from __future__ import annotations

from datetime import date
from typing import ClassVar, Final, assert_never

from services.credit.domain.limits import CreditLimits
from services.credit.domain.listing import (
    ENDED,
    IN_FORCE,
    EndKind,
    Listing,
    ListingEnd,
    ListingStatus,
    RevokedBy,
    refused,
    require_status,
)
from services.credit.domain.sanctions import SanctionTaskStatus
from shared.dates import BusinessDate, require_date
from shared.domain import Command, Event, Role, WorkingDays
from shared.errors import RuleViolated
from shared.values import Text


class ExpireListing(Command):
    # Run by the expiry watcher only.
    permitted: ClassVar[frozenset[Role]] = frozenset({Role.SYSTEM})


class RevokeListing(Command):
    permitted: ClassVar[frozenset[Role]] = frozenset({Role.OFFICE})

    revoked_on: BusinessDate
    by: RevokedBy
    reference: Text


ALLOWED_IN: Final[dict[type[Command], frozenset[ListingStatus]]] = {
    ExpireListing: IN_FORCE,
    RevokeListing: IN_FORCE,
}
"""The statuses in which each command of this capability is a next step."""


class ListingExpired(Event):
    """The listing period ran out; the units are to lift the sanctions named, by
    `lift_due` (None when there is nothing to lift)."""

    expired_on: date
    sanctions_to_lift: tuple[str, ...]
    lift_due: date | None


class ListingRevoked(Event):
    """A reconsideration body or a court set the decision aside; the units are to
    lift the sanctions named."""

    revoked_on: date
    by: RevokedBy
    reference: str
    sanctions_to_lift: tuple[str, ...]
    lift_due: date | None


EndingEvent = ListingExpired | ListingRevoked


def evolve_ending(listing: Listing, event: EndingEvent) -> Listing:
    """The listing once expired or revoked."""
    match event:
        case ListingExpired(expired_on=ended_on):
            end = ListingEnd(ended_on=ended_on, how=EndKind.EXPIRED)
            return _ended_by(listing, ListingStatus.EXPIRED, end, event)
        case ListingRevoked():
            end = ListingEnd(
                ended_on=event.revoked_on,
                how=EndKind.REVOKED,
                reason=event.reference,
                revoked_by=event.by,
            )
            return _ended_by(listing, ListingStatus.REVOKED, end, event)
        case _:
            assert_never(event)


def expire_listing(
    listing: Listing,
    command: ExpireListing,
    *,
    today: date,
    calendar: WorkingDays,
    limits: CreditLimits,
) -> list[EndingEvent]:
    """The watcher expires a listing on the day its period ends (rules.md §3.1.1:
    3 years from the decision), once; a listing already ended changes nothing."""
    if listing.status in ENDED:
        return []
    require_status(listing, IN_FORCE, "expired")
    if listing.decision is None:
        raise refused(listing.status, "expired without a decision")
    ends_on = listing.decision.ends_on
    # In force up to the day before the same date 3 years on (rules.md §3.1.1).
    if today < ends_on:
        raise RuleViolated(
            "not-yet-expired",
            f"The listing is in force until the day before {ends_on}.",
        )
    to_lift, lift_due = sanctions_to_lift(listing, today, calendar, limits)
    return [
        ListingExpired(expired_on=ends_on, sanctions_to_lift=to_lift, lift_due=lift_due)
    ]


def revoke_listing(
    listing: Listing,
    command: RevokeListing,
    *,
    today: date,
    calendar: WorkingDays,
    limits: CreditLimits,
) -> list[EndingEvent]:
    """A reconsideration body or a court set the listing decision aside; the listing
    ends and its sanctions are to be lifted (rules.md §4.2 "→ Revoked")."""
    require_status(listing, IN_FORCE, "revoked")
    require_date(
        command.revoked_on,
        field="revoked_on",
        today=today,
        not_before=listing.decision.decided_on if listing.decision else None,
        since="decision",
    )
    to_lift, lift_due = sanctions_to_lift(listing, today, calendar, limits)
    return [
        ListingRevoked(
            revoked_on=command.revoked_on,
            by=command.by,
            reference=command.reference,
            sanctions_to_lift=to_lift,
            lift_due=lift_due,
        )
    ]


def sanctions_to_lift(
    listing: Listing, today: date, calendar: WorkingDays, limits: CreditLimits
) -> tuple[tuple[str, ...], date | None]:
    """The tasks to lift at the end of the listing, and the day to confirm it by."""
    # Every task not lifted, applied or not: each unit confirms nothing remains. Units
    # learn of the end today and confirm within the same working days as applying
    # (rules.md §4.2 "Removal propagates"; the limit is local, §3.1.5).
    to_lift = tuple(
        t.task_id
        for t in listing.sanction_tasks
        if t.status is not SanctionTaskStatus.LIFTED
    )
    if not to_lift:
        return (), None
    return to_lift, calendar.add_working_days(
        today, limits.sanction_confirm_working_days
    ).due


def ended(
    listing: Listing,
    status: ListingStatus,
    end: ListingEnd,
    *,
    to_lift: tuple[str, ...],
    lift_due: date | None,
) -> Listing:
    """The listing ended that way, each sanction named to be lifted by `lift_due`."""
    tasks = tuple(
        t.model_copy(
            update={
                "status": SanctionTaskStatus.LIFT_PENDING,
                "due": lift_due or t.due,
                "is_overdue": False,
            }
        )
        if t.task_id in to_lift
        else t
        for t in listing.sanction_tasks
    )
    return listing.model_copy(
        update={"status": status, "end": end, "sanction_tasks": tasks}
    )


def _ended_by(
    listing: Listing, status: ListingStatus, end: ListingEnd, event: EndingEvent
) -> Listing:
    return ended(
        listing,
        status,
        end,
        to_lift=event.sanctions_to_lift,
        lift_due=event.lift_due,
    )
