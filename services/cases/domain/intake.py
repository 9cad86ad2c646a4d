"""Intake: a case is received and then accepted, rejected or transferred out
(rules.md §3.4.1 items 1–4, §4.1); asking for supplementary material is in
`supplement`."""

from __future__ import annotations

from datetime import date
from typing import ClassVar, Final, Self, assert_never

from pydantic import Field, model_validator
from stdnum.cn import ric

from services.cases.domain.duplicate_match import (
    EarlierCase,
    PossibleDuplicateFlagged,
    possible_duplicate,
)
from services.cases.domain.escalation import CreditListingRecommended, recommendation
from services.cases.domain.lifecycle import (
    BEFORE_ACCEPTANCE,
    require_status,
    require_step_date,
)
from services.cases.domain.limits import CaseLimits
from services.cases.domain.particulars import (
    CaseSource,
    Employer,
    Project,
    Sector,
    SourceReference,
    Worker,
    WorkerDetails,
)
from services.cases.domain.state import (
    Case,
    CaseStatus,
    DeadlineKind,
    with_deadline,
    without_deadlines,
)
from shared.amounts import Money, RecordedMoney
from shared.dates import BusinessDate
from shared.domain import (
    Command,
    Deadline,
    Event,
    JsonObject,
    Role,
    WorkingDays,
    upcaster,
)
from shared.errors import InvalidInput
from shared.unit_guard import require_active_unit
from shared.uscc_check import checked_uscc
from shared.values import Note, Text, UnitCode, is_valid_resident_id

_OFFICE: frozenset[Role] = frozenset({Role.OFFICE})


class CaseParticulars(Command):
    """What every new case states, however it arrives: the employer, the project, the
    workers and the money (rules.md §4.1 "Record for each case")."""

    personal_paths: ClassVar[tuple[str, ...]] = (
        "workers.*.subject",
        "workers.*.name",
        "workers.*.id_number",
        "workers.*.phone",
    )

    sector: Sector
    employer: Employer
    project: Project | None = None
    workers_count: int = Field(ge=1, le=100_000)
    workers: tuple[WorkerDetails, ...] = ()
    months_owed: int = Field(ge=0, le=600)
    amount_owed: Money
    territorial_unit: UnitCode
    summary: Note = ""
    is_mass_incident: bool = False
    is_employer_absconded: bool = False
    received_on: BusinessDate

    @model_validator(mode="after")
    def _workers_fit_the_count(self) -> Self:
        if len(self.workers) > self.workers_count:
            raise ValueError("more workers are named than workers_count")
        subjects = [w.subject for w in self.workers]
        if len(set(subjects)) != len(subjects):
            raise ValueError("two named workers have the same subject")
        return self

    def particulars(self) -> dict[str, object]:
        """The particulars as fields of another command (the values, not copies)."""
        return {name: getattr(self, name) for name in CaseParticulars.model_fields}


class ReceiveCase(CaseParticulars):
    # A process manager also opens cases, from inspection findings and platform clues.
    permitted: ClassVar[frozenset[Role]] = frozenset({Role.OFFICE, Role.SYSTEM})

    source: CaseSource
    # Where it came from when another service raised it: `meeting-2024-003/f1`.
    source_reference: SourceReference | None = None


class AcceptCase(Command):
    permitted: ClassVar[frozenset[Role]] = _OFFICE

    accepted_on: BusinessDate


class RejectCase(Command):
    permitted: ClassVar[frozenset[Role]] = _OFFICE

    rejected_on: BusinessDate
    reason: Text


class TransferCaseOut(Command):
    permitted: ClassVar[frozenset[Role]] = _OFFICE

    transferred_on: BusinessDate
    to: Text
    reason: Text


ALLOWED_IN: Final[dict[type[Command], frozenset[CaseStatus]]] = {
    ReceiveCase: frozenset({CaseStatus.NEW}),
    AcceptCase: frozenset({CaseStatus.RECEIVED}),
    RejectCase: BEFORE_ACCEPTANCE,
    TransferCaseOut: BEFORE_ACCEPTANCE,
}
"""The statuses in which each command of this capability is a next step."""


class CaseReceived(Event):
    """登记: a complaint, report, clue, hand-over or finding is registered as a case;
    the acceptance deadline starts."""

    # v2: `source` may also be `union_report` (issue 14).
    schema_version: ClassVar[int] = 2

    source: CaseSource
    sector: Sector
    employer: Employer
    project: Project | None
    workers_count: int
    workers: tuple[Worker, ...]
    months_owed: int
    amount_owed: RecordedMoney
    territorial_unit: str
    summary: str
    is_mass_incident: bool
    is_employer_absconded: bool
    received_on: date
    acceptance_deadline: Deadline
    source_reference: str | None = None


class CaseAccepted(Event):
    """受理 and 立案 the same day: the case is opened and the investigation starts."""

    accepted_on: date
    investigation_deadline: Deadline


class CaseRejected(Event):
    """不予受理: the case is refused, the reason given to the complainant in writing."""

    rejected_on: date
    reason: str


class CaseTransferredOut(Event):
    """Not an inspection matter, another authority's, or already in arbitration or
    court: the complainant is told where to go."""

    transferred_on: date
    to: str
    reason: str


IntakeEvent = CaseReceived | CaseAccepted | CaseRejected | CaseTransferredOut


@upcaster("CaseReceived", from_version=1)
def _any_v1_receipt_is_a_v2_one(data: JsonObject) -> JsonObject:
    # v2 only adds a source (`union_report`): every v1 receipt is a valid v2 one.
    return data


