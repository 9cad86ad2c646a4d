"""Court enforcement as the court records it: once the agency applied for enforcement,
the court (法院) accepts the application, orders property preserved or execution in
advance, and records what it realised, which counts as recovered (notice §3, rules.md
§4.1). The same record serves an unpaid fine the agency sent to the court (行政处罚法
art. 72), whatever the case's own status. The office may still enter each act from the
court's paper."""

from __future__ import annotations

from datetime import date
from typing import ClassVar, Final, assert_never

from services.cases.domain.lifecycle import OPENED, refused, require_status
from services.cases.domain.payments import ArrearsCleared
from services.cases.domain.state import (
    Case,
    CaseStatus,
    CourtEnforcement,
    PenaltyStatus,
)
from shared.amounts import Money, PositiveMoney, RecordedMoney
from shared.dates import BusinessDate, require_date
from shared.domain import Command, Event, Role
from shared.duties import Acting, Duty, require_duty
from shared.errors import RuleViolated
from shared.values import DocumentNumber, Text

_OFFICE_OR_COURT: frozenset[Role] = frozenset({Role.OFFICE, Role.UNIT_STAFF})
# The arrears' enforcement gives the case its status; a fine's runs beside any
# opened status (`is_enforcing` tells which cases the court acts on).
_ENFORCING: Final = OPENED


class RecordEnforcementAccepted(Command):
    permitted: ClassVar[frozenset[Role]] = _OFFICE_OR_COURT

    accepted_on: BusinessDate
    document_number: DocumentNumber


class RecordPropertyPreservation(Command):
    permitted: ClassVar[frozenset[Role]] = _OFFICE_OR_COURT

    ordered_on: BusinessDate
    document_number: DocumentNumber
    description: Text


class RecordAdvanceExecution(Command):
    permitted: ClassVar[frozenset[Role]] = _OFFICE_OR_COURT

    ordered_on: BusinessDate
    document_number: DocumentNumber
    amount: PositiveMoney | None = None


class RecordEnforcementOutcome(Command):
    permitted: ClassVar[frozenset[Role]] = _OFFICE_OR_COURT

    decided_on: BusinessDate
    amount_realised: Money
    document_number: DocumentNumber
    is_concluded: bool


ALLOWED_IN: Final[dict[type[Command], frozenset[CaseStatus]]] = {
    RecordEnforcementAccepted: _ENFORCING,
    RecordPropertyPreservation: _ENFORCING,
    RecordAdvanceExecution: _ENFORCING,
    RecordEnforcementOutcome: _ENFORCING,
}
"""The statuses in which each command of this capability is a next step."""


class EnforcementAccepted(Event):
    """受理: the court accepted the application for enforcement."""

    accepted_on: date
    document_number: str


class PropertyPreservationOrdered(Event):
    """财产保全: the court ordered the employer's property seized, frozen or sealed."""

    ordered_on: date
    document_number: str
    description: str


class AdvanceExecutionOrdered(Event):
    """先予执行: the court ordered the employer to pay the workers ahead of the end."""

    ordered_on: date
    document_number: str
    amount: RecordedMoney | None


class EnforcementOutcomeRecorded(Event):
    """What the enforcement realised (执行到位), counted as recovered; `is_concluded`
    when the court closed the enforcement (执行结案)."""

    decided_on: date
    amount_realised: RecordedMoney
    document_number: str
    is_concluded: bool


CourtEvent = (
    EnforcementAccepted
    | PropertyPreservationOrdered
    | AdvanceExecutionOrdered
    | EnforcementOutcomeRecorded
)


def evolve_court(case: Case, event: CourtEvent) -> Case:
    """The case after an act of the court."""
    court = case.court or CourtEnforcement(applied_on=_day_of(event))
    numbers = (*court.document_numbers, event.document_number)
    update: dict[str, object] = {"document_numbers": numbers}
    match event:
        case EnforcementAccepted(accepted_on=accepted_on):
            update["accepted_on"] = accepted_on
        case PropertyPreservationOrdered():
            update["preservations"] = court.preservations + 1
        case AdvanceExecutionOrdered():
            update["advance_executions"] = court.advance_executions + 1
        case EnforcementOutcomeRecorded(amount_realised=realised):
            update["amount_realised"] = court.amount_realised + realised
            if event.is_concluded:
                update["concluded_on"] = event.decided_on
            # Only what the arrears' enforcement realised is the workers' money; a
            # fine's goes to the treasury.
            recovered = case.amount_recovered + (
                realised if is_enforcing_arrears(case) else 0
            )
            return case.model_copy(
                update={
                    "court": court.model_copy(update=update),
                    "amount_recovered": recovered,
                }
            )
        case _:
            assert_never(event)
    return case.model_copy(update={"court": court.model_copy(update=update)})


def _day_of(event: CourtEvent) -> date:
    if isinstance(event, EnforcementAccepted):
        return event.accepted_on
    if isinstance(event, EnforcementOutcomeRecorded):
        return event.decided_on
    return event.ordered_on


