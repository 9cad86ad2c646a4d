"""Who sees what of a listing (DESIGN.md §5 "Profiles"). The restricted profile, other
agencies' service accounts holding `exchange:credit:read`, sees decided listings
(listed and later) and their sanction tasks; candidates, notices and objections are
the office's and the auditors' (the internal profile). The public profile is
`public_records`."""

from __future__ import annotations

from typing import Any, Final

from services.credit.domain.decision import ListingDecided
from services.credit.domain.listing import ListingStatus
from shared.auth import Actor
from shared.errors import NotPermitted
from shared.store import Recorded

DECIDED: Final = frozenset(
    {
        ListingStatus.LISTED,
        ListingStatus.PUBLISHED,
        ListingStatus.ACTIVE,
        ListingStatus.EXPIRED,
        ListingStatus.REMOVED,
        ListingStatus.REVOKED,
    }
)
"""Statuses of a listing decided and not set aside before it: the restricted profile."""

# The procedure before the decision, which only the internal profile sees.
_BEFORE_DECISION_PARTS: Final = (
    "notice",
    "objection_deadline",
    "objection",
    "objection_lapsed_on",
    "not_listed",
)


def visible_statuses(actor: Actor) -> list[str] | None:
    """The statuses the actor may see listings in; None for every status (a person:
    the office, auditors and units read the internal profile)."""
    if not actor.is_service_account:
        return None
    return sorted(s.value for s in DECIDED)


def require_visible(actor: Actor, listing_id: str, status: ListingStatus) -> None:
    """403 for a service account asking for a listing not decided."""
    if actor.is_service_account and status not in DECIDED:
        raise NotPermitted(
            f"listing {listing_id} is not decided: a service account reads decided"
            " listings only"
        )


def restricted_state(actor: Actor, state: dict[str, Any]) -> dict[str, Any]:
    """The listing's state without the procedure before the decision, for a service
    account; as it is for a person."""
    if not actor.is_service_account:
        return state
    return {k: v for k, v in state.items() if k not in _BEFORE_DECISION_PARTS}


def restricted_history(actor: Actor, records: list[Recorded]) -> list[Recorded]:
    """The listing's events from its decision on, for a service account; all of
    them for a person."""
    if not actor.is_service_account:
        return records
    decided = ListingDecided.event_type()
    start = next(
        (i for i, r in enumerate(records) if r.event_type == decided), len(records)
    )
    return records[start:]
