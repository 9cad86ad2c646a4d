"""The rules beyond a step's statuses that decide whether `allowed_next` offers it: a
step the decide function would refuse today for the case's state (409) is not offered
(issue 14). Each rule is the decide function's own check, so the two cannot drift."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Final

from services.cases.domain.assignment import (
    ReportProgress,
    ReturnAssignment,
    has_active_assignment,
)
from services.cases.domain.court import (
    RecordAdvanceExecution,
    RecordEnforcementAccepted,
    RecordEnforcementOutcome,
    RecordPropertyPreservation,
    is_accepted_by_court,
    is_court_open,
)
from services.cases.domain.investigation import (
    CancelCase,
    CloseCase,
    ExtendInvestigation,
    is_referral_pending,
)
from services.cases.domain.penalty import hearing_window_open
from services.cases.domain.penalty_decision import (
    ApplyFineEnforcement,
    DecideNoPenalty,
    DecidePenalty,
    is_fine_overdue,
    is_penalty_settled,
)
from services.cases.domain.penalty_hearing import RequestHearing, WaiveHearing
from services.cases.domain.police_answer import (
    RequestProcuratorateSupervision,
    RequestReconsideration,
)
from services.cases.domain.state import Case, PenaltyStatus
from shared.domain import Command

_Rule = Callable[[Case, date], bool]


def _can_end(case: Case, today: date) -> bool:
    return not is_referral_pending(case) and is_penalty_settled(case)


def _has_hearing_right(case: Case, today: date) -> bool:
    notice = case.penalty_proceedings
    return notice is not None and notice.has_hearing_right


def _may_decide(case: Case, today: date) -> bool:
    return not (
        case.penalty is PenaltyStatus.NOTICE_OF_INTENT
        and hearing_window_open(case, today)
    )


def _fine_overdue(case: Case, today: date) -> bool:
    notice = case.penalty_proceedings
    return notice is not None and is_fine_overdue(notice, today)


OFFERED_WHEN: Final[Mapping[type[Command], _Rule]] = {
    ReportProgress: lambda case, today: has_active_assignment(case),
    ReturnAssignment: lambda case, today: has_active_assignment(case),
    ExtendInvestigation: lambda case, today: not case.is_investigation_extended,
    # 撤销立案 needs the violation corrected: nothing still owed (条例 art. 18(3)).
    CancelCase: lambda case, today: (
        _can_end(case, today) and case.amount_still_owed == 0
    ),
    CloseCase: _can_end,
    RequestReconsideration: lambda case, today: not case.is_reconsideration_requested,
    RequestProcuratorateSupervision: lambda case, today: (
        case.is_reconsideration_requested
    ),
    RequestHearing: lambda case, today: (
        _has_hearing_right(case, today) and hearing_window_open(case, today)
    ),
    WaiveHearing: _has_hearing_right,
    DecidePenalty: _may_decide,
    DecideNoPenalty: _may_decide,
    ApplyFineEnforcement: _fine_overdue,
    # The court accepts once, records an outcome after accepting, and nothing once it
    # concluded the enforcement.
    RecordEnforcementAccepted: lambda case, today: (
        is_court_open(case) and not is_accepted_by_court(case)
    ),
    RecordPropertyPreservation: lambda case, today: is_court_open(case),
    RecordAdvanceExecution: lambda case, today: is_court_open(case),
    RecordEnforcementOutcome: lambda case, today: is_accepted_by_court(case),
}
"""For each step a rule refuses in some states its status allows, whether it is taken."""


def is_offered(case: Case, command: type[Command], *, today: date) -> bool:
    """Whether no rule beyond the statuses refuses the step today."""
    rule = OFFERED_WHEN.get(command)
    return rule is None or rule(case, today)
