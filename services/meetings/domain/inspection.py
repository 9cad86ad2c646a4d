"""联合督查 joint inspections: what the inspectors find while the inspection runs or
after; a finding of wage arrears goes to cases as a case (DESIGN.md §4 "meetings")."""

from __future__ import annotations

from datetime import date

from stdnum.cn import uscc

from services.meetings.domain.commands import RaiseFinding
from services.meetings.domain.events import (
    FindingRecorded,
    InspectionFindingRaised,
    MeetingEvent,
)
from services.meetings.domain.facts import ArrearsFound, MeetingKind
from services.meetings.domain.meeting import Meeting, MeetingStatus
from services.meetings.domain.transitions import require_date, require_status
from services.meetings.domain.units import require_active_unit
from shared.errors import InvalidInput, RuleViolated


def raise_finding(
    meeting: Meeting, command: RaiseFinding, *, today: date, units: frozenset[str]
) -> list[MeetingEvent]:
    """An inspection, scheduled or held, records what it found; with arrears it names
    the employer (its credit code checked) and the active units concerned, so cases
    can receive it."""
    require_status(
        meeting, {MeetingStatus.SCHEDULED, MeetingStatus.HELD}, "given a finding"
    )
    if meeting.kind is not MeetingKind.INSPECTION:
        raise RuleViolated(
            "findings_only_at_inspections",
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
    code = uscc.compact(arrears.employer_uscc)
    # Some early real codes fail the check digit; the office may keep them with a reason.
    if not uscc.is_valid(code) and arrears.uscc_override_reason is None:
        raise InvalidInput(
            field="arrears.employer_uscc",
            rule="uscc_checksum",
            detail=f"{code} is not a valid unified social credit code "
            "(GB 32100-2015); give uscc_override_reason to keep it anyway.",
        )
    return arrears.model_copy(update={"employer_uscc": code})