UPCASTERS: Final = (_any_v1_receipt_is_a_v2_one,)
"""How this capability's stored events of older versions are read."""


ReceiptEvent = IntakeEvent | CreditListingRecommended | PossibleDuplicateFlagged
"""What receiving a case may record: the receipt, a credit recommendation for a mass
incident, a possible-duplicate flag."""


def evolve_intake(case: Case, event: IntakeEvent) -> Case:
    """The case after it was received, accepted, rejected or transferred out."""
    match event:
        case CaseReceived():
            facts = {k: v for k, v in event if k != "acceptance_deadline"}
            deadlines = with_deadline(
                (), DeadlineKind.ACCEPTANCE, event.acceptance_deadline
            )
            return Case(status=CaseStatus.RECEIVED, **facts, deadlines=deadlines)
        case CaseAccepted():
            deadlines = with_deadline(
                without_deadlines(case.deadlines, DeadlineKind.ACCEPTANCE),
                DeadlineKind.INVESTIGATION,
                event.investigation_deadline,
            )
            update = {
                "status": CaseStatus.INVESTIGATING,
                "accepted_on": event.accepted_on,
                "deadlines": deadlines,
            }
            return case.model_copy(update=update)
        case CaseRejected():
            return case.model_copy(
                update={"status": CaseStatus.REJECTED, "deadlines": ()}
            )
        case CaseTransferredOut():
            return case.model_copy(
                update={"status": CaseStatus.TRANSFERRED_OUT, "deadlines": ()}
            )
        case _:
            assert_never(event)


def receive_case(
    case: Case,
    command: ReceiveCase,
    *,
    today: date,
    calendar: WorkingDays,
    limits: CaseLimits,
    units: frozenset[str],
    case_id: str,
    earlier: tuple[EarlierCase, ...],
) -> list[ReceiptEvent]:
    """A new case is registered with a checked employer code, checked ID numbers and a
    known territorial unit; the acceptance deadline starts. A case received as a mass
    incident is recommended for credit punishment at once; one that may duplicate an
    earlier open case of its employer is flagged and linked to it (`earlier`: the
    employer's cases on record)."""
    require_status(case, ALLOWED_IN[ReceiveCase], "received again")
    require_step_date(case, command.received_on, field="received_on", today=today)
    require_active_unit(command.territorial_unit, units=units, field="territorial_unit")
    received = CaseReceived(
        **{k: v for k, v in command if k not in {"employer", "workers"}},
        employer=_checked_employer(command.employer),
        workers=tuple(_checked_worker(i, w) for i, w in enumerate(command.workers)),
        # 5 working days to accept (rules.md §3.4.1 item 2)
        acceptance_deadline=calendar.add_working_days(
            command.received_on, limits.acceptance_working_days
        ),
    )
    after = evolve_intake(case, received)
    events: list[ReceiptEvent] = [received]
    if command.is_mass_incident:
        events.append(recommendation(after, case_id=case_id, on=command.received_on))
    events += possible_duplicate(after, earlier, case_id=case_id, limits=limits)
    return events


def accept_case(
    case: Case,
    command: AcceptCase,
    *,
    today: date,
    calendar: WorkingDays,
    limits: CaseLimits,
) -> list[IntakeEvent]:
    """A received case is accepted and opened the same day, which starts the
    investigation. Accepting late is still accepting: the watcher will have recorded
    the missed acceptance deadline."""
    require_status(case, ALLOWED_IN[AcceptCase], "accepted")
    require_step_date(case, command.accepted_on, field="accepted_on", today=today)
    return [
        CaseAccepted(
            accepted_on=command.accepted_on,
            # 60 working days from opening (rules.md §3.4.1 item 7)
            investigation_deadline=calendar.add_working_days(
                command.accepted_on, limits.investigation_working_days
            ),
        )
    ]


def reject_case(case: Case, command: RejectCase, *, today: date) -> list[IntakeEvent]:
    """A case not yet accepted is rejected, with a reason the complainant gets in
    writing (rules.md §3.4.1 item 2)."""
    require_status(case, ALLOWED_IN[RejectCase], "rejected")
    require_step_date(case, command.rejected_on, field="rejected_on", today=today)
    return [CaseRejected(rejected_on=command.rejected_on, reason=command.reason)]


def transfer_case_out(
    case: Case, command: TransferCaseOut, *, today: date
) -> list[IntakeEvent]:
    """A case not yet accepted that is not ours goes to the competent body
    (条例 arts. 18, 21; Decree 724 art. 10)."""
    require_status(case, ALLOWED_IN[TransferCaseOut], "transferred out")
    require_step_date(case, command.transferred_on, field="transferred_on", today=today)
    return [
        CaseTransferredOut(
            transferred_on=command.transferred_on, to=command.to, reason=command.reason
        )
    ]


def _checked_employer(employer: Employer) -> Employer:
    if employer.uscc is None:
        return employer
    # Some early real codes fail the check digit; the office may keep them with a reason.
    code = checked_uscc(
        employer.uscc,
        override_reason=employer.uscc_override_reason,
        field="employer.uscc",
    )
    return employer.model_copy(update={"uscc": code})


def _checked_worker(index: int, details: WorkerDetails) -> Worker:
    if details.id_number is None:
        return Worker.of(details)
    number = ric.compact(details.id_number)
    if not is_valid_resident_id(number):
        # The number itself stays out of the answer: it is personal data.
        raise InvalidInput(
            field=f"workers.{index}.id_number",
            rule="ric_checksum",
            detail="This is not a valid resident identity number (GB 11643-1999).",
        )
    return Worker.of(details.model_copy(update={"id_number": number}))
