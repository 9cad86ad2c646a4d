"""The criminal track: referral proposed, approved or refused, transferred to the
police, filed or declined, reconsideration, procuratorate supervision (310号令
arts. 5–9, rules.md §3.5, §4.1). Its limits count calendar days."""

from __future__ import annotations

from datetime import date, timedelta

from services.cases.domain.aggregate import CaseEvent
from services.cases.domain.case import Case, CriminalStatus
from services.cases.domain.commands import (
    ApproveReferral,
    ProposeReferral,
    RecordPoliceDeclining,
    RecordPoliceFiling,
    RefuseReferral,
    RequestProcuratorateSupervision,
    RequestReconsideration,
    TransferToPolice,
)
from services.cases.domain.limits import CaseLimits
from services.cases.domain.referral_events import (
    CaseTransferredToPolice,
    PoliceDeclined,
    PoliceFiled,
    ProcuratorateSupervisionRequested,
    ReconsiderationRequested,
    ReferralApproved,
    ReferralProposed,
    ReferralRefused,
)
from services.cases.domain.transitions import (
    require_criminal,
    require_date,
    require_unit,
)
from shared.domain import Deadline
from shared.errors import RuleViolated

_AWAITING_POLICE = frozenset(
    {CriminalStatus.TRANSFERRED_TO_POLICE, CriminalStatus.RECONSIDERATION_REQUESTED}
)


def propose_referral(
    case: Case, command: ProposeReferral, *, today: date, limits: CaseLimits
) -> list[CaseEvent]:
    """An opened case is proposed for referral (again, after a refusal); the head
    decides within 3 days (310号令 art. 5). It runs beside the administrative track,
    which an administrative penalty must not replace (art. 11)."""
    require_criminal(
        case, {CriminalStatus.NONE, CriminalStatus.REFERRAL_REFUSED}, "referred"
    )
    require_date(command.proposed_on, field="proposed_on", case=case, today=today)
    return [
        ReferralProposed(
            proposed_on=command.proposed_on,
            grounds=command.grounds,
            approval_deadline=_after(
                command.proposed_on, limits.referral_approval_days
            ),
        )
    ]


def approve_referral(
    case: Case, command: ApproveReferral, *, today: date, limits: CaseLimits
) -> list[CaseEvent]:
    """The head approves a proposed referral; the case must reach the police within
    24 hours (310号令 art. 5)."""
    require_criminal(case, {CriminalStatus.REFERRAL_PROPOSED}, "approved for referral")
    require_date(command.approved_on, field="approved_on", case=case, today=today)
    return [
        ReferralApproved(
            approved_on=command.approved_on,
            approved_by=command.approved_by,
            transfer_deadline=_after(command.approved_on, limits.police_transfer_days),
        )
    ]


def refuse_referral(
    case: Case, command: RefuseReferral, *, today: date
) -> list[CaseEvent]:
    """The head refuses a proposed referral, with reasons (310号令 art. 5)."""
    require_criminal(case, {CriminalStatus.REFERRAL_PROPOSED}, "refused referral")
    require_date(command.refused_on, field="refused_on", case=case, today=today)
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
) -> list[CaseEvent]:
    """An approved referral goes to a police unit of the member directory, which must
    answer within 3 days (310号令 art. 8)."""
    require_criminal(case, {CriminalStatus.REFERRAL_APPROVED}, "transferred to police")
    require_date(command.transferred_on, field="transferred_on", case=case, today=today)
    require_unit(command.police_unit, units, field="police_unit")
    return [
        CaseTransferredToPolice(
            transferred_on=command.transferred_on,
            police_unit=command.police_unit,
            answer_deadline=_after(command.transferred_on, limits.police_answer_days),
        )
    ]


def record_police_filing(
    case: Case, command: RecordPoliceFiling, *, today: date
) -> list[CaseEvent]:
    """The police opened a criminal case, at first or on reconsideration."""
    require_criminal(case, _AWAITING_POLICE, "filed by the police")
    require_date(command.filed_on, field="filed_on", case=case, today=today)
    return [PoliceFiled(filed_on=command.filed_on)]


def record_police_declining(
    case: Case, command: RecordPoliceDeclining, *, today: date, limits: CaseLimits
) -> list[CaseEvent]:
    """The police declined: after a first refusal the agency may ask them to
    reconsider within 3 days; after a refusal on reconsideration it may turn to the
    procuratorate within 3 days (310号令 art. 9)."""
    require_criminal(case, _AWAITING_POLICE, "declined by the police")
    require_date(command.declined_on, field="declined_on", case=case, today=today)
    is_after = case.criminal is CriminalStatus.RECONSIDERATION_REQUESTED
    days = (
        limits.procuratorate_request_days
        if is_after
        else limits.reconsideration_request_days
    )
    return [
        PoliceDeclined(
            declined_on=command.declined_on,
            reason=command.reason,
            is_after_reconsideration=is_after,
            request_by=_after(command.declined_on, days),
        )
    ]


def request_reconsideration(
    case: Case, command: RequestReconsideration, *, today: date, limits: CaseLimits
) -> list[CaseEvent]:
    """The agency asks the police once to reconsider; they answer within 3 days
    (310号令 art. 9)."""
    require_criminal(case, {CriminalStatus.POLICE_DECLINED}, "sent for reconsideration")
    if case.is_reconsideration_requested:
        raise RuleViolated(
            "one-reconsideration",
            "The police already reconsidered; ask the procuratorate to supervise.",
        )
    require_date(command.requested_on, field="requested_on", case=case, today=today)
    return [
        ReconsiderationRequested(
            requested_on=command.requested_on,
            answer_deadline=_after(
                command.requested_on, limits.police_reconsideration_days
            ),
        )
    ]


def request_procuratorate_supervision(
    case: Case, command: RequestProcuratorateSupervision, *, today: date
) -> list[CaseEvent]:
    """After the police declined again on reconsideration, the agency asks the
    procuratorate to supervise (310号令 art. 9)."""
    require_criminal(
        case, {CriminalStatus.POLICE_DECLINED}, "sent to the procuratorate"
    )
    if not case.is_reconsideration_requested:
        raise RuleViolated(
            "reconsideration-first",
            "Ask the police to reconsider before turning to the procuratorate.",
        )
    require_date(command.requested_on, field="requested_on", case=case, today=today)
    return [
        ProcuratorateSupervisionRequested(
            requested_on=command.requested_on, reason=command.reason
        )
    ]


def _after(start: date, days: int) -> Deadline:
    # 310号令 counts calendar days (24 hours as one), not working days.
    return Deadline(due=start + timedelta(days=days), is_provisional=False)
