"""Events of the cases service with defaults, a weekends-only calendar and the district
limits the tests use, to build histories in tests.

The default history: received Monday 2024-03-04, accepted Wednesday 2024-03-06,
ordered to pay on 2024-04-01 by 2024-04-12; today is Monday 2024-05-06. The penalty
track: notice on Monday 2024-04-15 (a hearing may be asked until 2024-04-22), hearing
asked 04-17, notified 04-18 for 04-29, held then; decided and served 04-30, the fine
due 2024-05-15."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from services.cases.domain.assignment import (
    AssignCase,
    AssignmentReturned,
    CaseAssigned,
    ProgressReported,
    ReportProgress,
    ReturnAssignment,
)
from services.cases.domain.case import CASE, CaseEvent
from services.cases.domain.court import (
    AdvanceExecutionOrdered,
    EnforcementAccepted,
    EnforcementOutcomeRecorded,
    PropertyPreservationOrdered,
)
from services.cases.domain.duplicate_match import (
    EarlierCase,
    PossibleDuplicateFlagged,
)
from services.cases.domain.duplicates import DuplicateConfirmed, DuplicateDismissed
from services.cases.domain.escalation import (
    CreditListingRecommended,
    DeadlineMissed,
    EmployerAbscondedFlagged,
    FlagEmployerAbsconded,
    FlagMassIncident,
    MassIncidentFlagged,
)
from services.cases.domain.handover import ComplaintHandedOver
from services.cases.domain.intake import (
    AcceptCase,
    CaseAccepted,
    CaseReceived,
    CaseRejected,
    CaseTransferredOut,
    RejectCase,
    TransferCaseOut,
)
from services.cases.domain.investigation import (
    CaseCancelled,
    CaseClosed,
    InvestigationExtended,
    PaymentOrdered,
)
from services.cases.domain.limits import CaseLimits
from services.cases.domain.particulars import (
    CaseSource,
    Employer,
    Project,
    Sector,
    Worker,
    WorkerDetails,
)
from services.cases.domain.payments import (
    ArrearsCleared,
    CourtEnforcementApplied,
    HandlingDecided,
    PaymentRecorded,
)
from services.cases.domain.penalty import (
    NoticeOfIntentIssued,
)
from services.cases.domain.penalty_decision import (
    FineEnforcementApplied,
    FinePaid,
    PenaltyDecided,
)
from services.cases.domain.penalty_hearing import (
    HearingHeld,
    HearingRequested,
    HearingScheduled,
    HearingWaived,
)
from services.cases.domain.personal_data import ForgetWorker, WorkerDataForgotten
from services.cases.domain.police_answer import (
    PoliceDeclined,
    PoliceFiled,
    ProcuratorateSupervisionRequested,
    ReconsiderationRequested,
)
from services.cases.domain.referral import (
    CaseTransferredToPolice,
    ReferralApproved,
    ReferralProposed,
    ReferralRefused,
)
from services.cases.domain.state import (
    Case,
    CaseOutcome,
    CaseStatus,
    DeadlineKind,
    DuplicateReason,
    ServiceMethod,
)
from services.cases.domain.supplement import (
    RequestSupplement,
    SupplementReceived,
    SupplementRequested,
)
from shared.domain import Deadline
from shared.duties import Acting, Duty
from tests.weekend_calendar import WeekendCalendar

CASE_ID = "2024-000123"
TODAY = date(2024, 5, 6)
RECEIVED_ON = date(2024, 3, 4)
ACCEPTED_ON = date(2024, 3, 6)
ORDERED_ON = date(2024, 4, 1)
SERVED_ON = date(2024, 4, 2)
PAY_BY = date(2024, 4, 12)
PROPOSED_ON = date(2024, 4, 22)
NOTIFIED_ON = date(2024, 4, 15)
HEARING_REQUEST_BY = date(2024, 4, 22)
HEARING_ON = date(2024, 4, 29)
DECIDED_ON = date(2024, 4, 30)
FINE_DUE = date(2024, 5, 15)
INTENDED_FINE = Decimal("20000.00")

VALID_USCC = "91110108551385082Q"
INVALID_USCC = "91110108551385081Q"
VALID_ID_NUMBER = "630102198506121232"
OTHER_VALID_ID_NUMBER = "630102199003074563"
INVALID_ID_NUMBER = "630102198506121233"

UNITS = frozenset({"rsj", "jsj", "scjgj", "gafj", "fy", "xfj", "yjkz", "sq-dongguan"})
LIMITS = CaseLimits(
    crime_threshold_one_worker=Decimal(10_000),
    crime_threshold_many_workers=Decimal(50_000),
)


CALENDAR = WeekendCalendar()

OFFICE = Acting.office()
POLICE = Acting.unit_of("gafj", Duty.POLICE)
COURT = Acting.unit_of("fy", Duty.COURT)
CONSTRUCTION = Acting.unit_of("jsj", Duty.CONSTRUCTION)
"""Who acts: the office, the police's, the court's and another unit's staff."""

