"""Events of the credit service with defaults, a weekends-only calendar and the district
limits the tests use, to build histories in tests.

The default history: a candidate opened Monday 2024-05-06, the notice served Wednesday
2024-05-08 with an objection period to Wednesday 2024-05-15 (5 working days), the
period lapsed, listed Monday 2024-05-20 until 2027-05-20, published and active
Wednesday 2024-05-22 with sanctions to confirm by Wednesday 2024-06-05 (10 working
days); today is Monday 2024-06-03."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from services.credit.domain.aggregate import LISTING, ListingEvent
from services.credit.domain.candidate import CandidateOpened
from services.credit.domain.decision import ListingDecided, NotListed
from services.credit.domain.early_removal import (
    EarlyRemovalApplied,
    EarlyRemovalGranted,
    EarlyRemovalRefused,
    RefusalReason,
)
from services.credit.domain.ending import ListingExpired, ListingRevoked
from services.credit.domain.grounds import Grounds, OpenedFrom
from services.credit.domain.later_grounds import GroundsUpdated
from services.credit.domain.limits import CreditLimits
from services.credit.domain.listing import Listing, RevokedBy, ServiceMethod
from services.credit.domain.notice import (
    NoticeServed,
    ObjectionFiled,
    ObjectionPeriodLapsed,
    ObjectionReviewed,
)
from services.credit.domain.payment_evidence import PaymentEvidenceRecorded
from services.credit.domain.publication import (
    CREDIT_CHINA,
    CREDIT_SHARING_PLATFORM,
    ListingActivated,
    ListingPublished,
)
from services.credit.domain.sanctioning import (
    SanctionApplied,
    SanctionLifted,
    SanctionOverdue,
)
from services.credit.domain.sanctions import (
    SanctionMeasure,
    default_sanction_duties,
    sanction_tasks_for,
)
from services.credit.domain.subjects import (
    EmployerSubject,
    PersonDetails,
    PersonSubject,
    SubjectKind,
)
from shared.domain import Deadline
from tests.weekend_calendar import WeekendCalendar

LISTING_ID = "2024-000001"
EMPLOYER_LISTING_ID = "2024-000001"
PERSON_LISTING_ID = "2024-000002"
SOURCE_EVENT_ID = "5f0c8a2e-3b1d-4c7a-9e2f-1a2b3c4d5e6f"
DECISION_ID = "东人社惩决〔2024〕1号"

OPENED_ON = date(2024, 5, 6)
SERVED_ON = date(2024, 5, 8)
OBJECTION_DUE = date(2024, 5, 15)
FILED_ON = date(2024, 5, 13)
REVIEWED_ON = date(2024, 5, 17)
LAPSED_ON = date(2024, 5, 16)
DECIDED_ON = date(2024, 5, 20)
ENDS_ON = date(2027, 5, 20)
PUBLISHED_ON = date(2024, 5, 22)
SANCTION_DUE = date(2024, 6, 5)
TODAY = date(2024, 6, 3)
# Sanctions are to be lifted 10 working days after the end is recorded.
LIFT_DUE_AFTER_EXPIRY = date(2027, 6, 3)
LIFT_DUE_AFTER_TODAY = date(2024, 6, 17)

VALID_USCC = "91110108551385082Q"
INVALID_USCC = "91110108551385081Q"
VALID_ID_NUMBER = "630102198506121232"
INVALID_ID_NUMBER = "630102198506121233"
PERSON_KEY = "p-7c1e9a"

LIMITS = CreditLimits(objection_working_days=5, sanction_confirm_working_days=10)
DUTIES = default_sanction_duties()
UNITS = {
    "rsj": "区人力资源和社会保障局",
    "fgj": "区发展改革和经济商务局",
    "czj": "区财政局",
    "gtj": "区国土资源局",
    "jsj": "区建设局",
    "scjgj": "区食品药品和市场监督管理局",
    "gafj": "城东公安分局",
    "fy": "区人民法院",
    "xfj": "区信访局",
}
TASKS = sanction_tasks_for(DUTIES, UNITS, due=SANCTION_DUE)
TASK_IDS = tuple(t.task_id for t in TASKS)
JSJ_PERMITS = "jsj-construction_permit_and_bidding"


CALENDAR = WeekendCalendar()


def employer_subject(**overrides: Any) -> EmployerSubject:
    defaults: dict[str, Any] = {"name": "城东宏达建筑劳务有限公司", "uscc": VALID_USCC}
    return EmployerSubject(**(defaults | overrides))


def person_details(**overrides: Any) -> PersonDetails:
    defaults: dict[str, Any] = {
        "kind": SubjectKind.LEGAL_REPRESENTATIVE,
        "name": "马德福",
        "id_number": VALID_ID_NUMBER,
        "person_key": PERSON_KEY,
        "role_at_employer": "法定代表人",
    }
    return PersonDetails(**(defaults | overrides))


def person_subject(**overrides: Any) -> PersonSubject:
    """The person the office entered as `person_details(**overrides)`."""
    return PersonSubject.of(person_details(**overrides))


def grounds(**overrides: Any) -> Grounds:
    defaults: dict[str, Any] = {
        "case_ids": ("2024-000123",),
        "amount_owed": Decimal("12000.00"),
        "months_owed": 4,
        "workers_count": 1,
        "is_mass_incident": False,
        "is_order_overdue": True,
        "note": "",
    }
    return Grounds(**(defaults | overrides))


def candidate_opened(**overrides: Any) -> CandidateOpened:
    defaults: dict[str, Any] = {
        "subject": employer_subject(),
        "grounds": grounds(),
        "opened_from": OpenedFrom.CASE_RECOMMENDATION,
        "source_event_id": SOURCE_EVENT_ID,
        "opened_on": OPENED_ON,
    }
    return CandidateOpened(**(defaults | overrides))


def grounds_updated(**overrides: Any) -> GroundsUpdated:
    defaults: dict[str, Any] = {
        "grounds": grounds(),
        "source_event_id": SOURCE_EVENT_ID,
        "updated_on": SERVED_ON,
    }
    return GroundsUpdated(**(defaults | overrides))


def notice_served(**overrides: Any) -> NoticeServed:
    defaults: dict[str, Any] = {
        "served_on": SERVED_ON,
        "method": ServiceMethod.IN_PERSON,
        "objection_deadline": Deadline(due=OBJECTION_DUE, is_provisional=False),
    }
    return NoticeServed(**(defaults | overrides))


def objection_filed(**overrides: Any) -> ObjectionFiled:
    defaults: dict[str, Any] = {"filed_on": FILED_ON, "text": "欠薪已于五月结清"}
    return ObjectionFiled(**(defaults | overrides))


def objection_reviewed(**overrides: Any) -> ObjectionReviewed:
    defaults: dict[str, Any] = {
        "reviewed_on": REVIEWED_ON,
        "upheld": False,
        "reasoning": "未提供支付凭证",
    }
    return ObjectionReviewed(**(defaults | overrides))


def objection_period_lapsed(**overrides: Any) -> ObjectionPeriodLapsed:
    defaults: dict[str, Any] = {"lapsed_on": LAPSED_ON}
    return ObjectionPeriodLapsed(**(defaults | overrides))


def listing_decided(**overrides: Any) -> ListingDecided:
    defaults: dict[str, Any] = {
        "decided_on": DECIDED_ON,
        "decision_id": DECISION_ID,
        "decided_by": "区人力资源和社会保障局局长",
        "ends_on": ENDS_ON,
        "employer_listing_id": None,
    }
    return ListingDecided(**(defaults | overrides))


def not_listed(**overrides: Any) -> NotListed:
    defaults: dict[str, Any] = {
        "decided_on": DECIDED_ON,
        "reason": "决定前已清偿并作出书面信用承诺",
    }
    return NotListed(**(defaults | overrides))


def listing_published(**overrides: Any) -> ListingPublished:
    defaults: dict[str, Any] = {
        "published_on": PUBLISHED_ON,
        "shared_to": (CREDIT_SHARING_PLATFORM, CREDIT_CHINA),
    }
    return ListingPublished(**(defaults | overrides))


def listing_activated(**overrides: Any) -> ListingActivated:
    defaults: dict[str, Any] = {"activated_on": PUBLISHED_ON, "sanction_tasks": TASKS}
    return ListingActivated(**(defaults | overrides))


def sanction_applied(**overrides: Any) -> SanctionApplied:
    defaults: dict[str, Any] = {
        "task_id": JSJ_PERMITS,
        "unit_code": "jsj",
        "measure": SanctionMeasure.CONSTRUCTION_PERMIT_AND_BIDDING,
        "applied_on": date(2024, 5, 27),
        "basis": "保障农民工工资支付条例第四十八条",
        "reference": "东建函〔2024〕12号",
    }
    return SanctionApplied(**(defaults | overrides))


def sanction_lifted(**overrides: Any) -> SanctionLifted:
    defaults: dict[str, Any] = {
        "task_id": JSJ_PERMITS,
        "unit_code": "jsj",
        "lifted_on": date(2027, 5, 24),
        "reference": "东建函〔2027〕3号",
    }
    return SanctionLifted(**(defaults | overrides))


def sanction_overdue(**overrides: Any) -> SanctionOverdue:
    defaults: dict[str, Any] = {
        "task_id": JSJ_PERMITS,
        "unit_code": "jsj",
        "due": SANCTION_DUE,
    }
    return SanctionOverdue(**(defaults | overrides))


def listing_expired(**overrides: Any) -> ListingExpired:
    defaults: dict[str, Any] = {
        "expired_on": ENDS_ON,
        "sanctions_to_lift": TASK_IDS,
        "lift_due": LIFT_DUE_AFTER_EXPIRY,
    }
    return ListingExpired(**(defaults | overrides))


def early_removal_applied(**overrides: Any) -> EarlyRemovalApplied:
    defaults: dict[str, Any] = {
        "applied_on": date(2025, 1, 6),
        "paid_on": date(2024, 7, 1),
        "commitment_text": "本单位承诺今后按时足额支付农民工工资",
        "has_new_arrears": False,
    }
    return EarlyRemovalApplied(**(defaults | overrides))


def early_removal_granted(**overrides: Any) -> EarlyRemovalGranted:
    defaults: dict[str, Any] = {
        "decided_on": date(2025, 1, 13),
        "sanctions_to_lift": TASK_IDS,
        "lift_due": date(2025, 1, 27),
    }
    return EarlyRemovalGranted(**(defaults | overrides))


def early_removal_refused(**overrides: Any) -> EarlyRemovalRefused:
    defaults: dict[str, Any] = {
        "decided_on": date(2025, 1, 13),
        "reasons": (RefusalReason.NO_WRITTEN_COMMITMENT,),
    }
    return EarlyRemovalRefused(**(defaults | overrides))


def payment_evidence_recorded(**overrides: Any) -> PaymentEvidenceRecorded:
    defaults: dict[str, Any] = {
        "paid_on": date(2024, 7, 1),
        "evidence": "银行转账凭证 No. 0012345（工资足额支付）",
        "verified_by": "劳动保障监察大队 王五",
    }
    return PaymentEvidenceRecorded(**(defaults | overrides))


def listing_revoked(**overrides: Any) -> ListingRevoked:
    defaults: dict[str, Any] = {
        "revoked_on": date(2024, 8, 30),
        "by": RevokedBy.RECONSIDERATION,
        "reference": "东府复决〔2024〕7号",
        "sanctions_to_lift": TASK_IDS,
        "lift_due": date(2024, 9, 13),
    }
    return ListingRevoked(**(defaults | overrides))


def candidate(**overrides: Any) -> list[ListingEvent]:
    """A candidate just opened, with `candidate_opened(**overrides)`."""
    return [candidate_opened(**overrides)]


def served(**overrides: Any) -> list[ListingEvent]:
    """A candidate served the notice of intent; the objection period runs."""
    return [*candidate(**overrides), notice_served()]


def objected(**overrides: Any) -> list[ListingEvent]:
    """A listing whose subject objected in time."""
    return [*served(**overrides), objection_filed()]


def lapsed(**overrides: Any) -> list[ListingEvent]:
    """A listing under review after the objection period passed with no objection."""
    return [*served(**overrides), objection_period_lapsed()]


def listed(**overrides: Any) -> list[ListingEvent]:
    """A listing decided after the period lapsed, not yet published."""
    return [*lapsed(**overrides), listing_decided()]


def active(**overrides: Any) -> list[ListingEvent]:
    """A listing published and active, every unit's task pending."""
    return [*listed(**overrides), listing_published(), listing_activated()]


def listing_of(*histories: Sequence[ListingEvent]) -> Listing:
    """The listing after these histories, one after the other."""
    return LISTING.replay(event for history in histories for event in history)
