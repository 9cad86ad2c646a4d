"""Publication and joint sanctions: publishing activates the listing and gives each
unit with a duty its task; units confirm applying and later lifting their measures;
the watcher marks a late confirmation once (rules.md §3.1.1, §3.1.5, §4.2)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from services.credit.domain.aggregate import ListingEvent
from services.credit.domain.commands import (
    MarkSanctionOverdue,
    PublishListing,
    RecordSanctionApplied,
    RecordSanctionLifted,
)
from services.credit.domain.events import ListingPublished
from services.credit.domain.limits import CreditLimits
from services.credit.domain.listing import Listing, ListingStatus
from services.credit.domain.sanction_events import (
    ListingActivated,
    SanctionApplied,
    SanctionLifted,
    SanctionOverdue,
)
from services.credit.domain.sanctions import (
    SanctionDuty,
    SanctionTask,
    SanctionTaskStatus,
    sanction_tasks_for,
)
from services.credit.domain.transitions import (
    ENDED,
    require_date,
    require_status,
    require_task,
)
from shared.domain import WorkingDays
from shared.errors import NotPermitted, RuleViolated


def publish_listing(
    listing: Listing,
    command: PublishListing,
    *,
    today: date,
    calendar: WorkingDays,
    limits: CreditLimits,
    duties: tuple[SanctionDuty, ...],
    units: Mapping[str, str],
) -> list[ListingEvent]:
    """A listed subject is published and shared, which makes the listing active: each
    active unit (code → name) with a sanction duty gets a task per measure, to
    confirm within the district's working days."""
    require_status(listing, {ListingStatus.LISTED}, "published")
    decision = listing.decision
    require_date(
        command.published_on,
        field="published_on",
        today=today,
        not_before=decision.decided_on if decision else None,
        since="decision",
    )
    if decision is not None and command.published_on >= decision.ends_on:
        raise RuleViolated(
            "listing-period-over", f"The listing period ended on {decision.ends_on}."
        )
    # Units confirm within a local number of working days (rules.md §3.1.5, §4.2).
    due = calendar.add_working_days(
        command.published_on, limits.sanction_confirm_working_days
    ).due
    return [
        ListingPublished(
            published_on=command.published_on, shared_to=command.shared_to
        ),
        ListingActivated(
            activated_on=command.published_on,
            sanction_tasks=sanction_tasks_for(duties, units, due=due),
        ),
    ]


def record_sanction_applied(
    listing: Listing, command: RecordSanctionApplied, *, today: date, unit: str
) -> list[ListingEvent]:
    """A unit confirms, once, that it applies its own measure to an active listing;
    late is still confirmed, the watcher having marked it overdue."""
    require_status(listing, {ListingStatus.ACTIVE}, "given a sanction")
    task = _own_task(listing, command.task_id, unit=unit)
    if task.status is SanctionTaskStatus.APPLIED:
        raise RuleViolated(
            "sanction-already-applied",
            f"Unit {unit} confirmed {task.measure} on {task.applied_on}.",
        )
    require_date(
        command.applied_on,
        field="applied_on",
        today=today,
        not_before=listing.activated_on,
        since="activation",
    )
    return [
        SanctionApplied(
            task_id=task.task_id,
            unit_code=task.unit_code,
            measure=task.measure,
            applied_on=command.applied_on,
            basis=command.basis,
            reference=command.reference,
        )
    ]


def record_sanction_lifted(
    listing: Listing, command: RecordSanctionLifted, *, today: date, unit: str
) -> list[ListingEvent]:
    """Once a listing ended, a unit confirms, once, that it lifted its own measure
    (rules.md §4.2 "Removal propagates")."""
    require_status(listing, ENDED, "relieved of a sanction")
    task = _own_task(listing, command.task_id, unit=unit)
    if task.status is SanctionTaskStatus.LIFTED:
        raise RuleViolated(
            "sanction-already-lifted",
            f"Unit {unit} confirmed lifting {task.measure} on {task.lifted_on}.",
        )
    require_date(
        command.lifted_on,
        field="lifted_on",
        today=today,
        not_before=listing.end.ended_on if listing.end else None,
        since="end",
    )
    return [
        SanctionLifted(
            task_id=task.task_id,
            unit_code=task.unit_code,
            lifted_on=command.lifted_on,
            reference=command.reference,
        )
    ]


def mark_sanction_overdue(
    listing: Listing, command: MarkSanctionOverdue, *, today: date
) -> list[ListingEvent]:
    """The watcher marks a task overdue once its due date has passed unconfirmed; a
    task already marked, confirmed, not yet due or with another due date (the watcher
    saw an older one) changes nothing."""
    require_status(listing, {ListingStatus.ACTIVE, *ENDED}, "checked for sanctions")
    task = require_task(listing, command.task_id)
    # A unit confirms by the last day of its local limit (rules.md §3.1.5, §4.2).
    is_late = (
        task.due == command.due
        and today > task.due
        and not task.is_overdue
        and not task.is_confirmed
    )
    if not is_late:
        return []
    return [
        SanctionOverdue(task_id=task.task_id, unit_code=task.unit_code, due=task.due)
    ]


def _own_task(listing: Listing, task_id: str, *, unit: str) -> SanctionTask:
    task = require_task(listing, task_id)
    if task.unit_code != unit:
        raise NotPermitted(f"Task {task_id} is unit {task.unit_code}'s, not {unit}'s.")
    return task