FILING_NUMBER = "东公(刑)立字〔2024〕15号"
DECLINING_NUMBER = "东公(刑)不立字〔2024〕7号"

RECEIVED_ALLOWS = (
    AcceptCase,
    RejectCase,
    RequestSupplement,
    TransferCaseOut,
    AssignCase,
    ReportProgress,
    ReturnAssignment,
    FlagMassIncident,
    FlagEmployerAbsconded,
    ForgetWorker,
)
"""The steps a received case allows."""


def deadline(due: date, *, is_provisional: bool = False) -> Deadline:
    return Deadline(due=due, is_provisional=is_provisional)


def worker_details(**overrides: Any) -> WorkerDetails:
    defaults: dict[str, Any] = {
        "subject": "worker-0001",
        "name": "马德福",
        "id_number": VALID_ID_NUMBER,
        "phone": "13809711234",
    }
    return WorkerDetails(**(defaults | overrides))


def worker(**overrides: Any) -> Worker:
    """The worker the office entered as `worker_details(**overrides)`."""
    return Worker.of(worker_details(**overrides))


def employer(**overrides: Any) -> Employer:
    defaults: dict[str, Any] = {"name": "城东宏达建筑劳务有限公司", "uscc": VALID_USCC}
    return Employer(**(defaults | overrides))


def project() -> Project:
    return Project(
        name="城东花园二期",
        client="城东置业有限公司",
        general_contractor="青海宏建集团有限公司",
        subcontractor="城东宏达建筑劳务有限公司",
    )


def case_received(**overrides: Any) -> CaseReceived:
    defaults: dict[str, Any] = {
        "source": CaseSource.COMPLAINT,
        "sector": Sector.CONSTRUCTION,
        "employer": employer(),
        "project": project(),
        "workers_count": 1,
        "workers": (worker(),),
        "months_owed": 4,
        "amount_owed": Decimal("12000.00"),
        "territorial_unit": "yjkz",
        "summary": "四个月工资未付",
        "is_mass_incident": False,
        "is_employer_absconded": False,
        "received_on": RECEIVED_ON,
        # 5 working days after Monday 2024-03-04
        "acceptance_deadline": deadline(date(2024, 3, 11)),
    }
    return CaseReceived(**(defaults | overrides))


def case_accepted(**overrides: Any) -> CaseAccepted:
    defaults: dict[str, Any] = {
        "accepted_on": ACCEPTED_ON,
        # 60 working days are 12 weeks on a weekends-only calendar
        "investigation_deadline": deadline(date(2024, 5, 29)),
    }
    return CaseAccepted(**(defaults | overrides))


def case_rejected(**overrides: Any) -> CaseRejected:
    defaults: dict[str, Any] = {
        "rejected_on": date(2024, 3, 5),
        "reason": "违法行为已超过两年",
    }
    return CaseRejected(**(defaults | overrides))


def supplement_requested(**overrides: Any) -> SupplementRequested:
    defaults: dict[str, Any] = {
        "requested_on": date(2024, 3, 5),
        "what": "用人单位名称及地址",
        "due": date(2024, 3, 15),
    }
    return SupplementRequested(**(defaults | overrides))


