"""Escalation: flags, missed deadlines and the recommendation for joint credit
punishment (rules.md §3.1, §3.5, §4.1)."""

from __future__ import annotations

from datetime import date
from typing import ClassVar, Final, assert_never

from services.cases.domain.lifecycle import OPEN, require_status, require_step_date
from services.cases.domain.limits import CaseLimits
from services.cases.domain.state import Case, CaseStatus, DeadlineKind, OpenDeadline
from shared.amounts import RecordedMoney
from shared.dates import BusinessDate
from shared.domain import Command, Event, JsonObject, Role, upcaster
from shared.duties import Acting, Duty, require_duty
from shared.errors import RuleViolated
from shared.values import DocumentNumber, Note

# The police flag what they found themselves (notice §3); the office may as well.
_OFFICE_OR_POLICE: frozenset[Role] = frozenset({Role.OFFICE, Role.UNIT_STAFF})


class FlagMassIncident(Command):
    permitted: ClassVar[frozenset[Role]] = _OFFICE_OR_POLICE

    flagged_on: BusinessDate
    note: Note = ""
    document_number: DocumentNumber | None = None


class FlagEmployerAbsconded(Command):
    permitted: ClassVar[frozenset[Role]] = _OFFICE_OR_POLICE

    flagged_on: BusinessDate
    note: Note = ""
    document_number: DocumentNumber | None = None


class RecordDeadlineMissed(Command):
    # Run by the deadline watcher only.
    permitted: ClassVar[frozenset[Role]] = frozenset({Role.SYSTEM})

    kind: DeadlineKind
    # Taken from the log, not typed by anyone: what was recorded must always load.
    due: date


ALLOWED_IN: Final[dict[type[Command], frozenset[CaseStatus]]] = {
    FlagMassIncident: OPEN,
    FlagEmployerAbsconded: OPEN,
}
"""The statuses in which each command of this capability is a next step (the
deadline watcher's `RecordDeadlineMissed` is none: it is no step anyone chooses)."""


class MassIncidentFlagged(Event):
    """群体性事件: the arrears led to a mass or extreme incident; handled at once with
    other units (条例 art. 14) and grounds for listing (Order 45 art. 5(2))."""

    schema_version: ClassVar[int] = 2

    flagged_on: date
    note: str
    # The police's document (文书号) when they flagged it; none from the office.
    document_number: str | None = None


class EmployerAbscondedFlagged(Event):
    """逃匿: the employer fled or hid, so an order may be served by posting it and
    recording that on photo or video (法释〔2013〕3号 arts. 2, 4)."""

    schema_version: ClassVar[int] = 2

    flagged_on: date
    note: str
    # The police's document (文书号) when they flagged it; none from the office.
    document_number: str | None = None


@upcaster("MassIncidentFlagged", from_version=1)
def _incident_without_number(data: JsonObject) -> JsonObject:
    return {**data, "document_number": None}


@upcaster("EmployerAbscondedFlagged", from_version=1)
def _absconded_without_number(data: JsonObject) -> JsonObject:
    return {**data, "document_number": None}


UPCASTERS: Final = (_incident_without_number, _absconded_without_number)
"""Flags recorded before they could carry a document number."""


class DeadlineMissed(Event):
    """A time limit passed with its step not done; the deadline watcher records it once."""

    kind: DeadlineKind
    due: date
    detected_on: date


class CreditListingRecommended(Event):
    """The case recommends the employer for the 失信联合惩戒名单 (joint credit
    punishment list): an overdue payment order above the crime threshold, or a mass
    incident (Order 45 art. 5, rules.md §4.1). Read by the credit service."""

    case_id: str
    employer_name: str
    employer_uscc: str | None
    amount_still_owed: RecordedMoney
    months_owed: int
    workers_count: int
    is_mass_incident: bool
    is_order_overdue: bool
    recommended_on: date


EscalationEvent = (
    MassIncidentFlagged
    | EmployerAbscondedFlagged
    | DeadlineMissed
    | CreditListingRecommended
)


def evolve_escalation(case: Case, event: EscalationEvent) -> Case:
    """The case after a flag, a missed deadline or a recommendation."""
    match event:
        case MassIncidentFlagged():
            return case.model_copy(update={"is_mass_incident": True})
        case EmployerAbscondedFlagged():
            return case.model_copy(update={"is_employer_absconded": True})
        case DeadlineMissed():
            return _missed(case, event)
        case CreditListingRecommended(is_order_overdue=is_order_overdue):
            return case.model_copy(
                update={
                    "is_credit_listing_recommended": True,
                    "is_recommended_order_overdue": (
                        case.is_recommended_order_overdue or is_order_overdue
                    ),
                }
            )
        case _:
            assert_never(event)


def _missed(case: Case, event: DeadlineMissed) -> Case:
    missed = case.deadline(event.kind)
    if missed is None or missed.due != event.due:
        missed = OpenDeadline(kind=event.kind, due=event.due)
    # A payment order unpaid past its date makes the case overdue (rules.md §4.1).
    is_overdue = (
        event.kind is DeadlineKind.PAYMENT_ORDER
        and case.status is CaseStatus.ORDERED_TO_PAY
    )
    return case.model_copy(
        update={
            "status": CaseStatus.OVERDUE if is_overdue else case.status,
            "missed": (*case.missed, missed),
        }
    )


