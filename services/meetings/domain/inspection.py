"""联合督查 joint inspections: what the inspectors find while the inspection runs or
after; a finding of wage arrears goes to cases as a case (DESIGN.md §4 "meetings")."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, ClassVar, Final

from pydantic import BaseModel, Field

from services.meetings.domain.lifecycle import MeetingStatus, require_status
from services.meetings.domain.proposal import MeetingKind
from shared.amounts import Money
from shared.dates import BusinessDate, require_date
from shared.domain import Command, Event, Role
from shared.errors import InvalidInput, RuleViolated
from shared.unit_guard import require_active_unit
from shared.uscc_check import checked_uscc
from shared.values import Name, Text, UnitCode, Uscc

if TYPE_CHECKING:
    from services.meetings.domain.meeting import Meeting, MeetingEvent


class Sector(StrEnum):
    """Construction, where most arrears are, or any other sector (as cases keeps it)."""

    CONSTRUCTION = "construction"
    OTHER = "other"


class ArrearsFound(BaseModel, frozen=True, extra="forbid"):
    """What an inspection found about wage arrears: enough for cases to receive a case."""

    employer_name: Name
    employer_uscc: Uscc | None = None
    uscc_override_reason: Text | None = None
    sector: Sector
    project_name: Name | None = None
    workers_count: int = Field(ge=1, le=100_000)
    months_owed: int = Field(ge=0, le=600)
    amount_owed: Money
    territorial_unit: UnitCode
    is_mass_incident: bool = False


class RaiseFinding(Command):
    """An inspection finding; with `arrears` it becomes a case in cases."""

    permitted: ClassVar[frozenset[Role]] = frozenset({Role.OFFICE})

    found_on: BusinessDate
    description: Text
    unit_code: UnitCode | None = None
    arrears: ArrearsFound | None = None
    suggested_lead_unit: UnitCode | None = None


ALLOWED_IN: Final[dict[type[Command], frozenset[MeetingStatus]]] = {
    # An inspection finds while it runs, and after.
    RaiseFinding: frozenset({MeetingStatus.SCHEDULED, MeetingStatus.HELD}),
}
"""The statuses in which each command of this capability is a next step."""


class FindingRecorded(Event):
    """An inspection finding about something other than wage arrears."""

    finding_id: str
    found_on: date
    description: str
    unit_code: str | None


class InspectionFindingRaised(Event):
    """An inspection found wage arrears: cases receives it as a case (source
    `inspection_finding`), once per finding."""

    finding_id: str
    found_on: date
    description: str
    arrears: ArrearsFound
    suggested_lead_unit: str | None
    # The unit the finding concerns, if the inspectors named one (added with a
    # default, so events stored without it read back unchanged).
    unit_code: str | None = None


InspectionEvent = FindingRecorded | InspectionFindingRaised


class Finding(BaseModel, frozen=True, extra="forbid"):
    """What an inspection found; with `arrears` it goes to cases as a case."""

    finding_id: str
    found_on: date
    description: str
    unit_code: str | None = None
    arrears: ArrearsFound | None = None
    suggested_lead_unit: str | None = None


def evolve_inspection(meeting: Meeting, event: InspectionEvent) -> Meeting:
    """One more finding of the inspection."""
    findings = (*meeting.findings, Finding(**dict(event)))
    return meeting.model_copy(update={"findings": findings})


def raise_finding(
    meeting: Meeting, command: RaiseFinding, *, today: date, units: frozenset[str]
) -> list[MeetingEvent]:
    """An inspection, scheduled or held, records what it found; with arrears it names
    the employer (its credit code checked) and the active units concerned, so cases
    can receive it."""
    require_status(meeting, ALLOWED_IN[RaiseFinding], "given a finding")
    if meeting.kind is not MeetingKind.INSPECTION:
        raise RuleViolated(
            "findings-only-at-inspections",
            f"A {meeting.kind} meeting records decisions, not inspection findings.",
        )
    require_date(
        command.found_on,
        field="found_on",
        today=today,
        not_before=meeting.proposed_on,
        since="proposal",
    )
    require_active_unit(command.unit_code, units=units, field="unit_code")
    require_active_unit(
        command.suggested_lead_unit, units=units, field="suggested_lead_unit"
    )
    finding_id = f"f{len(meeting.findings) + 1}"
    if command.arrears is None:
        if command.suggested_lead_unit is not None:
            raise InvalidInput(
                field="suggested_lead_unit",
                rule="lead_unit_only_for_arrears",
                detail="A lead unit is suggested only for a finding of arrears, "
                "which becomes a case.",
            )
        return [
            FindingRecorded(
                finding_id=finding_id,
                found_on=command.found_on,
                description=command.description,
                unit_code=command.unit_code,
            )
        ]
    return [
        InspectionFindingRaised(
            finding_id=finding_id,
            found_on=command.found_on,
            description=command.description,
            arrears=_checked_arrears(command.arrears, units=units),
            suggested_lead_unit=command.suggested_lead_unit,
            unit_code=command.unit_code,
        )
    ]


def _checked_arrears(arrears: ArrearsFound, *, units: frozenset[str]) -> ArrearsFound:
    require_active_unit(
        arrears.territorial_unit, units=units, field="arrears.territorial_unit"
    )
    if arrears.employer_uscc is None:
        return arrears
    code = checked_uscc(
        arrears.employer_uscc,
        override_reason=arrears.uscc_override_reason,
        field="arrears.employer_uscc",
    )
    return arrears.model_copy(update={"employer_uscc": code})
