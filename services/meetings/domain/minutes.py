"""会议纪要 the minutes of a held meeting: drafted under its agenda items, circulated to
the units, amended with the reason, and approved by the convener or a deputy on the
roster on the day (rules.md §4.3)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, ClassVar, Final, assert_never

from pydantic import BaseModel, Field

from services.meetings.domain.invitations import duplicate
from services.meetings.domain.lifecycle import (
    MeetingStatus,
    MinutesStatus,
    require_minutes,
    steps_by_status,
)
from services.meetings.domain.powers import Powers, require_power
from services.meetings.domain.proposal import ItemId
from shared.dates import BusinessDate, require_date
from shared.domain import Command, Event, Role
from shared.errors import InvalidInput
from shared.values import Text

if TYPE_CHECKING:
    from services.meetings.domain.meeting import Meeting, MeetingEvent

_S = MinutesStatus
_OFFICE = frozenset({Role.OFFICE})


class MinutesItem(BaseModel, frozen=True, extra="forbid"):
    """What the minutes record under one agenda item."""

    agenda_item_id: ItemId
    text: Text


class DraftMinutes(Command):
    permitted: ClassVar[frozenset[Role]] = _OFFICE

    items: tuple[MinutesItem, ...] = Field(min_length=1, max_length=100)
    drafted_on: BusinessDate


class CirculateMinutes(Command):
    permitted: ClassVar[frozenset[Role]] = _OFFICE

    circulated_on: BusinessDate


class AmendMinutes(Command):
    permitted: ClassVar[frozenset[Role]] = _OFFICE

    items: tuple[MinutesItem, ...] = Field(min_length=1, max_length=100)
    reason: Text
    amended_on: BusinessDate


class ApproveMinutes(Command):
    permitted: ClassVar[frozenset[Role]] = frozenset(
        {Role.CONVENER, Role.DEPUTY_CONVENER}
    )

    approved_on: BusinessDate


ALLOWED_IN: Final[dict[type[Command], frozenset[MeetingStatus]]] = {
    DraftMinutes: frozenset({MeetingStatus.HELD}),
    CirculateMinutes: frozenset({MeetingStatus.HELD}),
    AmendMinutes: frozenset({MeetingStatus.HELD}),
    ApproveMinutes: frozenset({MeetingStatus.HELD}),
}
"""The statuses in which each command of this capability is a next step (the minutes' own order is `MINUTES_STEPS`)."""


MINUTES_ALLOWED_IN: Final[dict[type[Command], frozenset[MinutesStatus]]] = {
    DraftMinutes: frozenset({_S.NONE}),
    CirculateMinutes: frozenset({_S.DRAFTED, _S.AMENDED}),
    AmendMinutes: frozenset({_S.DRAFTED, _S.CIRCULATED, _S.AMENDED}),
    ApproveMinutes: frozenset({_S.CIRCULATED, _S.AMENDED}),
}
"""The statuses of a held meeting's minutes in which each minutes command is next."""

MINUTES_STEPS: Final = steps_by_status(MinutesStatus, (MINUTES_ALLOWED_IN,))
"""The minutes commands each status of a held meeting's minutes allows."""


class MinutesDrafted(Event):
    """会议纪要: the first draft of the minutes, under the agenda items."""

    revision: int
    items: tuple[MinutesItem, ...]
    drafted_on: date


class MinutesCirculated(Event):
    """The draft went to the units for comment."""

    revision: int
    circulated_on: date


class MinutesAmended(Event):
    """A new revision of the minutes, and why."""

    revision: int
    items: tuple[MinutesItem, ...]
    reason: str
    amended_on: date


class MinutesApproved(Event):
    """The chair approved the minutes in this revision."""

    revision: int
    approved_on: date


MinutesEvent = MinutesDrafted | MinutesCirculated | MinutesAmended | MinutesApproved


class Minutes(BaseModel, frozen=True, extra="forbid"):
    """会议纪要: the minutes in their latest revision, and why they were last amended."""

    status: MinutesStatus = MinutesStatus.NONE
    revision: int = 0
    items: tuple[MinutesItem, ...] = ()
    reason: str = ""
    approved_on: date | None = None


def evolve_minutes(meeting: Meeting, event: MinutesEvent) -> Meeting:
    """The meeting with its minutes one step on."""
    minutes = meeting.minutes
    match event:
        case MinutesDrafted(revision=revision, items=items):
            minutes = Minutes(status=_S.DRAFTED, revision=revision, items=items)
        case MinutesCirculated(revision=revision):
            update: dict[str, object] = {"status": _S.CIRCULATED, "revision": revision}
            minutes = minutes.model_copy(update=update)
        case MinutesAmended(revision=revision, items=items, reason=reason):
            update = {"revision": revision, "items": items, "reason": reason}
            minutes = minutes.model_copy(update={"status": _S.AMENDED, **update})
        case MinutesApproved(revision=revision, approved_on=approved_on):
            update = {"revision": revision, "approved_on": approved_on}
            minutes = minutes.model_copy(update={"status": _S.APPROVED, **update})
        case _:
            assert_never(event)
    return meeting.model_copy(update={"minutes": minutes})


def draft_minutes(
    meeting: Meeting, command: DraftMinutes, *, today: date
) -> list[MeetingEvent]:
    """会议纪要: the first draft of the minutes, under the agenda items."""
    require_minutes(meeting, MINUTES_ALLOWED_IN[DraftMinutes], "drafted")
    _require_items(meeting, command.items)
    _require_after_meeting(meeting, command.drafted_on, "drafted_on", today=today)
    return [
        MinutesDrafted(revision=1, items=command.items, drafted_on=command.drafted_on)
    ]


def circulate_minutes(
    meeting: Meeting, command: CirculateMinutes, *, today: date
) -> list[MeetingEvent]:
    """The draft, or its latest amendment, goes to the units for comment."""
    require_minutes(meeting, MINUTES_ALLOWED_IN[CirculateMinutes], "circulated")
    _require_after_meeting(meeting, command.circulated_on, "circulated_on", today=today)
    return [
        MinutesCirculated(
            revision=meeting.minutes.revision, circulated_on=command.circulated_on
        )
    ]


def amend_minutes(
    meeting: Meeting, command: AmendMinutes, *, today: date
) -> list[MeetingEvent]:
    """A new revision of the minutes, with the reason; approved minutes stand."""
    require_minutes(meeting, MINUTES_ALLOWED_IN[AmendMinutes], "amended")
    _require_items(meeting, command.items)
    _require_after_meeting(meeting, command.amended_on, "amended_on", today=today)
    return [
        MinutesAmended(
            revision=meeting.minutes.revision + 1,
            items=command.items,
            reason=command.reason,
            amended_on=command.amended_on,
        )
    ]


def approve_minutes(
    meeting: Meeting, command: ApproveMinutes, *, today: date, powers: Powers
) -> list[MeetingEvent]:
    """The convener or a deputy convener, on the roster on the day of approval,
    approves the circulated or amended minutes in their latest revision."""
    require_power(powers, command, what="approve minutes")
    require_minutes(meeting, MINUTES_ALLOWED_IN[ApproveMinutes], "approved")
    _require_after_meeting(meeting, command.approved_on, "approved_on", today=today)
    return [
        MinutesApproved(
            revision=meeting.minutes.revision, approved_on=command.approved_on
        )
    ]


def _require_items(meeting: Meeting, items: tuple[MinutesItem, ...]) -> None:
    for index, item in enumerate(items):
        field = f"items.{index}.agenda_item_id"
        if meeting.agenda_item(item.agenda_item_id) is None:
            raise InvalidInput(
                field=field,
                rule="agenda_item",
                detail=f"The agenda has no item {item.agenda_item_id}.",
            )
        if any(i.agenda_item_id == item.agenda_item_id for i in items[:index]):
            raise duplicate(
                field, f"Agenda item {item.agenda_item_id} is minuted twice."
            )


def _require_after_meeting(
    meeting: Meeting, day: date, field: str, *, today: date
) -> None:
    require_date(
        day, field=field, today=today, not_before=meeting.held_on, since="meeting"
    )
