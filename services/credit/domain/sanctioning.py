"""Units' sanctions on a listing in force: each unit confirms, once, that it applied
its own measure, and once the listing ended that it lifted it; the watcher marks a
late confirmation once (rules.md §3.1.5, §4.2 "Removal propagates")."""

from __future__ import annotations

from datetime import date
from typing import Annotated, ClassVar, Final, assert_never

from pydantic import StringConstraints

from services.credit.domain.listing import ENDED, Listing, ListingStatus, require_status
from services.credit.domain.sanctions import (
    SanctionMeasure,
    SanctionTask,
    SanctionTaskStatus,
)
from shared.dates import BusinessDate, require_date
from shared.domain import Command, Event, Role
from shared.errors import InvalidInput, NotPermitted, RuleViolated
from shared.values import Text

TaskId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_-]{1,99}$")]
"""A sanction task's id within its listing: `<unit>-<measure>`."""

_UNITS: frozenset[Role] = frozenset({Role.UNIT_STAFF, Role.OFFICE})


class RecordSanctionApplied(Command):
    permitted: ClassVar[frozenset[Role]] = _UNITS

    task_id: TaskId
    applied_on: BusinessDate
    basis: Text
    reference: Text


class RecordSanctionLifted(Command):
    permitted: ClassVar[frozenset[Role]] = _UNITS

    task_id: TaskId
    lifted_on: BusinessDate
    reference: Text


class MarkSanctionOverdue(Command):
    # Run by the sanction watcher only.
    permitted: ClassVar[frozenset[Role]] = frozenset({Role.SYSTEM})

    task_id: TaskId
    due: BusinessDate


ALLOWED_IN: Final[dict[type[Command], frozenset[ListingStatus]]] = {
    RecordSanctionApplied: frozenset({ListingStatus.ACTIVE}),
    # Once ended, units still confirm that they lifted their sanctions.
    RecordSanctionLifted: ENDED,
    MarkSanctionOverdue: frozenset({ListingStatus.ACTIVE, *ENDED}),
}
"""The statuses in which each command of this capability is a next step."""


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


SanctionEvent = SanctionApplied | SanctionLifted | SanctionOverdue


def evolve_sanctioning(listing: Listing, event: SanctionEvent) -> Listing:
    """The listing after a unit's sanction was applied, lifted or overdue."""
    match event:
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


def record_sanction_applied(
    listing: Listing, command: RecordSanctionApplied, *, today: date, unit: str
) -> list[SanctionEvent]:
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
) -> list[SanctionEvent]:
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
) -> list[SanctionEvent]:
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