def supplement_received(**overrides: Any) -> SupplementReceived:
    defaults: dict[str, Any] = {
        "received_on": date(2024, 3, 12),
        "acceptance_deadline": deadline(date(2024, 3, 19)),
    }
    return SupplementReceived(**(defaults | overrides))


def case_transferred_out(**overrides: Any) -> CaseTransferredOut:
    defaults: dict[str, Any] = {
        "transferred_on": date(2024, 3, 5),
        "to": "区劳动人事争议仲裁院",
        "reason": "已申请劳动仲裁",
    }
    return CaseTransferredOut(**(defaults | overrides))


def investigation_extended(**overrides: Any) -> InvestigationExtended:
    defaults: dict[str, Any] = {
        "approved_by": "区人力资源和社会保障局局长",
        "approved_on": date(2024, 5, 3),
        "investigation_deadline": deadline(date(2024, 7, 10)),
    }
    return InvestigationExtended(**(defaults | overrides))


def case_cancelled(**overrides: Any) -> CaseCancelled:
    defaults: dict[str, Any] = {
        "cancelled_on": date(2024, 3, 20),
        "reason": "情节轻微且已改正",
    }
    return CaseCancelled(**(defaults | overrides))


def payment_ordered(**overrides: Any) -> PaymentOrdered:
    defaults: dict[str, Any] = {
        "ordered_on": ORDERED_ON,
        "pay_by": PAY_BY,
        "served_on": SERVED_ON,
        "service_method": ServiceMethod.IN_PERSON,
        "amount": Decimal("12000.00"),
    }
    return PaymentOrdered(**(defaults | overrides))


def payment_recorded(**overrides: Any) -> PaymentRecorded:
    defaults: dict[str, Any] = {
        "paid_on": date(2024, 4, 10),
        "amount": Decimal("5000.00"),
        "is_overpayment": False,
    }
    return PaymentRecorded(**(defaults | overrides))


def arrears_cleared(**overrides: Any) -> ArrearsCleared:
    defaults: dict[str, Any] = {
        "cleared_on": date(2024, 4, 10),
        "amount_recovered": Decimal("12000.00"),
    }
    return ArrearsCleared(**(defaults | overrides))


def handling_decided(**overrides: Any) -> HandlingDecided:
    defaults: dict[str, Any] = {
        "decided_on": date(2024, 4, 22),
        "amount_still_owed": Decimal("12000.00"),
        "compensation_rate": Decimal("0.5"),
        "compensation_amount": Decimal("6000.00"),
    }
    return HandlingDecided(**(defaults | overrides))


def court_enforcement_applied(**overrides: Any) -> CourtEnforcementApplied:
    defaults: dict[str, Any] = {
        "applied_on": date(2024, 4, 29),
        "amount_still_owed": Decimal("12000.00"),
    }
    return CourtEnforcementApplied(**(defaults | overrides))


COURT_NUMBER = "（2024）东0102执1234号"


def enforcement_accepted(**overrides: Any) -> EnforcementAccepted:
    defaults: dict[str, Any] = {
        "accepted_on": date(2024, 5, 2),
        "document_number": COURT_NUMBER,
    }
    return EnforcementAccepted(**(defaults | overrides))


def property_preservation_ordered(**overrides: Any) -> PropertyPreservationOrdered:
    defaults: dict[str, Any] = {
        "ordered_on": date(2024, 5, 3),
        "document_number": COURT_NUMBER,
        "description": "冻结被执行人银行存款12000元",
    }
    return PropertyPreservationOrdered(**(defaults | overrides))


def advance_execution_ordered(**overrides: Any) -> AdvanceExecutionOrdered:
    defaults: dict[str, Any] = {
        "ordered_on": date(2024, 5, 3),
        "document_number": COURT_NUMBER,
        "amount": None,
    }
    return AdvanceExecutionOrdered(**(defaults | overrides))


