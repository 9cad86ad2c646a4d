"""What happens to the sanctions of a listing in force: tasks opened for the units,
each applied, overdue, and lifted once the listing ended (rules.md §3.1.5, §4.2)."""

from __future__ import annotations

from datetime import date
from typing import assert_never

from services.credit.domain.listing import Listing, ListingStatus
from services.credit.domain.sanctions import (
    SanctionMeasure,
    SanctionTask,
    SanctionTaskStatus,
)
from shared.domain import Event


class ListingActivated(Event):
    """The listing is in force for the units: each unit with a sanction duty got a
    task, to confirm by its due date."""

    activated_on: date
    sanction_tasks: tuple[SanctionTask, ...]


class SanctionApplied(Event):
    """A unit confirmed it applies its measure to the subject, on what basis, with
    the reference of its own act."""

    task_id: str
    unit_code: str
    measure: SanctionMeasure
    applied_on: date
    basis: str
    reference: str


class SanctionLifted(Event):
    """A unit confirmed it lifted its measure after the listing ended."""

    task_id: str
    unit_code: str
    lifted_on: date
    reference: str


class SanctionOverdue(Event):
    """A unit did not confirm its sanction (or its lifting) by the due date; the
    watcher records it once per due date."""

    task_id: str
    unit_code: str
    due: date


SanctionEvent = ListingActivated | SanctionApplied | SanctionLifted | SanctionOverdue


def evolve_sanctions(listing: Listing, event: SanctionEvent) -> Listing:
    """The listing after its sanctions were opened, applied, lifted or overdue."""
    match event:
        case ListingActivated(activated_on=activated_on, sanction_tasks=tasks):
            return listing.model_copy(
                update={
                    "status": ListingStatus.ACTIVE,
                    "activated_on": activated_on,
                    "sanction_tasks": tasks,
                }
            )
        case SanctionApplied():
            return _task_changed(
                listing,
                event.task_id,
                status=SanctionTaskStatus.APPLIED,
                applied_on=event.applied_on,
                basis=event.basis,
                reference=event.reference,
            )
        case SanctionLifted():
            return _task_changed(
                listing,
                event.task_id,
                status=SanctionTaskStatus.LIFTED,
                lifted_on=event.lifted_on,
                lift_reference=event.reference,
            )
        case SanctionOverdue():
            return _task_changed(listing, event.task_id, is_overdue=True)
        case _:
            assert_never(event)


def _task_changed(listing: Listing, task_id: str, **changes: object) -> Listing:
    task = listing.task(task_id)
    if task is None:
        return listing
    return listing.with_task(task.model_copy(update=changes))
