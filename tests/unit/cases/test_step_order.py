"""The order of the steps a status allows (`allowed` in a refusal, `allowed_next`):
given the statuses each capability allows its commands in, when they are gathered per
status, then they follow the service's step order, with closing first once paid."""

from __future__ import annotations

from services.cases.domain.case import _STEP_ORDER, _steps_by_status
from services.cases.domain.intake import AcceptCase
from services.cases.domain.investigation import CloseCase
from services.cases.domain.personal_data import ForgetWorker
from services.cases.domain.state import CaseStatus
from shared.domain import Command

RECEIVED, PAID = CaseStatus.RECEIVED, CaseStatus.PAID


def test_the_steps_of_each_status_follow_the_step_order_across_capabilities() -> None:
    forgetting: dict[type[Command], set[CaseStatus]] = {ForgetWorker: {RECEIVED}}
    intake: dict[type[Command], set[CaseStatus]] = {AcceptCase: {RECEIVED}}

    steps = _steps_by_status([RECEIVED, PAID], [forgetting, intake])

    assert _STEP_ORDER.index(AcceptCase) < _STEP_ORDER.index(ForgetWorker)
    assert steps == {RECEIVED: (AcceptCase, ForgetWorker), PAID: ()}


def test_a_paid_case_lists_closing_first() -> None:
    allowed: dict[type[Command], set[CaseStatus]] = {
        AcceptCase: {RECEIVED, PAID},
        CloseCase: {RECEIVED, PAID},
    }

    steps = _steps_by_status([RECEIVED, PAID], [allowed])

    assert _STEP_ORDER.index(AcceptCase) < _STEP_ORDER.index(CloseCase)
    expected: dict[CaseStatus, tuple[type[Command], ...]] = {
        RECEIVED: (AcceptCase, CloseCase),
        PAID: (CloseCase, AcceptCase),
    }
    assert steps == expected