def is_enforcing_arrears(case: Case) -> bool:
    """Whether the court enforces what the workers are owed (the case's status)."""
    return case.status is CaseStatus.COURT_ENFORCEMENT


def is_enforcing(case: Case) -> bool:
    """Whether the court has an application of the case to act on: the arrears', or
    an opened case's unpaid fine (its penalty track at `court_enforcement`)."""
    return case.court is not None and (
        is_enforcing_arrears(case)
        or (case.status in OPENED and case.penalty is PenaltyStatus.COURT_ENFORCEMENT)
    )


def is_court_open(case: Case) -> bool:
    """Whether the court may still add to its record: it enforces and has not
    concluded."""
    return (
        is_enforcing(case)
        and case.court is not None
        and case.court.concluded_on is None
    )


def is_accepted_by_court(case: Case) -> bool:
    """Whether the court accepted the application (its outcome may follow)."""
    return (
        is_court_open(case)
        and case.court is not None
        and (case.court.accepted_on is not None)
    )


def _enforcing(case: Case, acting: Acting, what: str) -> CourtEnforcement:
    """The court's record of a case under enforcement and not concluded, for the
    court or the office to add to."""
    require_duty(acting, Duty.COURT)
    require_status(case, ALLOWED_IN[RecordEnforcementAccepted], what)
    if not is_enforcing(case) or case.court is None:
        raise refused(case.status, what)
    if case.court.concluded_on is not None:
        raise RuleViolated(
            "court-enforcement-concluded",
            f"The court concluded the enforcement on {case.court.concluded_on}.",
        )
    return case.court


def record_enforcement_accepted(
    case: Case, command: RecordEnforcementAccepted, *, today: date, acting: Acting
) -> list[CourtEvent]:
    """The court accepts an application once, not before it was made."""
    court = _enforcing(case, acting, "accepted by the court")
    if court.accepted_on is not None:
        raise RuleViolated(
            "enforcement-already-accepted",
            f"The court accepted the application on {court.accepted_on}.",
        )
    require_date(
        command.accepted_on,
        field="accepted_on",
        today=today,
        not_before=court.applied_on,
        since="application",
    )
    return [
        EnforcementAccepted(
            accepted_on=command.accepted_on, document_number=command.document_number
        )
    ]


def record_property_preservation(
    case: Case, command: RecordPropertyPreservation, *, today: date, acting: Acting
) -> list[CourtEvent]:
    """The court may preserve property as soon as enforcement is applied for, before
    accepting it, so nothing is moved away meanwhile."""
    court = _enforcing(case, acting, "given a preservation order")
    require_date(
        command.ordered_on,
        field="ordered_on",
        today=today,
        not_before=court.applied_on,
        since="application",
    )
    return [
        PropertyPreservationOrdered(
            ordered_on=command.ordered_on,
            document_number=command.document_number,
            description=command.description,
        )
    ]


def record_advance_execution(
    case: Case, command: RecordAdvanceExecution, *, today: date, acting: Acting
) -> list[CourtEvent]:
    """The court may order payment in advance once enforcement is applied for; an
    order is not money realised, so nothing counts as recovered yet."""
    court = _enforcing(case, acting, "given an advance execution order")
    require_date(
        command.ordered_on,
        field="ordered_on",
        today=today,
        not_before=court.applied_on,
        since="application",
    )
    return [
        AdvanceExecutionOrdered(
            ordered_on=command.ordered_on,
            document_number=command.document_number,
            amount=command.amount,
        )
    ]


def record_enforcement_outcome(
    case: Case, command: RecordEnforcementOutcome, *, today: date, acting: Acting
) -> list[CourtEvent | ArrearsCleared]:
    """What an accepted enforcement of the arrears realised adds to what is recovered;
    it may exceed what is still owed (the compensation decided is enforced too).
    Realising the rest clears the arrears; a fine's enforcement recovers no wages. A
    concluded enforcement takes no more acts."""
    court = _enforcing(case, acting, "given an enforcement outcome")
    if court.accepted_on is None:
        raise RuleViolated(
            "enforcement-not-accepted",
            "Record the court's acceptance of the application before its outcome.",
        )
    require_date(
        command.decided_on,
        field="decided_on",
        today=today,
        not_before=court.accepted_on,
        since="acceptance",
    )
    outcome = EnforcementOutcomeRecorded(
        decided_on=command.decided_on,
        amount_realised=command.amount_realised,
        document_number=command.document_number,
        is_concluded=command.is_concluded,
    )
    still_owed = case.amount_still_owed
    if (
        not is_enforcing_arrears(case)
        or still_owed == 0
        or command.amount_realised < still_owed
    ):
        return [outcome]
    recovered = case.amount_recovered + command.amount_realised
    return [
        outcome,
        ArrearsCleared(cleared_on=command.decided_on, amount_recovered=recovered),
    ]