def enforcement_outcome_recorded(**overrides: Any) -> EnforcementOutcomeRecorded:
    defaults: dict[str, Any] = {
        "decided_on": date(2024, 5, 6),
        "amount_realised": Decimal("5000.00"),
        "document_number": COURT_NUMBER,
        "is_concluded": False,
    }
    return EnforcementOutcomeRecorded(**(defaults | overrides))


def case_closed(**overrides: Any) -> CaseClosed:
    defaults: dict[str, Any] = {
        "closed_on": date(2024, 4, 30),
        "outcome": CaseOutcome.PAID,
    }
    return CaseClosed(**(defaults | overrides))


def referral_proposed(**overrides: Any) -> ReferralProposed:
    defaults: dict[str, Any] = {
        "proposed_on": PROPOSED_ON,
        "grounds": "经责令支付逾期仍不支付，数额较大",
        "approval_deadline": deadline(date(2024, 4, 25)),
    }
    return ReferralProposed(**(defaults | overrides))


def referral_approved(**overrides: Any) -> ReferralApproved:
    defaults: dict[str, Any] = {
        "approved_on": date(2024, 4, 24),
        "approved_by": "区人力资源和社会保障局局长",
        "transfer_deadline": deadline(date(2024, 4, 25)),
    }
    return ReferralApproved(**(defaults | overrides))


def referral_refused(**overrides: Any) -> ReferralRefused:
    defaults: dict[str, Any] = {
        "refused_on": date(2024, 4, 24),
        "refused_by": "区人力资源和社会保障局局长",
        "reason": "证据不足",
    }
    return ReferralRefused(**(defaults | overrides))


def case_transferred_to_police(**overrides: Any) -> CaseTransferredToPolice:
    defaults: dict[str, Any] = {
        "transferred_on": date(2024, 4, 25),
        "police_unit": "gafj",
        "answer_deadline": deadline(date(2024, 4, 28)),
    }
    return CaseTransferredToPolice(**(defaults | overrides))


def police_filed(**overrides: Any) -> PoliceFiled:
    defaults: dict[str, Any] = {
        "filed_on": date(2024, 4, 26),
        "document_number": FILING_NUMBER,
    }
    return PoliceFiled(**(defaults | overrides))


def police_declined(**overrides: Any) -> PoliceDeclined:
    defaults: dict[str, Any] = {
        "declined_on": date(2024, 4, 26),
        "reason": "不符合立案条件",
        "is_after_reconsideration": False,
        "request_by": deadline(date(2024, 4, 29)),
        "document_number": DECLINING_NUMBER,
    }
    return PoliceDeclined(**(defaults | overrides))


def reconsideration_requested(**overrides: Any) -> ReconsiderationRequested:
    defaults: dict[str, Any] = {
        "requested_on": date(2024, 4, 29),
        "answer_deadline": deadline(date(2024, 5, 2)),
    }
    return ReconsiderationRequested(**(defaults | overrides))


def procuratorate_supervision_requested(
    **overrides: Any,
) -> ProcuratorateSupervisionRequested:
    defaults: dict[str, Any] = {
        "requested_on": date(2024, 5, 2),
        "reason": "公安机关复议后仍不予立案",
    }
    return ProcuratorateSupervisionRequested(**(defaults | overrides))


def case_assigned(**overrides: Any) -> CaseAssigned:
    defaults: dict[str, Any] = {
        "lead_unit": "jsj",
        "helping_units": ("yjkz",),
        "due_on": date(2024, 5, 31),
        "note": "督促总包单位代发",
    }
    return CaseAssigned(**(defaults | overrides))


def progress_reported(**overrides: Any) -> ProgressReported:
    defaults: dict[str, Any] = {
        "unit": "jsj",
        "text": "已约谈总包单位",
        "reported_on": date(2024, 5, 6),
    }
    return ProgressReported(**(defaults | overrides))


def assignment_returned(**overrides: Any) -> AssignmentReturned:
    defaults: dict[str, Any] = {"unit": "jsj", "reason": "非工程建设领域"}
    return AssignmentReturned(**(defaults | overrides))


