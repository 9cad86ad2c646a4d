"""Hand-over: the petitions bureau and the trade union hand a complaint over as a new
case themselves (东区政〔2017〕104号 §3; rules.md §4.1 "— → Received"), and can then see
what became of it. The case is received exactly as the office receives one
(`intake.receive_case`), with the unit and its own reference number recorded."""

from __future__ import annotations

from datetime import date
from typing import ClassVar, Final, Literal

from services.cases.domain.duplicate_match import EarlierCase
from services.cases.domain.intake import (
    CaseParticulars,
    ReceiptEvent,
    ReceiveCase,
    receive_case,
)
from services.cases.domain.limits import CaseLimits
from services.cases.domain.particulars import CaseSource
from services.cases.domain.state import Case, CaseStatus
from shared.domain import Command, Event, Role, WorkingDays
from shared.duties import Acting, Duty, require_duty
from shared.errors import InvalidInput, NotPermitted
from shared.unit_guard import require_active_unit
from shared.values import Text, UnitCode

HandOverSource = Literal[CaseSource.PETITION_HANDOVER, CaseSource.UNION_REPORT]

# Each unit hands over under its own duty: the petitions bureau petitions, the trade
# union what it found supervising employers (notice §3).
_SOURCE_OF_DUTY: dict[Duty, HandOverSource] = {
    Duty.PETITIONS: CaseSource.PETITION_HANDOVER,
    Duty.UNION: CaseSource.UNION_REPORT,
}


class HandOverComplaint(CaseParticulars):
    """移交: a complaint the petitions bureau (信访件) or the trade union hands over to
    the inspection as a new case, under the unit's own reference number."""

    permitted: ClassVar[frozenset[Role]] = frozenset({Role.OFFICE, Role.UNIT_STAFF})

    # The unit's duty says which; the office, acting for a unit, must say.
    source: HandOverSource | None = None
    # The unit handing over: the staff's own; the office names it.
    handed_over_by: UnitCode | None = None
    unit_reference: Text


ALLOWED_IN: Final[dict[type[Command], frozenset[CaseStatus]]] = {
    HandOverComplaint: frozenset({CaseStatus.NEW}),
}
"""A hand-over makes a new case, as receiving one does."""


class ComplaintHandedOver(Event):
    """The case just received was handed over by that unit under its reference number
    (文书号, petition number), so the unit can follow it."""

    handed_over_by: str
    unit_reference: str


def evolve_handover(case: Case, event: ComplaintHandedOver) -> Case:
    """The case with the unit that handed it over."""
    return case.model_copy(
        update={
            "handed_over_by": event.handed_over_by,
            "unit_reference": event.unit_reference,
        }
    )


def _source(acting: Acting, given: HandOverSource | None) -> HandOverSource:
    require_duty(acting, *_SOURCE_OF_DUTY)
    held = {
        s for d, s in _SOURCE_OF_DUTY.items() if acting.is_office or d in acting.duties
    }
    if given is None:
        if len(held) != 1:
            raise InvalidInput(
                field="source",
                rule="hand_over_source",
                detail="Say whether this is a petition_handover or a union_report.",
            )
        return held.pop()
    if given not in held:
        raise NotPermitted(f"unit {acting.unit} does not hand over a {given}")
    return given


def _unit(
    acting: Acting, given: str | None, source: HandOverSource, *, units: frozenset[str]
) -> str:
    if acting.is_office:
        if given is None:
            raise InvalidInput(
                field="handed_over_by",
                rule="hand_over_unit",
                detail="Name the unit that hands the complaint over.",
            )
        require_active_unit(given, units=units, field="handed_over_by")
        # The office enters a hand-over for the unit whose duty it is: a petition for
        # the petitions bureau, a union report for the trade union, never the police's.
        duty = next(d for d, s in _SOURCE_OF_DUTY.items() if s is source)
        if given not in acting.duty_units.units(duty):
            raise InvalidInput(
                field="handed_over_by",
                rule="hand_over_unit_holds_duty",
                detail=f"A {source} is handed over by a unit with the {duty} duty "
                f"({', '.join(acting.duty_units.units(duty))}), not {given}.",
            )
        return given
    if given not in (None, acting.unit):
        raise NotPermitted(f"unit {acting.unit} hands over only its own complaints")
    return acting.unit


def hand_over_complaint(
    case: Case,
    command: HandOverComplaint,
    *,
    acting: Acting,
    today: date,
    calendar: WorkingDays,
    limits: CaseLimits,
    units: frozenset[str],
    case_id: str,
    earlier: tuple[EarlierCase, ...],
) -> list[ReceiptEvent | ComplaintHandedOver]:
    """The petitions bureau or the trade union (or the office for them) hands over a
    complaint: it is received like any case, with the same checks, acceptance limit
    and duplicate flag, its source following the unit's duty; any other unit is
    refused (403)."""
    source = _source(acting, command.source)
    unit = _unit(acting, command.handed_over_by, source, units=units)
    received = receive_case(
        case,
        ReceiveCase.model_validate({"source": source, **command.particulars()}),
        today=today,
        calendar=calendar,
        limits=limits,
        units=units,
        case_id=case_id,
        earlier=earlier,
    )
    handed_over = ComplaintHandedOver(
        handed_over_by=unit, unit_reference=command.unit_reference
    )
    return [received[0], handed_over, *received[1:]]
