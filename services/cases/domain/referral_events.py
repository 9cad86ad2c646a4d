"""What happens to a case on its criminal track: the referral of a suspected refusal
to pay to the police, and what follows (310号令 arts. 5–9, rules.md §3.5)."""

from __future__ import annotations

from datetime import date
from typing import assert_never

from services.cases.domain.case import (
    Case,
    CriminalStatus,
    DeadlineKind,
    with_deadline,
    without_deadlines,
)
from shared.domain import Deadline, Event


class ReferralProposed(Event):
    """行刑衔接: two or more officers propose in a report to refer the suspected crime to
    the police (移送涉嫌犯罪案件); the head must decide by the approval deadline."""

    proposed_on: date
    grounds: str
    approval_deadline: Deadline


class ReferralApproved(Event):
    """The head approved the referral; the case must reach the police by the transfer
    deadline."""

    approved_on: date
    approved_by: str
    transfer_deadline: Deadline


class ReferralRefused(Event):
    """The head refused the referral; the reasons are recorded."""

    refused_on: date
    refused_by: str
    reason: str


class CaseTransferredToPolice(Event):
    """The police signed for the file; they must answer by the answer deadline."""

    transferred_on: date
    police_unit: str
    answer_deadline: Deadline


class PoliceFiled(Event):
    """The police opened a criminal case."""

    filed_on: date


class PoliceDeclined(Event):
    """The police declined to open a criminal case, in writing with reasons. After a
    first refusal the agency may ask them to reconsider by `request_by`; after a
    refusal on reconsideration it may ask the procuratorate to supervise by then."""

    declined_on: date
    reason: str
    is_after_reconsideration: bool
    request_by: Deadline


class ReconsiderationRequested(Event):
    """The agency asked the police to reconsider; they must answer by the deadline."""

    requested_on: date
    answer_deadline: Deadline


class ProcuratorateSupervisionRequested(Event):
    """The police declined again; the agency asked the procuratorate to supervise."""

    requested_on: date
    reason: str


CriminalEvent = (
    ReferralProposed
    | ReferralApproved
    | ReferralRefused
    | CaseTransferredToPolice
    | PoliceFiled
    | PoliceDeclined
    | ReconsiderationRequested
    | ProcuratorateSupervisionRequested
)


def evolve_criminal(case: Case, event: CriminalEvent) -> Case:
    """The case after a step of its criminal track."""
    match event:
        case ReferralProposed(approval_deadline=deadline):
            return _moved(
                case,
                CriminalStatus.REFERRAL_PROPOSED,
                opens=(DeadlineKind.REFERRAL_APPROVAL, deadline),
            )
        case ReferralApproved(transfer_deadline=deadline):
            return _moved(
                case,
                CriminalStatus.REFERRAL_APPROVED,
                closes=DeadlineKind.REFERRAL_APPROVAL,
                opens=(DeadlineKind.POLICE_TRANSFER, deadline),
            )
        case ReferralRefused():
            return _moved(
                case,
                CriminalStatus.REFERRAL_REFUSED,
                closes=DeadlineKind.REFERRAL_APPROVAL,
            )
        case CaseTransferredToPolice(answer_deadline=deadline):
            return _moved(
                case,
                CriminalStatus.TRANSFERRED_TO_POLICE,
                closes=DeadlineKind.POLICE_TRANSFER,
                opens=(DeadlineKind.POLICE_ANSWER, deadline),
            )
        case PoliceFiled():
            return _moved(
                case, CriminalStatus.POLICE_FILED, closes=DeadlineKind.POLICE_ANSWER
            )
        case PoliceDeclined():
            return _declined(case, event)
        case ReconsiderationRequested(answer_deadline=deadline):
            reconsidering = _moved(
                case,
                CriminalStatus.RECONSIDERATION_REQUESTED,
                closes=DeadlineKind.RECONSIDERATION_REQUEST,
                opens=(DeadlineKind.POLICE_ANSWER, deadline),
            )
            return reconsidering.model_copy(
                update={"is_reconsideration_requested": True}
            )
        case ProcuratorateSupervisionRequested():
            return _moved(
                case,
                CriminalStatus.PROCURATORATE_SUPERVISION,
                closes=DeadlineKind.PROCURATORATE_REQUEST,
            )
        case _:
            assert_never(event)


def _declined(case: Case, event: PoliceDeclined) -> Case:
    kind = (
        DeadlineKind.PROCURATORATE_REQUEST
        if event.is_after_reconsideration
        else DeadlineKind.RECONSIDERATION_REQUEST
    )
    return _moved(
        case,
        CriminalStatus.POLICE_DECLINED,
        closes=DeadlineKind.POLICE_ANSWER,
        opens=(kind, event.request_by),
    )


def _moved(
    case: Case,
    status: CriminalStatus,
    *,
    closes: DeadlineKind | None = None,
    opens: tuple[DeadlineKind, Deadline] | None = None,
) -> Case:
    deadlines = case.deadlines
    if closes is not None:
        deadlines = without_deadlines(deadlines, closes)
    if opens is not None:
        deadlines = with_deadline(deadlines, *opens)
    return case.model_copy(update={"criminal": status, "deadlines": deadlines})