def mass_incident_flagged(**overrides: Any) -> MassIncidentFlagged:
    defaults: dict[str, Any] = {"flagged_on": date(2024, 4, 15), "note": ""}
    return MassIncidentFlagged(**(defaults | overrides))


def employer_absconded_flagged(**overrides: Any) -> EmployerAbscondedFlagged:
    defaults: dict[str, Any] = {"flagged_on": date(2024, 3, 20), "note": ""}
    return EmployerAbscondedFlagged(**(defaults | overrides))


def deadline_missed(**overrides: Any) -> DeadlineMissed:
    defaults: dict[str, Any] = {
        "kind": DeadlineKind.PAYMENT_ORDER,
        "due": PAY_BY,
        "detected_on": date(2024, 4, 13),
    }
    return DeadlineMissed(**(defaults | overrides))


def credit_listing_recommended(**overrides: Any) -> CreditListingRecommended:
    defaults: dict[str, Any] = {
        "case_id": CASE_ID,
        "employer_name": "城东宏达建筑劳务有限公司",
        "employer_uscc": VALID_USCC,
        "amount_still_owed": Decimal("12000.00"),
        "months_owed": 4,
        "workers_count": 1,
        "is_mass_incident": False,
        "is_order_overdue": True,
        "recommended_on": date(2024, 4, 13),
    }
    return CreditListingRecommended(**(defaults | overrides))


def notice_of_intent_issued(**overrides: Any) -> NoticeOfIntentIssued:
    defaults: dict[str, Any] = {
        "notified_on": NOTIFIED_ON,
        "facts": "拖欠一名农民工四个月工资",
        "reasons": "经责令限期支付逾期未支付",
        "basis": "《保障农民工工资支付条例》第五十七条",
        "intended_fine": INTENDED_FINE,
        "has_hearing_right": True,
        "hearing_request_deadline": deadline(HEARING_REQUEST_BY),
        # 90 days after acceptance on 2024-03-06
        "decision_deadline": deadline(date(2024, 6, 4)),
    }
    if overrides.get("has_hearing_right") is False:
        defaults["hearing_request_deadline"] = None
    return NoticeOfIntentIssued(**(defaults | overrides))


def hearing_requested(**overrides: Any) -> HearingRequested:
    defaults: dict[str, Any] = {"requested_on": date(2024, 4, 17)}
    return HearingRequested(**(defaults | overrides))


def hearing_waived(**overrides: Any) -> HearingWaived:
    defaults: dict[str, Any] = {"waived_on": date(2024, 4, 16), "note": "书面放弃"}
    return HearingWaived(**(defaults | overrides))


def hearing_scheduled(**overrides: Any) -> HearingScheduled:
    defaults: dict[str, Any] = {
        "notified_on": date(2024, 4, 18),
        "hearing_on": HEARING_ON,
        "place": "区人社局听证室",
    }
    return HearingScheduled(**(defaults | overrides))


def hearing_held(**overrides: Any) -> HearingHeld:
    defaults: dict[str, Any] = {"heard_on": HEARING_ON, "summary": "当事人陈述申辩"}
    return HearingHeld(**(defaults | overrides))


def penalty_decided(**overrides: Any) -> PenaltyDecided:
    defaults: dict[str, Any] = {
        "decided_on": DECIDED_ON,
        "served_on": DECIDED_ON,
        "fine": INTENDED_FINE,
        "special_rule": None,
        "payment_deadline": deadline(FINE_DUE),
    }
    return PenaltyDecided(**(defaults | overrides))


def fine_paid(**overrides: Any) -> FinePaid:
    defaults: dict[str, Any] = {
        "paid_on": date(2024, 5, 10),
        "amount": INTENDED_FINE,
        "days_late": 0,
        "surcharge_due": Decimal("0.00"),
    }
    return FinePaid(**(defaults | overrides))


def fine_enforcement_applied(**overrides: Any) -> FineEnforcementApplied:
    defaults: dict[str, Any] = {"applied_on": date(2024, 5, 20), "fine": INTENDED_FINE}
    return FineEnforcementApplied(**(defaults | overrides))


