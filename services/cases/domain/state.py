"""The state of one wage-arrears case (stream `case-<yyyy>-<nnnnnn>`) and its parts."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from services.cases.domain.particulars import (
    CaseSource,
    Employer,
    Project,
    Sector,
    Worker,
)
from shared.amounts import RecordedMoney
from shared.domain import Deadline


class CaseStatus(StrEnum):
    """Where a case stands on the administrative track (rules.md §4.1). `accepted` is
    kept for the record: the investigation starts the day a case is accepted, so an
    accepted case is `investigating`."""

    NEW = "new"
    RECEIVED = "received"
    AWAITING_SUPPLEMENT = "awaiting_supplement"
    ACCEPTED = "accepted"
    INVESTIGATING = "investigating"
    ORDERED_TO_PAY = "ordered_to_pay"
    OVERDUE = "overdue"
    PAID = "paid"
    HANDLING_DECIDED = "handling_decided"
    COURT_ENFORCEMENT = "court_enforcement"
    REJECTED = "rejected"
    TRANSFERRED_OUT = "transferred_out"
    CANCELLED = "cancelled"
    CLOSED = "closed"


class CriminalStatus(StrEnum):
    """拒不支付劳动报酬罪: where the case stands on the criminal track, which runs beside
    the administrative one (310号令 art. 11, rules.md §3.5)."""

    NONE = "none"
    REFERRAL_PROPOSED = "referral_proposed"
    REFERRAL_APPROVED = "referral_approved"
    REFERRAL_REFUSED = "referral_refused"
    TRANSFERRED_TO_POLICE = "transferred_to_police"
    POLICE_FILED = "police_filed"
    POLICE_DECLINED = "police_declined"
    RECONSIDERATION_REQUESTED = "reconsideration_requested"
    PROCURATORATE_SUPERVISION = "procuratorate_supervision"


class PenaltyStatus(StrEnum):
    """行政处罚: where the case stands on the penalty track, which runs beside the
    order to pay (行政处罚法 arts. 44–72, rules.md §3.4.1 item 11, §4.1)."""

    NONE = "none"
    NOTICE_OF_INTENT = "notice_of_intent"
    HEARING_REQUESTED = "hearing_requested"
    HEARING_WAIVED = "hearing_waived"
    HEARING_SCHEDULED = "hearing_scheduled"
    HEARD = "heard"
    DECIDED = "decided"
    FINE_PAID = "fine_paid"
    COURT_ENFORCEMENT = "court_enforcement"
    # 不予行政处罚: decided after the defence, no fine (rules.md §3.4.1 items 8, 11, 14).
    NO_PENALTY = "no_penalty"


class DeadlineKind(StrEnum):
    """Which time limit a deadline is (rules.md §4.1)."""

    ACCEPTANCE = "acceptance"
    SUPPLEMENT = "supplement"
    INVESTIGATION = "investigation"
    PAYMENT_ORDER = "payment_order"
    REFERRAL_APPROVAL = "referral_approval"
    POLICE_TRANSFER = "police_transfer"
    POLICE_ANSWER = "police_answer"
    RECONSIDERATION_REQUEST = "reconsideration_request"
    PROCURATORATE_REQUEST = "procuratorate_request"
    ASSIGNMENT = "assignment"
    HEARING_REQUEST = "hearing_request"
    PENALTY_DECISION = "penalty_decision"
    FINE_PAYMENT = "fine_payment"


class ServiceMethod(StrEnum):
    """送达: how an order reached the employer. Posting it at the residence or workplace
    and recording that by photo or video counts only when the employer fled
    (法释〔2013〕3号 art. 4, rules.md §3.5)."""

    IN_PERSON = "in_person"
    MAIL = "mail"
    POSTED_AND_PHOTOGRAPHED = "posted_and_photographed"
    ELECTRONIC = "electronic"


class AssignmentStatus(StrEnum):
    """Whether the assigned units still hold the case or the lead unit sent it back."""

    ACTIVE = "active"
    RETURNED = "returned"


class CaseOutcome(StrEnum):
    """Why a case was closed (rules.md §3.4.1 item 14)."""

    PAID = "paid"
    HANDLING_DECIDED = "handling_decided"
    COURT_ENFORCEMENT = "court_enforcement"
    CANCELLED = "cancelled"


class DuplicateReason(StrEnum):
    """What a new case has in common with an earlier open case of the same employer,
    besides the employer (duplicate intake, issue 14)."""

    SAME_WORKER = "same_worker"
    SAME_PROJECT = "same_project"


class DuplicateResolution(StrEnum):
    """How the office resolved a possible-duplicate flag: the case is the same as the
    earlier one (and refused) or a case of its own."""

    CONFIRMED = "confirmed"
    DISMISSED = "dismissed"


_NOT_ARREARS = frozenset(
    {CaseStatus.REJECTED, CaseStatus.TRANSFERRED_OUT, CaseStatus.CANCELLED}
)


class OpenDeadline(BaseModel):
    """A time limit running on the case: the step it is for must happen by `due`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: DeadlineKind
    due: date
    is_provisional: bool = False


class PaymentOrder(BaseModel):
    """The order to pay: by when, and when and how it was served."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    ordered_on: date
    pay_by: date
    served_on: date
    service_method: ServiceMethod
    amount: RecordedMoney


class Penalty(BaseModel):
    """The penalty proceedings as they stand: the fine the notice intends, the hearing
    and the decision (行政处罚法 arts. 44–72)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    notified_on: date
    intended_fine: RecordedMoney
    has_hearing_right: bool
    hearing_request_by: date | None = None
    hearing_on: date | None = None
    # The days of the steps a later step may not precede (art. 62: decided after the
    # defence; paid after service).
    waived_on: date | None = None
    heard_on: date | None = None
    decided_on: date | None = None
    served_on: date | None = None
    fine: RecordedMoney | None = None
    pay_by: date | None = None
    surcharge_due: RecordedMoney | None = None


