"""A case's dated steps: given a case received on 2024-03-04, when a step is dated
before it, then 422 names the step's own date field and `not_before_receipt`; a due
date years away names its field too."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest

from services.cases.domain.case import CaseEvent
from services.cases.domain.escalation import (
    FlagEmployerAbsconded,
    flag_employer_absconded,
)
from services.cases.domain.intake import (
    RejectCase,
    TransferCaseOut,
    reject_case,
    transfer_case_out,
)
from services.cases.domain.investigation import (
    CancelCase,
    ExtendInvestigation,
    cancel_case,
    extend_investigation,
)
from services.cases.domain.payments import (
    ApplyCourtEnforcement,
    DecideHandling,
    apply_court_enforcement,
    decide_handling,
)
from services.cases.domain.police_answer import (
    RecordPoliceDeclining,
    RecordPoliceFiling,
    RequestProcuratorateSupervision,
    RequestReconsideration,
    record_police_declining,
    record_police_filing,
    request_procuratorate_supervision,
    request_reconsideration,
)
from services.cases.domain.referral import (
    ApproveReferral,
    ProposeReferral,
    RefuseReferral,
    TransferToPolice,
    approve_referral,
    propose_referral,
    refuse_referral,
    transfer_to_police,
)
from services.cases.domain.state import Case
from services.cases.domain.supplement import RequestSupplement, request_supplement
from shared.duties import Acting, Duty
from shared.errors import InvalidInput
from tests.unit.cases.factories import (
    CALENDAR,
    LIMITS,
    TODAY,
    UNITS,
    case_of,
    case_transferred_to_police,
    investigating,
    overdue,
    police_declined,
    received,
    reconsideration_requested,
    referral_approved,
    referral_proposed,
)

BEFORE_RECEIPT = date(2024, 3, 1)
POLICE = Acting.unit_of("gafj", Duty.POLICE)
RECEIPT = "东公(刑)字〔2024〕1号"
TRANSFERRED: list[CaseEvent] = [
    referral_proposed(),
    referral_approved(),
    case_transferred_to_police(),
]

STEPS: dict[str, tuple[Case, Callable[[Case], object]]] = {
    "flagged_on": (
        case_of(investigating()),
        lambda case: flag_employer_absconded(
            case,
            FlagEmployerAbsconded(flagged_on=BEFORE_RECEIPT),
            today=TODAY,
            acting=POLICE,
        ),
    ),
    "refused_on": (
        case_of(overdue(), [referral_proposed()]),
        lambda case: refuse_referral(
            case,
            RefuseReferral(
                refused_on=BEFORE_RECEIPT, refused_by="局长", reason="证据不足"
            ),
            today=TODAY,
        ),
    ),
    "rejected_on": (
        case_of(received()),
        lambda case: reject_case(
            case,
            RejectCase(rejected_on=BEFORE_RECEIPT, reason="不属于受理范围"),
            today=TODAY,
        ),
    ),
    "transferred_on": (
        case_of(received()),
        lambda case: transfer_case_out(
            case,
            TransferCaseOut(
                transferred_on=BEFORE_RECEIPT, to="市人社局", reason="管辖"
            ),
            today=TODAY,
        ),
    ),
    "cancelled_on": (
        case_of(investigating()),
        lambda case: cancel_case(
            case, CancelCase(cancelled_on=BEFORE_RECEIPT, reason="撤回"), today=TODAY
        ),
    ),
    "approved_on": (
        case_of(investigating()),
        lambda case: extend_investigation(
            case,
            ExtendInvestigation(approved_by="局长", approved_on=BEFORE_RECEIPT),
            today=TODAY,
            calendar=CALENDAR,
            limits=LIMITS,
        ),
    ),
    "proposed_on": (
        case_of(overdue()),
        lambda case: propose_referral(
            case,
            ProposeReferral(proposed_on=BEFORE_RECEIPT, grounds="逾期不支付"),
            today=TODAY,
            limits=LIMITS,
        ),
    ),
    "filed_on": (
        case_of(overdue(), TRANSFERRED),
        lambda case: record_police_filing(
            case,
            RecordPoliceFiling(filed_on=BEFORE_RECEIPT, document_number=RECEIPT),
            today=TODAY,
            acting=POLICE,
        ),
    ),
    "declined_on": (
        case_of(overdue(), TRANSFERRED),
        lambda case: record_police_declining(
            case,
            RecordPoliceDeclining(
                declined_on=BEFORE_RECEIPT,
                reason="不符合立案条件",
                document_number=RECEIPT,
            ),
            today=TODAY,
            limits=LIMITS,
            acting=POLICE,
        ),
    ),
    "decided_on": (
        case_of(overdue()),
        lambda case: decide_handling(
            case,
            DecideHandling(decided_on=BEFORE_RECEIPT, compensation_rate=Decimal("0.5")),
            today=TODAY,
            limits=LIMITS,
        ),
    ),
    "applied_on": (
        case_of(overdue()),
        lambda case: apply_court_enforcement(
            case, ApplyCourtEnforcement(applied_on=BEFORE_RECEIPT), today=TODAY
        ),
    ),
    "requested_on": (
        case_of(received()),
        lambda case: request_supplement(
            case,
            RequestSupplement(requested_on=BEFORE_RECEIPT, what="用人单位地址"),
            today=TODAY,
            limits=LIMITS,
        ),
    ),
}


@pytest.mark.parametrize("field", STEPS)
def test_a_step_is_not_dated_before_the_case_was_received(field: str) -> None:
    case, step = STEPS[field]

    with pytest.raises(InvalidInput) as refused:
        step(case)

    assert (refused.value.field, refused.value.rule) == (field, "not_before_receipt")


DECLINED: list[CaseEvent] = [*TRANSFERRED, police_declined()]
RECONSIDERED: list[CaseEvent] = [
    *DECLINED,
    reconsideration_requested(),
    police_declined(is_after_reconsideration=True),
]
CRIMINAL_STEPS: dict[str, tuple[str, Case, Callable[[Case], object]]] = {
    "approve": (
        "approved_on",
        case_of(overdue(), [referral_proposed()]),
        lambda case: approve_referral(
            case,
            ApproveReferral(approved_on=BEFORE_RECEIPT, approved_by="局长"),
            today=TODAY,
            limits=LIMITS,
        ),
    ),
    "transfer": (
        "transferred_on",
        case_of(overdue(), TRANSFERRED[:2]),
        lambda case: transfer_to_police(
            case,
            TransferToPolice(transferred_on=BEFORE_RECEIPT, police_unit="gafj"),
            today=TODAY,
            limits=LIMITS,
            units=UNITS,
        ),
    ),
    "reconsider": (
        "requested_on",
        case_of(overdue(), DECLINED),
        lambda case: request_reconsideration(
            case,
            RequestReconsideration(requested_on=BEFORE_RECEIPT),
            today=TODAY,
            limits=LIMITS,
        ),
    ),
    "procuratorate": (
        "requested_on",
        case_of(overdue(), RECONSIDERED),
        lambda case: request_procuratorate_supervision(
            case,
            RequestProcuratorateSupervision(
                requested_on=BEFORE_RECEIPT, reason="不立案"
            ),
            today=TODAY,
        ),
    ),
}


@pytest.mark.parametrize("step", CRIMINAL_STEPS)
def test_a_criminal_track_step_is_not_dated_before_the_case_was_received(
    step: str,
) -> None:
    field, case, run = CRIMINAL_STEPS[step]

    with pytest.raises(InvalidInput) as refused:
        run(case)

    assert (refused.value.field, refused.value.rule) == (field, "not_before_receipt")


def test_supplementary_material_is_not_due_years_ahead() -> None:
    far = RequestSupplement(
        requested_on=date(2024, 3, 5), what="用人单位地址", due=date(2029, 5, 7)
    )

    with pytest.raises(InvalidInput) as refused:
        request_supplement(case_of(received()), far, today=TODAY, limits=LIMITS)

    assert (refused.value.field, refused.value.rule) == (
        "due",
        "date_within_years_ahead",
    )