def worker_data_forgotten(**overrides: Any) -> WorkerDataForgotten:
    defaults: dict[str, Any] = {"subject": "worker-0001", "reason": "本人申请"}
    return WorkerDataForgotten(**(defaults | overrides))


EARLIER_CASE_ID = "2024-000100"


def earlier_case(**overrides: Any) -> EarlierCase:
    """An open case of the default employer, received a month before the default
    case, about the same project and worker."""
    defaults: dict[str, Any] = {
        "case_id": EARLIER_CASE_ID,
        "status": CaseStatus.INVESTIGATING,
        "employer_uscc": VALID_USCC,
        "received_on": date(2024, 2, 5),
        "project_name": "城东花园二期",
        "worker_subjects": ("worker-0001",),
    }
    return EarlierCase(**(defaults | overrides))


def complaint_handed_over(**overrides: Any) -> ComplaintHandedOver:
    defaults: dict[str, Any] = {
        "handed_over_by": "xfj",
        "unit_reference": "信访〔2024〕12号",
    }
    return ComplaintHandedOver(**(defaults | overrides))


def possible_duplicate_flagged(**overrides: Any) -> PossibleDuplicateFlagged:
    defaults: dict[str, Any] = {
        "of_case_id": EARLIER_CASE_ID,
        "reasons": (DuplicateReason.SAME_WORKER, DuplicateReason.SAME_PROJECT),
    }
    return PossibleDuplicateFlagged(**(defaults | overrides))


def duplicate_confirmed(**overrides: Any) -> DuplicateConfirmed:
    defaults: dict[str, Any] = {"of_case_id": EARLIER_CASE_ID, "confirmed_on": TODAY}
    return DuplicateConfirmed(**(defaults | overrides))


def duplicate_dismissed(**overrides: Any) -> DuplicateDismissed:
    defaults: dict[str, Any] = {
        "of_case_id": EARLIER_CASE_ID,
        "dismissed_on": TODAY,
        "reason": "另一批工人",
    }
    return DuplicateDismissed(**(defaults | overrides))


def flagged(**overrides: Any) -> list[CaseEvent]:
    """A case just received and flagged as a possible duplicate of the earlier one."""
    return [case_received(**overrides), possible_duplicate_flagged()]


def received(**overrides: Any) -> list[CaseEvent]:
    """A case just received, with `case_received(**overrides)`."""
    return [case_received(**overrides)]


def investigating(**overrides: Any) -> list[CaseEvent]:
    """A case accepted and under investigation."""
    return [*received(**overrides), case_accepted()]


def ordered(**overrides: Any) -> list[CaseEvent]:
    """A case ordered to pay what it was received with."""
    amount = overrides.get("amount_owed", Decimal("12000.00"))
    return [*investigating(**overrides), payment_ordered(amount=amount)]


def overdue(**overrides: Any) -> list[CaseEvent]:
    """A case whose payment order passed unpaid (recorded without a recommendation)."""
    return [*ordered(**overrides), deadline_missed()]


def enforcing(**overrides: Any) -> list[CaseEvent]:
    """An overdue case the agency applied to the court to enforce on 2024-04-29."""
    return [*overdue(**overrides), court_enforcement_applied()]


def noticed(**overrides: Any) -> list[CaseEvent]:
    """An ordered case whose employer got a notice of intended penalty with a hearing
    right (`notice_of_intent_issued(**overrides)`)."""
    return [*ordered(), notice_of_intent_issued(**overrides)]


def heard() -> list[CaseEvent]:
    """A noticed case whose requested hearing was held."""
    return [*noticed(), hearing_requested(), hearing_scheduled(), hearing_held()]


def decided(**overrides: Any) -> list[CaseEvent]:
    """A case whose penalty was decided after its hearing (`penalty_decided(**overrides)`),
    the fine not yet paid."""
    return [*heard(), penalty_decided(**overrides)]


def case_of(*histories: Sequence[CaseEvent]) -> Case:
    """The case after these histories, one after the other."""
    return CASE.replay(event for history in histories for event in history)