class Assignment(BaseModel):
    """交办: the office hands the case to a lead unit, with helping units, to be done by
    `due_on` (东区政〔2017〕104号 §4(三), rules.md §4.1)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    lead_unit: str
    helping_units: tuple[str, ...] = ()
    due_on: date
    status: AssignmentStatus = AssignmentStatus.ACTIVE

    def includes(self, unit: str) -> bool:
        """Whether the unit leads or helps with the case."""
        return unit == self.lead_unit or unit in self.helping_units


class CourtEnforcement(BaseModel):
    """强制执行: the court's side of an application to enforce, as the court recorded
    it: acceptance (受理), the orders it gave and what it realised (rules.md §4.1)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    applied_on: date
    accepted_on: date | None = None
    document_numbers: tuple[str, ...] = ()
    preservations: int = 0
    advance_executions: int = 0
    amount_realised: RecordedMoney = Decimal(0)
    concluded_on: date | None = None


class Case(BaseModel):
    """欠薪案件: a wage-arrears case as it stands now; a stream with no events is NEW."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    status: CaseStatus = CaseStatus.NEW
    criminal: CriminalStatus = CriminalStatus.NONE
    penalty: PenaltyStatus = PenaltyStatus.NONE
    penalty_proceedings: Penalty | None = None
    source: CaseSource | None = None
    sector: Sector | None = None
    employer: Employer | None = None
    project: Project | None = None
    workers_count: int = 0
    workers: tuple[Worker, ...] = ()
    months_owed: int = 0
    amount_owed: RecordedMoney = Decimal(0)
    amount_recovered: RecordedMoney = Decimal(0)
    territorial_unit: str = ""
    summary: str = ""
    is_mass_incident: bool = False
    is_employer_absconded: bool = False
    received_on: date | None = None
    source_reference: str | None = None
    accepted_on: date | None = None
    deadlines: tuple[OpenDeadline, ...] = ()
    missed: tuple[OpenDeadline, ...] = ()
    is_investigation_extended: bool = False
    payment_order: PaymentOrder | None = None
    compensation_amount: RecordedMoney | None = None
    outcome: CaseOutcome | None = None
    is_reconsideration_requested: bool = False
    # The day the case went to the police: their answer comes no earlier.
    transferred_on: date | None = None
    assignment: Assignment | None = None
    progress_reports: int = 0
    is_credit_listing_recommended: bool = False
    # A recommendation sent before the order lapsed (a mass incident) is sent again
    # once it has: listing needs both (Order 45 art. 5, rules.md §3.1.1).
    is_recommended_order_overdue: bool = False
    forgotten_subjects: tuple[str, ...] = ()
    court: CourtEnforcement | None = None
    # A complaint the petitions bureau or the trade union handed over: which unit, and
    # its own reference number (文书号, petition number).
    handed_over_by: str | None = None
    unit_reference: str | None = None
    possible_duplicate_of: str | None = None
    duplicate_reasons: tuple[DuplicateReason, ...] = ()
    duplicate_resolution: DuplicateResolution | None = None

    @property
    def is_duplicate_pending(self) -> bool:
        """Whether the case is flagged as a possible duplicate the office has not yet
        confirmed or dismissed."""
        return (
            self.possible_duplicate_of is not None and self.duplicate_resolution is None
        )

    @property
    def amount_still_owed(self) -> Decimal:
        """What the workers are still owed; never below zero, even after overpayment."""
        return max(Decimal(0), self.amount_owed - self.amount_recovered)

    @property
    def is_arrears(self) -> bool:
        """Whether the case counts in what employers owe: not a complaint rejected or
        sent to another body, nor a case cancelled (撤销立案), whether or not it was
        closed since (rules.md §4.1)."""
        return self.status not in _NOT_ARREARS and self.outcome is not (
            CaseOutcome.CANCELLED
        )

    @property
    def is_order_overdue(self) -> bool:
        """Whether the order to pay passed its date unpaid (逾期未支付): a fact that
        stays once recorded, whatever steps follow (rules.md §3.1.1, §4.1)."""
        return any(m.kind is DeadlineKind.PAYMENT_ORDER for m in self.missed)

    def deadline(self, kind: DeadlineKind) -> OpenDeadline | None:
        """The open deadline of that kind, if one is running."""
        return next((d for d in self.deadlines if d.kind is kind), None)

    def is_missed(self, deadline: OpenDeadline) -> bool:
        """Whether that deadline was recorded as missed."""
        return any(
            (m.kind, m.due) == (deadline.kind, deadline.due) for m in self.missed
        )


def open_deadlines(case: Case) -> tuple[OpenDeadline, ...]:
    """The deadlines still running and not yet recorded as missed: what the deadline
    watcher checks. A missed deadline stays among `case.deadlines` until its step is
    done, so work queues can show it as overdue."""
    return tuple(d for d in case.deadlines if not case.is_missed(d))


def without_deadlines(
    deadlines: tuple[OpenDeadline, ...], *kinds: DeadlineKind
) -> tuple[OpenDeadline, ...]:
    """The deadlines once the steps of those kinds are done."""
    return tuple(d for d in deadlines if d.kind not in kinds)


def with_deadline(
    deadlines: tuple[OpenDeadline, ...], kind: DeadlineKind, deadline: Deadline
) -> tuple[OpenDeadline, ...]:
    """The deadlines with that kind's deadline (re)started, replacing any before it."""
    started = OpenDeadline(
        kind=kind, due=deadline.due, is_provisional=deadline.is_provisional
    )
    return (*without_deadlines(deadlines, kind), started)
