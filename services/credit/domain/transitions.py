"""Which steps each status allows (rules.md §4.2), and the refusals that name them.

Steps drop the noun the path already names: `listings/{id}/decide` runs DecideListing."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from typing import Final

from services.credit.domain.listing import Listing, ListingStatus
from services.credit.domain.sanctions import SanctionTask
from shared.errors import InvalidInput, InvalidTransition

# Once ended, units still confirm that they lifted their sanctions.
_ENDED: Final = ("record-sanction-lifted", "mark-sanction-overdue")

ALLOWED_AFTER: Final[dict[ListingStatus, tuple[str, ...]]] = {
    ListingStatus.NEW: ("open-candidate",),
    ListingStatus.CANDIDATE: ("serve-notice", "decide-not-to-list"),
    # Deciding waits for the end of the objection period (rules.md §4.2).
    ListingStatus.NOTICE_SERVED: (
        "file-objection",
        "lapse-objection-period",
        "decide",
        "decide-not-to-list",
    ),
    ListingStatus.OBJECTION_FILED: ("review-objection", "decide-not-to-list"),
    ListingStatus.UNDER_REVIEW: ("decide", "decide-not-to-list"),
    ListingStatus.NOT_LISTED: (),
    ListingStatus.LISTED: ("publish", "expire", "revoke"),
    ListingStatus.PUBLISHED: ("expire", "revoke"),
    ListingStatus.ACTIVE: (
        "record-sanction-applied",
        "mark-sanction-overdue",
        "apply-for-early-removal",
        "decide-early-removal",
        "expire",
        "revoke",
    ),
    ListingStatus.EXPIRED: _ENDED,
    ListingStatus.REMOVED: _ENDED,
    ListingStatus.REVOKED: _ENDED,
}

BEFORE_DECISION: Final = frozenset(
    {
        ListingStatus.CANDIDATE,
        ListingStatus.NOTICE_SERVED,
        ListingStatus.OBJECTION_FILED,
        ListingStatus.UNDER_REVIEW,
    }
)
"""Statuses in which the subject may still be spared listing."""

ENDED: Final = frozenset(
    {ListingStatus.EXPIRED, ListingStatus.REMOVED, ListingStatus.REVOKED}
)
"""Statuses after the listing ended, when its sanctions are lifted."""


def allowed_after(status: ListingStatus) -> tuple[str, ...]:
    """The next steps a status allows, as kebab-case step names."""
    return ALLOWED_AFTER[status]


def refused(status: ListingStatus, what: str) -> InvalidTransition:
    """The refusal of a step the status does not allow, naming what it allows."""
    return InvalidTransition(
        current=status,
        allowed=allowed_after(status),
        detail=f"The listing is {status} and cannot be {what}.",
    )


def require_status(
    listing: Listing, allowed: Collection[ListingStatus], what: str
) -> None:
    """Refuses the step unless the listing is in one of the allowed statuses."""
    if listing.status not in allowed:
        raise refused(listing.status, what)


def require_date(
    day: date,
    *,
    field: str,
    today: date,
    not_before: date | None = None,
    since: str = "",
) -> None:
    """Refuses a date in the future, or before the step it follows (`since`)."""
    if day > today:
        raise InvalidInput(
            field=field, rule="not_in_future", detail=f"{day} is after today, {today}."
        )
    if not_before is not None and day < not_before:
        raise InvalidInput(
            field=field,
            rule=f"not_before_{since}",
            detail=f"{day} is before the {since.replace('_', ' ')} on {not_before}.",
        )


def require_task(listing: Listing, task_id: str) -> SanctionTask:
    """The listing's sanction task with that id; an unknown id is refused."""
    task = listing.task(task_id)
    if task is None:
        raise InvalidInput(
            field="task_id",
            rule="sanction_task_known",
            detail=f"The listing has no sanction task {task_id}.",
        )
    return task
