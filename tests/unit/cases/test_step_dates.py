"""A case's dated steps: given a case received on 2024-03-04, when a step is dated
before it, then 422 names the step's own date field and `not_before_receipt`; a due
date years away names its field too."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from services.cases.domain.escalation import (
    FlagEmployerAbsconded,
    flag_employer_absconded,
)
from services.cases.domain.referral import RefuseReferral, refuse_referral
from services.cases.domain.state import Case
from services.cases.domain.supplement import RequestSupplement, request_supplement
from shared.errors import InvalidInput
from tests.unit.cases.factories import (
    LIMITS,
    TODAY,
    case_of,
    investigating,
    overdue,
    received,
    referral_proposed,
)

BEFORE_RECEIPT = date(2024, 3, 1)

STEPS: dict[str, tuple[Case, Callable[[Case], object]]] = {
    "flagged_on": (
        case_of(investigating()),
        lambda case: flag_employer_absconded(
            case, FlagEmployerAbsconded(flagged_on=BEFORE_RECEIPT), today=TODAY
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
