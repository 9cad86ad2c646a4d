"""What people (and the deadline watcher) ask of a case; also the request bodies.

The labour inspection sits in the office's unit, the HR bureau, so intake and inspection steps
are the office's; assigned units report on and return their assignments."""

from __future__ import annotations

from datetime import date
from typing import ClassVar, Self

from pydantic import Field, model_validator

from services.cases.domain.case import DeadlineKind, ServiceMethod
from services.cases.domain.facts import (
    CaseSource,
    Employer,
    Project,
    Rate,
    Sector,
    SourceReference,
    Subject,
    WorkerDetails,
)
from shared.amounts import Money, PositiveMoney
from shared.dates import BusinessDate
from shared.domain import Command, Role
from shared.values import Note, Text, UnitCode

_OFFICE: frozenset[Role] = frozenset({Role.OFFICE})
_ASSIGNED_UNITS: frozenset[Role] = frozenset({Role.UNIT_STAFF, Role.OFFICE})


class ReceiveCase(Command):
    # A process manager also opens cases, from inspection findings and platform clues.
    permitted: ClassVar[frozenset[Role]] = frozenset({Role.OFFICE, Role.SYSTEM})
    personal_paths: ClassVar[tuple[str, ...]] = (
        "workers.*.subject",
        "workers.*.name",
        "workers.*.id_number",
        "workers.*.phone",
    )

    source: CaseSource
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
    # Where it came from when another service raised it: `meeting-2024-003/f1`.
    source_reference: SourceReference | None = None

    @model_validator(mode="after")
    def _workers_fit_the_count(self) -> Self:
        if len(self.workers) > self.workers_count:
            raise ValueError("more workers are named than workers_count")
        subjects = [w.subject for w in self.workers]
        if len(set(subjects)) != len(subjects):
            raise ValueError("two named workers have the same subject")
        return self


class AcceptCase(Command):
    permitted: ClassVar[frozenset[Role]] = _OFFICE

    accepted_on: BusinessDate


class RejectCase(Command):
    permitted: ClassVar[frozenset[Role]] = _OFFICE

    rejected_on: BusinessDate
    reason: Text


class RequestSupplement(Command):
    permitted: ClassVar[frozenset[Role]] = _OFFICE

    requested_on: BusinessDate
    what: Text
    # No national time limit for supplementary material (rules.md §4.1, [N]).
    due: BusinessDate | None = None

    @model_validator(mode="after")
    def _due_after_request(self) -> Self:
        if self.due is not None and self.due < self.requested_on:
            raise ValueError("due is before requested_on")
        return self


class ReceiveSupplement(Command):
    permitted: ClassVar[frozenset[Role]] = _OFFICE

    received_on: BusinessDate


class TransferCaseOut(Command):
    permitted: ClassVar[frozenset[Role]] = _OFFICE

    transferred_on: BusinessDate
    to: Text
    reason: Text


class ExtendInvestigation(Command):
    permitted: ClassVar[frozenset[Role]] = _OFFICE

    approved_by: Text
    approved_on: BusinessDate


class CancelCase(Command):
    permitted: ClassVar[frozenset[Role]] = _OFFICE

    cancelled_on: BusinessDate
    reason: Text


class OrderPayment(Command):
    permitted: ClassVar[frozenset[Role]] = _OFFICE

    ordered_on: BusinessDate
    # The payment period is set in each order; no national figure (rules.md §3.4.1 item 9)
    pay_by: BusinessDate
    served_on: BusinessDate
    service_method: ServiceMethod
    amount: PositiveMoney
    is_employer_absconded: bool = False

    @model_validator(mode="after")
    def _served_then_due(self) -> Self:
        if self.served_on < self.ordered_on:
            raise ValueError("served_on is before ordered_on")
        if self.pay_by <= self.served_on:
            raise ValueError("pay_by is not after served_on")
        return self


class RecordPayment(Command):
    permitted: ClassVar[frozenset[Role]] = _OFFICE

    paid_on: BusinessDate
    amount: PositiveMoney
    is_overpayment: bool = False


class DecideHandling(Command):
    permitted: ClassVar[frozenset[Role]] = _OFFICE

    decided_on: BusinessDate
    compensation_rate: Rate


class ApplyCourtEnforcement(Command):
    permitted: ClassVar[frozenset[Role]] = _OFFICE

    applied_on: BusinessDate


class CloseCase(Command):
    permitted: ClassVar[frozenset[Role]] = _OFFICE

    closed_on: BusinessDate


class ProposeReferral(Command):
    permitted: ClassVar[frozenset[Role]] = _OFFICE

    proposed_on: BusinessDate
    grounds: Text


class ApproveReferral(Command):
    permitted: ClassVar[frozenset[Role]] = _OFFICE

    approved_on: BusinessDate
    approved_by: Text


class RefuseReferral(Command):
    permitted: ClassVar[frozenset[Role]] = _OFFICE

    refused_on: BusinessDate
    refused_by: Text
    reason: Text


class TransferToPolice(Command):
    permitted: ClassVar[frozenset[Role]] = _OFFICE

    transferred_on: BusinessDate
    police_unit: UnitCode


class RecordPoliceFiling(Command):
    permitted: ClassVar[frozenset[Role]] = _OFFICE

    filed_on: BusinessDate


class RecordPoliceDeclining(Command):
    permitted: ClassVar[frozenset[Role]] = _OFFICE

    declined_on: BusinessDate
    reason: Text


class RequestReconsideration(Command):
    permitted: ClassVar[frozenset[Role]] = _OFFICE

    requested_on: BusinessDate


class RequestProcuratorateSupervision(Command):
    permitted: ClassVar[frozenset[Role]] = _OFFICE

    requested_on: BusinessDate
    reason: Text


class AssignCase(Command):
    permitted: ClassVar[frozenset[Role]] = _OFFICE

    lead_unit: UnitCode
    helping_units: tuple[UnitCode, ...] = ()
    due_on: BusinessDate
    note: Note = ""

    @model_validator(mode="after")
    def _each_unit_once(self) -> Self:
        if self.lead_unit in self.helping_units:
            raise ValueError("the lead unit is also among the helping units")
        if len(set(self.helping_units)) != len(self.helping_units):
            raise ValueError("a helping unit is named twice")
        return self


class ReportProgress(Command):
    permitted: ClassVar[frozenset[Role]] = _ASSIGNED_UNITS

    text: Text
    reported_on: BusinessDate


class ReturnAssignment(Command):
    permitted: ClassVar[frozenset[Role]] = _ASSIGNED_UNITS

    reason: Text


class FlagMassIncident(Command):
    permitted: ClassVar[frozenset[Role]] = _OFFICE

    flagged_on: BusinessDate
    note: Note = ""


class FlagEmployerAbsconded(Command):
    permitted: ClassVar[frozenset[Role]] = _OFFICE

    flagged_on: BusinessDate
    note: Note = ""


class RecordDeadlineMissed(Command):
    # Run by the deadline watcher only.
    permitted: ClassVar[frozenset[Role]] = frozenset({Role.SYSTEM})

    kind: DeadlineKind
    # Taken from the log, not typed by anyone: what was recorded must always load.
    due: date


class ForgetWorker(Command):
    permitted: ClassVar[frozenset[Role]] = _OFFICE

    subject: Subject
    reason: Text
