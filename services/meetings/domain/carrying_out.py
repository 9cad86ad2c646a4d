"""Action items carried out: a task from a decision or the work plan is assigned to
its unit, reported on by that unit, and accepted or sent back by the office
(rules.md §4.3; the due date and how often to report are per item)."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, ClassVar, Final, assert_never

from pydantic import BaseModel

from services.meetings.domain.deciding import ReportEvery
from services.meetings.domain.lifecycle import RUNNING, ActionStatus, require_status
from shared.dates import BusinessDate, require_date
from shared.domain import Command, Event, Role
from shared.errors import NotPermitted
from shared.values import CaseId, ListingId, Note, Text, UnitCode

if TYPE_CHECKING:
    from services.meetings.domain.action_item import ActionEvent, ActionItem

_OFFICE = frozenset({Role.OFFICE})


class ActionOrigin(StrEnum):
    """Whether an action item carries out a meeting's decision or the annual work plan."""

    DECISION = "decision"
    WORK_PLAN = "work_plan"


class AssignActionItem(Command):
    """Opens an action item from a recorded decision or work plan (the service does
    this itself, never a person)."""

    permitted: ClassVar[frozenset[Role]] = frozenset({Role.SYSTEM})

    meeting_id: str
    origin: ActionOrigin
    source_id: str
    unit_code: UnitCode
    task: Text
    # Taken from the decision in the log, not typed by anyone: it must always load.
    due: date
    report_every_days: ReportEvery | None = None
    case_ids: tuple[CaseId, ...] = ()
    listing_ids: tuple[ListingId, ...] = ()
    assigned_on: date


class ReportProgress(Command):
    """The responsible unit (only) reports; `is_complete` asks the office to accept it."""

    permitted: ClassVar[frozenset[Role]] = _OFFICE | frozenset({Role.UNIT_STAFF})

    reported_on: BusinessDate
    text: Text
    document_ref: Text | None = None
    is_complete: bool = False


class AcceptActionItem(Command):
    permitted: ClassVar[frozenset[Role]] = _OFFICE

    accepted_on: BusinessDate
    note: Note = ""


class SendBackActionItem(Command):
    permitted: ClassVar[frozenset[Role]] = _OFFICE

    sent_back_on: BusinessDate
    reason: Text


ALLOWED_IN: Final[dict[type[Command], frozenset[ActionStatus]]] = {
    AssignActionItem: frozenset({ActionStatus.NEW}),
    ReportProgress: RUNNING,
    AcceptActionItem: frozenset({ActionStatus.AWAITING_ACCEPTANCE}),
    SendBackActionItem: frozenset({ActionStatus.AWAITING_ACCEPTANCE}),
}
"""The statuses in which each command of this capability is a next step."""


class ActionItemAssigned(Event):
    """督办事项: one unit's task from a decision (`source_id` = decision id) or from the
    annual work plan (`source_id` = `wp-<year>`)."""

    meeting_id: str
    origin: ActionOrigin
    source_id: str
    unit_code: str
    task: str
    due: date
    report_every_days: int | None
    case_ids: tuple[str, ...]
    listing_ids: tuple[str, ...]
    assigned_on: date


class ProgressReported(Event):
    """The unit reported progress; `is_complete` says it considers the task done."""

    reported_on: date
    text: str
    document_ref: str | None
    is_complete: bool


class ActionItemAccepted(Event):
    """The office accepted the task as done."""

    accepted_on: date
    note: str


class ActionItemSentBack(Event):
    """The office sent the task back: not done yet, and why."""

    sent_back_on: date
    reason: str


CarryingOutEvent = (
    ActionItemAssigned | ProgressReported | ActionItemAccepted | ActionItemSentBack
)


class Report(BaseModel, frozen=True, extra="forbid"):
    """A progress report of the unit; `is_complete` says it considers the task done."""

    reported_on: date
    text: str
    document_ref: str | None = None
    is_complete: bool = False


def evolve_carrying_out(item: ActionItem, event: CarryingOutEvent) -> ActionItem:
    """The item assigned, reported on, accepted, or sent back with the reason."""
    update: dict[str, object]
    match event:
        case ActionItemAssigned():
            update = {"status": ActionStatus.OPEN, **dict(event)}
        case ProgressReported(is_complete=is_complete):
            status = (
                ActionStatus.AWAITING_ACCEPTANCE
                if is_complete
                else ActionStatus.IN_PROGRESS
            )
            reports = (*item.reports, Report(**dict(event)))
            update = {"status": status, "reports": reports}
        case ActionItemAccepted(accepted_on=accepted_on):
            update = {"status": ActionStatus.COMPLETED, "accepted_on": accepted_on}
        case ActionItemSentBack(reason=reason):
            reasons = (*item.sent_back_reasons, reason)
            update = {"status": ActionStatus.IN_PROGRESS, "sent_back_reasons": reasons}
        case _:
            assert_never(event)
    return item.model_copy(update=update)


def assign_action_item(
    item: ActionItem, command: AssignActionItem
) -> list[ActionEvent]:
    """督办: a task from a recorded decision or work plan is opened, once."""
    require_status(item, ALLOWED_IN[AssignActionItem], "assigned")
    return [ActionItemAssigned(**dict(command))]


def report_progress(
    item: ActionItem, command: ReportProgress, *, today: date, unit: str
) -> list[ActionEvent]:
    """The responsible unit, and only it, reports progress; a report it calls complete
    asks the office to accept the task."""
    require_status(item, ALLOWED_IN[ReportProgress], "reported on")
    if unit != item.unit_code:
        raise NotPermitted(
            f"The action item is {item.unit_code}'s task; {unit} cannot report on it."
        )
    require_date(
        command.reported_on,
        field="reported_on",
        today=today,
        not_before=item.assigned_on,
        since="assignment",
    )
    return [
        ProgressReported(
            reported_on=command.reported_on,
            text=command.text,
            document_ref=command.document_ref,
            is_complete=command.is_complete,
        )
    ]


def accept_action_item(
    item: ActionItem, command: AcceptActionItem, *, today: date
) -> list[ActionEvent]:
    """The office accepts a task the unit reported complete."""
    require_status(item, ALLOWED_IN[AcceptActionItem], "accepted")
    require_date(
        command.accepted_on,
        field="accepted_on",
        today=today,
        not_before=item.last_reported_on,
        since="report",
    )
    return [ActionItemAccepted(accepted_on=command.accepted_on, note=command.note)]


def send_back_action_item(
    item: ActionItem, command: SendBackActionItem, *, today: date
) -> list[ActionEvent]:
    """The office sends a task reported complete back to its unit, with the reason."""
    require_status(item, ALLOWED_IN[SendBackActionItem], "sent back")
    require_date(
        command.sent_back_on,
        field="sent_back_on",
        today=today,
        not_before=item.last_reported_on,
        since="report",
    )
    return [
        ActionItemSentBack(sent_back_on=command.sent_back_on, reason=command.reason)
    ]
