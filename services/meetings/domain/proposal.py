"""Proposing a meeting: the office proposes a plenary (every active unit invited), a
special meeting or a joint inspection (with its plan), with its agenda (rules.md §4.3)."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, ClassVar, Final, Self

from pydantic import BaseModel, Field, StringConstraints, model_validator

from services.meetings.domain.invitations import duplicate
from services.meetings.domain.lifecycle import MeetingStatus, require_status
from shared.dates import BusinessDate, require_date, require_not_before
from shared.domain import Command, Event, Role
from shared.errors import InvalidInput, RuleViolated
from shared.unit_guard import require_active_unit
from shared.values import CaseId, ListingId, Note, Text, UnitCode

if TYPE_CHECKING:
    from services.meetings.domain.meeting import Meeting, MeetingEvent

ItemId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{0,31}$")]
"""An agenda item's or a requested material's id within its meeting (`1`, `report`)."""


class MeetingKind(StrEnum):
    """全体会议 the half-yearly plenary, 专题会议 a special meeting on one topic (needs
    the convener's approval), 联合督查 a joint supervision inspection (rules.md §4.3)."""

    PLENARY = "plenary"
    SPECIAL = "special"
    INSPECTION = "inspection"


class AgendaItemSpec(BaseModel, frozen=True, extra="forbid"):
    """A topic to put on the agenda, optionally about cases or listings (for the
    行刑衔接 review of cases referred to police, or listings awaiting decision)."""

    title: Text
    case_ids: tuple[CaseId, ...] = ()
    listing_ids: tuple[ListingId, ...] = ()


class AgendaItem(AgendaItemSpec):
    """An agenda item with the id the meeting gave it (`1`, `2`, … in order)."""

    item_id: ItemId


class InspectionPlan(BaseModel, frozen=True, extra="forbid"):
    """督查方案: what a joint inspection looks at, where, and over which days."""

    text: Text
    area: Note = ""
    starts_on: BusinessDate
    ends_on: BusinessDate

    @model_validator(mode="after")
    def _ends_after_it_starts(self) -> Self:
        if self.ends_on < self.starts_on:
            raise ValueError("ends_on is before starts_on")
        return self


class ProposeMeeting(Command):
    """The office proposes a meeting; a plenary invites every active unit (leave
    `invited_units` empty), a special meeting or inspection names its units."""

    permitted: ClassVar[frozenset[Role]] = frozenset({Role.OFFICE})

    kind: MeetingKind
    title: Text
    agenda: tuple[AgendaItemSpec, ...] = Field(min_length=1, max_length=100)
    invited_units: tuple[UnitCode, ...] = ()
    plan: InspectionPlan | None = None
    proposed_on: BusinessDate
    proposed_for: BusinessDate | None = None


ALLOWED_IN: Final[dict[type[Command], frozenset[MeetingStatus]]] = {
    ProposeMeeting: frozenset({MeetingStatus.NEW}),
}
"""The statuses in which each command of this capability is a next step."""


class MeetingProposed(Event):
    """The office proposed a meeting with its agenda and the units invited (every active
    unit for a plenary)."""

    kind: MeetingKind
    title: str
    agenda: tuple[AgendaItem, ...]
    invited_units: tuple[str, ...]
    plan: InspectionPlan | None
    proposed_on: date
    proposed_for: date | None


ProposalEvent = MeetingProposed


def evolve_proposal(meeting: Meeting, event: ProposalEvent) -> Meeting:
    """A proposed meeting: what it is about, whom it invites, and when."""
    return meeting.model_copy(update={"status": MeetingStatus.PROPOSED, **dict(event)})


def propose_meeting(
    meeting: Meeting,
    command: ProposeMeeting,
    *,
    today: date,
    units: frozenset[str],
    meeting_id: str,
) -> list[MeetingEvent]:
    """The office proposes a meeting: a plenary invites every active unit, a special
    meeting or inspection the units it names; only an inspection has a plan."""
    require_status(meeting, ALLOWED_IN[ProposeMeeting], "proposed")
    require_date(command.proposed_on, field="proposed_on", today=today)
    invited = _invited_units(command, units=units, meeting_id=meeting_id)
    _require_plan_for_inspections(command)
    if command.proposed_for is not None:
        require_not_before(
            command.proposed_for,
            field="proposed_for",
            not_before=command.proposed_on,
            since="proposal",
        )
    agenda = tuple(
        AgendaItem(item_id=str(number), **dict(spec))
        for number, spec in enumerate(command.agenda, start=1)
    )
    return [
        MeetingProposed(
            kind=command.kind,
            title=command.title,
            agenda=agenda,
            invited_units=invited,
            plan=command.plan,
            proposed_on=command.proposed_on,
            proposed_for=command.proposed_for,
        )
    ]


def _invited_units(
    command: ProposeMeeting, *, units: frozenset[str], meeting_id: str
) -> tuple[str, ...]:
    # A plenary invites every member unit (rules.md §4.3).
    if command.kind is MeetingKind.PLENARY:
        if command.invited_units:
            raise InvalidInput(
                field="invited_units",
                rule="plenary_invites_every_unit",
                detail="A plenary invites every active unit; leave invited_units empty.",
            )
        if not units:
            raise RuleViolated(
                "no-active-units",
                f"Meeting {meeting_id} has no active member unit to invite.",
            )
        return tuple(sorted(units))
    if not command.invited_units:
        raise InvalidInput(
            field="invited_units",
            rule="units_required",
            detail=f"A {command.kind} meeting names the units it invites.",
        )
    for index, code in enumerate(command.invited_units):
        field = f"invited_units.{index}"
        require_active_unit(code, units=units, field=field)
        if code in command.invited_units[:index]:
            raise duplicate(field, f"{code} is invited twice.")
    return command.invited_units


def _require_plan_for_inspections(command: ProposeMeeting) -> None:
    # 督查方案: the office writes a plan for a joint inspection (rules.md §4.3).
    is_inspection = command.kind is MeetingKind.INSPECTION
    if is_inspection and command.plan is None:
        raise InvalidInput(
            field="plan",
            rule="inspection_plan_required",
            detail="A joint inspection is proposed with its inspection plan.",
        )
    if not is_inspection and command.plan is not None:
        raise InvalidInput(
            field="plan",
            rule="plan_only_for_inspections",
            detail=f"A {command.kind} meeting has no inspection plan.",
        )
