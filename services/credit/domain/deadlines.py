"""The time limits running on a listing, for the watchers: the objection period, each
unit's sanction confirmation, and the listing's expiry (rules.md §4.2)."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from services.credit.domain.listing import IN_FORCE, Listing, ListingStatus
from services.credit.domain.sanctions import SanctionTaskStatus
from shared.open_deadline import OpenDeadline


class DeadlineKind(StrEnum):
    """Which time limit a deadline is."""

    OBJECTION_PERIOD = "objection_period"
    SANCTION_CONFIRMATION = "sanction_confirmation"
    SANCTION_LIFT = "sanction_lift"
    EXPIRY = "expiry"


class ListingDeadline(OpenDeadline[DeadlineKind]):
    """A time limit running on the listing. `due` is the last day of a period (the
    objection period, a unit's confirmation), or the day an expiring listing ends;
    `task_id` names the sanction task of a confirmation."""

    task_id: str = ""

    def has_passed(self, today: date) -> bool:
        """Whether the watcher should act today: the day after a period's last day,
        or on the day a listing ends."""
        if self.kind is DeadlineKind.EXPIRY:
            return today >= self.due
        return super().has_passed(today)


def open_deadlines(listing: Listing) -> tuple[ListingDeadline, ...]:
    """The deadlines the watchers check: the objection period while the notice
    stands, each sanction task not yet confirmed nor marked overdue, and the expiry
    of a listing in force."""
    deadlines: list[ListingDeadline] = []
    period = listing.objection_deadline
    if listing.status is ListingStatus.NOTICE_SERVED and period is not None:
        deadlines.append(
            ListingDeadline(kind=DeadlineKind.OBJECTION_PERIOD, due=period.due)
        )
    for task in listing.sanction_tasks:
        if task.is_confirmed or task.is_overdue:
            continue
        kind = (
            DeadlineKind.SANCTION_LIFT
            if task.status is SanctionTaskStatus.LIFT_PENDING
            else DeadlineKind.SANCTION_CONFIRMATION
        )
        deadlines.append(ListingDeadline(kind=kind, due=task.due, task_id=task.task_id))
    decision = listing.decision
    if listing.status in IN_FORCE and decision is not None:
        deadlines.append(
            ListingDeadline(kind=DeadlineKind.EXPIRY, due=decision.ends_on)
        )
    return tuple(deadlines)