# A "large amount" is any one worker unpaid for 3 months or more, or 10 workers or more;
# the amounts X1 and X2 are the district's (法释〔2013〕3号 art. 3, rules.md §3.5).
ONE_WORKER_MONTHS: Final = 3
MANY_WORKERS: Final = 10


def meets_crime_threshold(case: Case, limits: CaseLimits) -> bool:
    """Whether what is still owed is a "large amount": a worker unpaid for 3 months
    or more and at least X1, or 10 workers or more and at least X2.

    The first branch holds for any of the case's workers, not only in a case of one:
    a case of 5 workers owed 4 months qualifies as well (rules.md §3.1, §3.5). A case
    records its months and amount for all its workers together, so the amount is the
    case's: no single worker can be owed X1 unless the case still owes that much, and
    whether one is owed it in fact is for the listing decision to weigh."""
    owed = case.amount_still_owed
    one_worker = (
        case.workers_count >= 1
        and case.months_owed >= ONE_WORKER_MONTHS
        and owed >= limits.crime_threshold_one_worker
    )
    many_workers = (
        case.workers_count >= MANY_WORKERS
        and owed >= limits.crime_threshold_many_workers
    )
    return one_worker or many_workers


def recommendation(case: Case, *, case_id: str, on: date) -> CreditListingRecommended:
    """The case's recommendation for the joint credit punishment list, as it stands."""
    employer = case.employer
    return CreditListingRecommended(
        case_id=case_id,
        employer_name=employer.name if employer is not None else "",
        employer_uscc=employer.uscc if employer is not None else None,
        amount_still_owed=case.amount_still_owed,
        months_owed=case.months_owed,
        workers_count=case.workers_count,
        is_mass_incident=case.is_mass_incident,
        is_order_overdue=case.is_order_overdue,
        recommended_on=on,
    )


def record_deadline_missed(
    case: Case,
    command: RecordDeadlineMissed,
    *,
    today: date,
    limits: CaseLimits,
    case_id: str,
) -> list[EscalationEvent]:
    """A passed deadline is recorded once; one not open, or already recorded, changes
    nothing, so the watcher may run it again. A missed payment order makes the case
    overdue, and listing needs an overdue order and either the crime threshold or a
    mass incident (Order 45 art. 5): when both now hold the case recommends the
    employer for credit punishment, again if a mass incident already recommended it
    before the order lapsed, but never twice with the order overdue."""
    running = case.deadline(command.kind)
    if running is None or running.due != command.due or case.is_missed(running):
        return []
    if command.due >= today:
        raise RuleViolated(
            "deadline-not-passed",
            f"The {command.kind} deadline is {command.due}; it has not passed.",
        )
    missed = DeadlineMissed(kind=command.kind, due=command.due, detected_on=today)
    after = evolve_escalation(case, missed)
    is_recommended = (
        command.kind is DeadlineKind.PAYMENT_ORDER
        and after.status is CaseStatus.OVERDUE
        and not case.is_recommended_order_overdue
        and (after.is_mass_incident or meets_crime_threshold(after, limits))
    )
    if not is_recommended:
        return [missed]
    return [missed, recommendation(after, case_id=case_id, on=today)]


def flag_mass_incident(
    case: Case,
    command: FlagMassIncident,
    *,
    today: date,
    case_id: str,
    acting: Acting,
) -> list[EscalationEvent]:
    """An open case is flagged as a mass incident once, by the office or the police,
    which recommends the employer for credit punishment (Order 45 art. 5(2)) unless
    the case already did: at once, saying whether the order has lapsed; if it has
    not, the case recommends again when it does (`record_deadline_missed`)."""
    require_duty(acting, Duty.POLICE)
    require_status(case, OPEN, "flagged")
    require_step_date(case, command.flagged_on, field="flagged_on", today=today)
    if case.is_mass_incident:
        return []
    flagged = MassIncidentFlagged(
        flagged_on=command.flagged_on,
        note=command.note,
        document_number=command.document_number,
    )
    if case.is_credit_listing_recommended:
        return [flagged]
    after = evolve_escalation(case, flagged)
    return [flagged, recommendation(after, case_id=case_id, on=command.flagged_on)]


def flag_employer_absconded(
    case: Case, command: FlagEmployerAbsconded, *, today: date, acting: Acting
) -> list[EscalationEvent]:
    """An open case's employer is flagged as absconded once, by the office or the
    police."""
    require_duty(acting, Duty.POLICE)
    require_status(case, OPEN, "flagged")
    require_step_date(case, command.flagged_on, field="flagged_on", today=today)
    if case.is_employer_absconded:
        return []
    return [
        EmployerAbscondedFlagged(
            flagged_on=command.flagged_on,
            note=command.note,
            document_number=command.document_number,
        )
    ]
