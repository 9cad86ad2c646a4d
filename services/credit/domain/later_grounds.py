"""Later facts about a candidate's grounds: listing needs an overdue order to pay
**and** (the crime threshold **or** a mass incident), whichever comes first (Order 45
art. 5, rules.md §3.1.1, §4.2). A candidate opened on a mass incident before its order
lapsed takes the lapse when cases recommends the employer again or records the
missed payment deadline; the decision can then be made."""

from __future__ import annotations

from datetime import date
from typing import ClassVar, Final

from services.credit.domain.candidate import EventId
from services.credit.domain.grounds import Grounds
from services.credit.domain.listing import (
    BEFORE_DECISION,
    Listing,
    ListingStatus,
    refused,
    require_status,
)
from shared.dates import BusinessDate, require_date
from shared.domain import Command, Event, Role
from shared.errors import RuleViolated
from shared.values import CaseId

# Both come from cases' events through the process manager.
_SYSTEM: frozenset[Role] = frozenset({Role.SYSTEM})


class UpdateGrounds(Command):
    """cases recommended the employer again for a case of the candidate."""

    permitted: ClassVar[frozenset[Role]] = _SYSTEM

    grounds: Grounds
    source_event_id: EventId
    updated_on: BusinessDate


class RecordOrderOverdue(Command):
    """cases recorded that the order to pay of one of the candidate's cases lapsed."""

    permitted: ClassVar[frozenset[Role]] = _SYSTEM

    case_id: CaseId
    source_event_id: EventId
    overdue_on: BusinessDate


ALLOWED_IN: Final[dict[type[Command], frozenset[ListingStatus]]] = {}
"""No command here is a next step anyone chooses: each records a fact of cases (as
cases' own `RecordDeadlineMissed`), so `allowed_next` never offers them; they are
taken before the decision (`BEFORE_DECISION`) and refused after it."""

RECORDS_OF_CASES: Final[tuple[type[Command], ...]] = (UpdateGrounds, RecordOrderOverdue)
"""The commands that record cases' facts rather than take a step."""


class GroundsUpdated(Event):
    """The candidate's grounds as they now stand, from a later event of cases (its id)."""

    grounds: Grounds
    source_event_id: str
    updated_on: date


GroundsEvent = GroundsUpdated


def evolve_grounds(listing: Listing, event: GroundsEvent) -> Listing:
    """The candidate with its new grounds; its status is unchanged."""
    return listing.model_copy(update={"grounds": event.grounds})


def merged(before: Grounds, later: Grounds) -> Grounds:
    """The grounds after a later recommendation: what is owed as it says now; an order
    that lapsed or an incident that happened stays a fact; every case is kept."""
    case_ids = (
        *before.case_ids,
        *(c for c in later.case_ids if c not in before.case_ids),
    )
    return later.model_copy(
        update={
            "case_ids": case_ids,
            "is_order_overdue": before.is_order_overdue or later.is_order_overdue,
            "is_mass_incident": before.is_mass_incident or later.is_mass_incident,
            "note": later.note or before.note,
        }
    )


def update_grounds(
    listing: Listing, command: UpdateGrounds, *, today: date
) -> list[GroundsEvent]:
    """A later recommendation updates the grounds before the decision; one that adds
    nothing (or is seen again) changes nothing."""
    before = _grounds_before_decision(
        listing, command.updated_on, field="updated_on", today=today
    )
    after = merged(before, command.grounds)
    if after == before:
        return []
    return [_updated(after, command.source_event_id, command.updated_on)]


def record_order_overdue(
    listing: Listing, command: RecordOrderOverdue, *, today: date
) -> list[GroundsEvent]:
    """The order to pay of one of the candidate's cases lapsed: the grounds now hold an
    overdue order (once; seen again it changes nothing)."""
    before = _grounds_before_decision(
        listing, command.overdue_on, field="overdue_on", today=today
    )
    if command.case_id not in before.case_ids:
        raise RuleViolated(
            "case-not-in-grounds",
            f"Case {command.case_id} is not one of the candidate's cases.",
        )
    if before.is_order_overdue:
        return []
    after = before.model_copy(update={"is_order_overdue": True})
    return [_updated(after, command.source_event_id, command.overdue_on)]


def _grounds_before_decision(
    listing: Listing, on: date, *, field: str, today: date
) -> Grounds:
    require_status(listing, BEFORE_DECISION, "given new grounds")
    require_date(
        on, field=field, today=today, not_before=listing.opened_on, since="opening"
    )
    if listing.grounds is None:  # every candidate is opened with its grounds
        raise refused(listing.status, "given new grounds")
    return listing.grounds


def _updated(grounds: Grounds, source_event_id: str, on: date) -> GroundsUpdated:
    return GroundsUpdated(
        grounds=grounds, source_event_id=source_event_id, updated_on=on
    )
