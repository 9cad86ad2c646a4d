"""Supplementary material (补正): a received case waits for it, its acceptance clock
stopped, and starts again when it comes (rules.md §3.4.1 item 2, §4.1)."""

from __future__ import annotations

from datetime import date
from typing import ClassVar, Final, Self, assert_never

from pydantic import model_validator

from services.cases.domain.lifecycle import require_status, require_step_date
from services.cases.domain.limits import CaseLimits
from services.cases.domain.state import (
    Case,
    CaseStatus,
    DeadlineKind,
    with_deadline,
    without_deadlines,
)
from shared.dates import BusinessDate, require_within_years_ahead
from shared.domain import Command, Deadline, Event, Role, WorkingDays
from shared.values import Text


class RequestSupplement(Command):
    permitted: ClassVar[frozenset[Role]] = frozenset({Role.OFFICE})

    requested_on: BusinessDate
    what: Text
    # No national time limit for supplementary material (rules.md §4.1, [N]).
    due: BusinessDate | None = None

    @model_validator(mode="after")
    def _due_after_request(self) -> Self:
        if self.due is not None and self.due < self.requested_on:
            raise ValueError("due is before requested_on")
        return self


class ReceiveSupplement(Command):
    permitted: ClassVar[frozenset[Role]] = frozenset({Role.OFFICE})

    received_on: BusinessDate


ALLOWED_IN: Final[dict[type[Command], frozenset[CaseStatus]]] = {
    RequestSupplement: frozenset({CaseStatus.RECEIVED}),
    ReceiveSupplement: frozenset({CaseStatus.AWAITING_SUPPLEMENT}),
}
"""The statuses in which each command of this capability is a next step."""


class SupplementRequested(Event):
    """补正: the employer or the facts are unclear; the acceptance clock waits for the
    material, which may have its own due date."""

    requested_on: date
    what: str
    due: date | None


class SupplementReceived(Event):
    """The material came; the acceptance clock starts again."""

    received_on: date
    acceptance_deadline: Deadline


SupplementEvent = SupplementRequested | SupplementReceived


def evolve_supplement(case: Case, event: SupplementEvent) -> Case:
    """The case after material was asked for or came."""
    match event:
        case SupplementRequested(due=due):
            deadlines = without_deadlines(case.deadlines, DeadlineKind.ACCEPTANCE)
            if due is not None:
                supplement = Deadline(due=due, is_provisional=False)
                deadlines = with_deadline(
                    deadlines, DeadlineKind.SUPPLEMENT, supplement
                )
            status = CaseStatus.AWAITING_SUPPLEMENT
        case SupplementReceived():
            deadlines = with_deadline(
                without_deadlines(case.deadlines, DeadlineKind.SUPPLEMENT),
                DeadlineKind.ACCEPTANCE,
                event.acceptance_deadline,
            )
            status = CaseStatus.RECEIVED
        case _:
            assert_never(event)
    return case.model_copy(update={"status": status, "deadlines": deadlines})


def request_supplement(
    case: Case, command: RequestSupplement, *, today: date, limits: CaseLimits
) -> list[SupplementEvent]:
    """A received case waits for supplementary material; its acceptance clock stops."""
    require_status(
        case, ALLOWED_IN[RequestSupplement], "sent for supplementary material"
    )
    require_step_date(case, command.requested_on, field="requested_on", today=today)
    if command.due is not None:
        require_within_years_ahead(
            command.due, field="due", today=today, years=limits.max_years_ahead
        )
    return [
        SupplementRequested(
            requested_on=command.requested_on, what=command.what, due=command.due
        )
    ]


def receive_supplement(
    case: Case,
    command: ReceiveSupplement,
    *,
    today: date,
    calendar: WorkingDays,
    limits: CaseLimits,
) -> list[SupplementEvent]:
    """The material arrived: the case is received again with a new acceptance
    deadline counted from that day."""
    require_status(case, ALLOWED_IN[ReceiveSupplement], "given supplementary material")
    require_step_date(case, command.received_on, field="received_on", today=today)
    return [
        SupplementReceived(
            received_on=command.received_on,
            acceptance_deadline=calendar.add_working_days(
                command.received_on, limits.acceptance_working_days
            ),
        )
    ]
