"""Intake: a case is received and accepted, rejected, sent for supplementary material
or transferred out (rules.md §3.4.1 items 1–4, §4.1)."""

from __future__ import annotations

from datetime import date

from stdnum.cn import ric, uscc

from services.cases.domain.aggregate import CaseEvent, evolve
from services.cases.domain.case import Case, CaseStatus
from services.cases.domain.commands import (
    AcceptCase,
    ReceiveCase,
    ReceiveSupplement,
    RejectCase,
    RequestSupplement,
    TransferCaseOut,
)
from services.cases.domain.escalation import recommendation
from services.cases.domain.events import (
    CaseAccepted,
    CaseReceived,
    CaseRejected,
    CaseTransferredOut,
    SupplementReceived,
    SupplementRequested,
)
from services.cases.domain.facts import Employer, Worker, WorkerDetails
from services.cases.domain.limits import CaseLimits
from services.cases.domain.transitions import require_date, require_status, require_unit
from shared.dates import require_within_years_ahead
from shared.domain import WorkingDays
from shared.errors import InvalidInput
from shared.values import is_valid_resident_id

_BEFORE_ACCEPTANCE = frozenset({CaseStatus.RECEIVED, CaseStatus.AWAITING_SUPPLEMENT})


def receive_case(
    case: Case,
    command: ReceiveCase,
    *,
    today: date,
    calendar: WorkingDays,
    limits: CaseLimits,
    units: frozenset[str],
    case_id: str,
) -> list[CaseEvent]:
    """A new case is registered with a checked employer code, checked ID numbers and a
    known territorial unit; the acceptance deadline starts. A case received as a mass
    incident is recommended for credit punishment at once."""
    require_status(case, {CaseStatus.NEW}, "received again")
    require_date(command.received_on, field="received_on", case=case, today=today)
    require_unit(command.territorial_unit, units, field="territorial_unit")
    received = CaseReceived(
        **{k: v for k, v in command if k not in {"employer", "workers"}},
        employer=_checked_employer(command.employer),
        workers=tuple(_checked_worker(i, w) for i, w in enumerate(command.workers)),
        # 5 working days to accept (rules.md §3.4.1 item 2)
        acceptance_deadline=calendar.add_working_days(
            command.received_on, limits.acceptance_working_days
        ),
    )
    if not command.is_mass_incident:
        return [received]
    return [
        received,
        recommendation(evolve(case, received), case_id=case_id, on=command.received_on),
    ]


def accept_case(
    case: Case,
    command: AcceptCase,
    *,
    today: date,
    calendar: WorkingDays,
    limits: CaseLimits,
) -> list[CaseEvent]:
    """A received case is accepted and opened the same day, which starts the
    investigation. Accepting late is still accepting: the watcher will have recorded
    the missed acceptance deadline."""
    require_status(case, {CaseStatus.RECEIVED}, "accepted")
    require_date(command.accepted_on, field="accepted_on", case=case, today=today)
    return [
        CaseAccepted(
            accepted_on=command.accepted_on,
            # 60 working days from opening (rules.md §3.4.1 item 7)
            investigation_deadline=calendar.add_working_days(
                command.accepted_on, limits.investigation_working_days
            ),
        )
    ]


def reject_case(case: Case, command: RejectCase, *, today: date) -> list[CaseEvent]:
    """A case not yet accepted is rejected, with a reason the complainant gets in
    writing (rules.md §3.4.1 item 2)."""
    require_status(case, _BEFORE_ACCEPTANCE, "rejected")
    require_date(command.rejected_on, field="rejected_on", case=case, today=today)
    return [CaseRejected(rejected_on=command.rejected_on, reason=command.reason)]


def request_supplement(
    case: Case, command: RequestSupplement, *, today: date, limits: CaseLimits
) -> list[CaseEvent]:
    """A received case waits for supplementary material; its acceptance clock stops."""
    require_status(case, {CaseStatus.RECEIVED}, "sent for supplementary material")
    require_date(command.requested_on, field="requested_on", case=case, today=today)
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
) -> list[CaseEvent]:
    """The material arrived: the case is received again with a new acceptance
    deadline counted from that day."""
    require_status(
        case, {CaseStatus.AWAITING_SUPPLEMENT}, "given supplementary material"
    )
    require_date(command.received_on, field="received_on", case=case, today=today)
    return [
        SupplementReceived(
            received_on=command.received_on,
            acceptance_deadline=calendar.add_working_days(
                command.received_on, limits.acceptance_working_days
            ),
        )
    ]


def transfer_case_out(
    case: Case, command: TransferCaseOut, *, today: date
) -> list[CaseEvent]:
    """A case not yet accepted that is not ours goes to the competent body
    (条例 arts. 18, 21; Decree 724 art. 10)."""
    require_status(case, _BEFORE_ACCEPTANCE, "transferred out")
    require_date(command.transferred_on, field="transferred_on", case=case, today=today)
    return [
        CaseTransferredOut(
            transferred_on=command.transferred_on,
            to=command.to,
            reason=command.reason,
        )
    ]


def _checked_employer(employer: Employer) -> Employer:
    if employer.uscc is None:
        return employer
    code = uscc.compact(employer.uscc)
    # Some early real codes fail the check digit; the office may keep them with a reason.
    if not uscc.is_valid(code) and employer.uscc_override_reason is None:
        raise InvalidInput(
            field="employer.uscc",
            rule="uscc_checksum",
            detail=f"{code} is not a valid unified social credit code "
            "(GB 32100-2015); give uscc_override_reason to keep it anyway.",
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
