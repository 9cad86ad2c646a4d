"""The criminal track's first half: a referral proposed, approved or refused, and the
case transferred to the police (310号令 arts. 5–8, rules.md §3.5, §4.1); what the
police answer is in `police_answer`. Its limits count calendar days."""

from __future__ import annotations

from datetime import date, timedelta
from typing import ClassVar, Final, assert_never

from services.cases.domain.lifecycle import (
    OPENED,
    require_criminal,
    require_step_date,
)
from services.cases.domain.limits import CaseLimits
from services.cases.domain.state import (
    Case,
    CaseStatus,
    CriminalStatus,
    DeadlineKind,
    with_deadline,
    without_deadlines,
)
from shared.dates import BusinessDate
from shared.domain import Command, Deadline, Event, Role
from shared.unit_guard import require_active_unit
from shared.values import Text, UnitCode

_OFFICE: frozenset[Role] = frozenset({Role.OFFICE})


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


ALLOWED_IN: Final[dict[type[Command], frozenset[CaseStatus]]] = {
    ProposeReferral: OPENED,
}
"""The statuses in which each command of this capability is a next step."""


ALLOWED_IN_CRIMINAL: Final[dict[type[Command], frozenset[CriminalStatus]]] = {
    # New evidence may be proposed again after a refusal.
    ProposeReferral: frozenset({CriminalStatus.NONE, CriminalStatus.REFERRAL_REFUSED}),
    ApproveReferral: frozenset({CriminalStatus.REFERRAL_PROPOSED}),
    RefuseReferral: frozenset({CriminalStatus.REFERRAL_PROPOSED}),
    TransferToPolice: frozenset({CriminalStatus.REFERRAL_APPROVED}),
}
"""The criminal-track statuses in which each command of this capability is a next step."""


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


ReferralEvent = (
    ReferralProposed | ReferralApproved | ReferralRefused | CaseTransferredToPolice
)


def evolve_referral(case: Case, event: ReferralEvent) -> Case:
    """The case after its referral was proposed, decided or sent to the police."""
    match event:
        case ReferralProposed(approval_deadline=deadline):
            return on_criminal_track(
                case,
                CriminalStatus.REFERRAL_PROPOSED,
                opens=(DeadlineKind.REFERRAL_APPROVAL, deadline),
            )
        case ReferralApproved(transfer_deadline=deadline):
            return on_criminal_track(
                case,
                CriminalStatus.REFERRAL_APPROVED,
                closes=DeadlineKind.REFERRAL_APPROVAL,
                opens=(DeadlineKind.POLICE_TRANSFER, deadline),
            )
        case ReferralRefused():
            return on_criminal_track(
                case,
                CriminalStatus.REFERRAL_REFUSED,
                closes=DeadlineKind.REFERRAL_APPROVAL,
            )
        case CaseTransferredToPolice(answer_deadline=deadline):
            transferred = on_criminal_track(
                case,
                CriminalStatus.TRANSFERRED_TO_POLICE,
                closes=DeadlineKind.POLICE_TRANSFER,
                opens=(DeadlineKind.POLICE_ANSWER, deadline),
            )
            return transferred.model_copy(
                update={"transferred_on": event.transferred_on}
            )
        case _:
            assert_never(event)


def propose_referral(
    case: Case, command: ProposeReferral, *, today: date, limits: CaseLimits
) -> list[ReferralEvent]:
    """An opened case is proposed for referral (again, after a refusal); the head
    decides within 3 days (310号令 art. 5). It runs beside the administrative track,
    which an administrative penalty must not replace (art. 11)."""
    require_criminal(case, ALLOWED_IN_CRIMINAL[ProposeReferral], "referred")
    require_step_date(case, command.proposed_on, field="proposed_on", today=today)
    return [
        ReferralProposed(
            proposed_on=command.proposed_on,
            grounds=command.grounds,
            approval_deadline=days_after(
                command.proposed_on, limits.referral_approval_days
            ),
        )
    ]


def approve_referral(
    case: Case, command: ApproveReferral, *, today: date, limits: CaseLimits
) -> list[ReferralEvent]:
    """The head approves a proposed referral; the case must reach the police within
    24 hours (310号令 art. 5)."""
    require_criminal(
        case, ALLOWED_IN_CRIMINAL[ApproveReferral], "approved for referral"
    )
    require_step_date(case, command.approved_on, field="approved_on", today=today)
    return [
        ReferralApproved(
            approved_on=command.approved_on,
            approved_by=command.approved_by,
            transfer_deadline=days_after(
                command.approved_on, limits.police_transfer_days
            ),
        )
    ]


def refuse_referral(
    case: Case, command: RefuseReferral, *, today: date
) -> list[ReferralEvent]:
    """The head refuses a proposed referral, with reasons (310号令 art. 5)."""
    require_criminal(case, ALLOWED_IN_CRIMINAL[RefuseReferral], "refused referral")
    require_step_date(case, command.refused_on, field="refused_on", today=today)
    return [
        ReferralRefused(
            refused_on=command.refused_on,
            refused_by=command.refused_by,
            reason=command.reason,
        )
    ]


def transfer_to_police(
    case: Case,
    command: TransferToPolice,
    *,
    today: date,
    limits: CaseLimits,
    units: frozenset[str],
) -> list[ReferralEvent]:
    """An approved referral goes to a police unit of the member directory, which must
    answer within 3 days (310号令 art. 8)."""
    require_criminal(
        case, ALLOWED_IN_CRIMINAL[TransferToPolice], "transferred to police"
    )
    require_step_date(case, command.transferred_on, field="transferred_on", today=today)
    require_active_unit(command.police_unit, units=units, field="police_unit")
    return [
        CaseTransferredToPolice(
            transferred_on=command.transferred_on,
            police_unit=command.police_unit,
            answer_deadline=days_after(
                command.transferred_on, limits.police_answer_days
            ),
        )
    ]


def days_after(start: date, days: int) -> Deadline:
    """The deadline `days` calendar days after `start`: 310号令 counts calendar days
    (24 hours as one), not working days."""
    return Deadline(due=start + timedelta(days=days), is_provisional=False)


def on_criminal_track(
    case: Case,
    status: CriminalStatus,
    *,
    closes: DeadlineKind | None = None,
    opens: tuple[DeadlineKind, Deadline] | None = None,
) -> Case:
    """The case moved to `status` on its criminal track: the deadline of the step done
    ends, the next step's starts."""
    deadlines = case.deadlines
    if closes is not None:
        deadlines = without_deadlines(deadlines, closes)
    if opens is not None:
        deadlines = with_deadline(deadlines, *opens)
    return case.model_copy(update={"criminal": status, "deadlines": deadlines})
