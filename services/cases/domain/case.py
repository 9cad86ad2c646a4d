"""The case aggregate: every event of a case and how it changes the case (stream
`case-2024-000123`); each capability module holds its own branch of `evolve` and says in
which statuses its commands are next steps, which this module gathers per status."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import date
from typing import Final, TypeVar

from services.cases.domain import (
    assignment,
    court,
    duplicates,
    escalation,
    handover,
    intake,
    investigation,
    payments,
    penalty,
    penalty_decision,
    penalty_hearing,
    personal_data,
    police_answer,
    referral,
    supplement,
)
from services.cases.domain.assignment import AssignmentEvent, evolve_assignment
from services.cases.domain.court import CourtEvent, evolve_court
from services.cases.domain.duplicates import DuplicateEvent, evolve_duplicates
from services.cases.domain.escalation import EscalationEvent, evolve_escalation
from services.cases.domain.handover import ComplaintHandedOver, evolve_handover
from services.cases.domain.intake import IntakeEvent, evolve_intake
from services.cases.domain.investigation import (
    InvestigationEvent,
    evolve_investigation,
)
from services.cases.domain.lifecycle import OPENED
from services.cases.domain.offers import is_offered
from services.cases.domain.payments import PaymentEvent, evolve_payments
from services.cases.domain.penalty import PenaltyEvent, evolve_penalty
from services.cases.domain.penalty_decision import (
    PenaltyDecisionEvent,
    evolve_penalty_decision,
)
from services.cases.domain.penalty_hearing import HearingEvent, evolve_hearing
from services.cases.domain.personal_data import WorkerDataForgotten, evolve_forgotten
from services.cases.domain.police_answer import PoliceAnswerEvent, evolve_police_answer
from services.cases.domain.referral import ReferralEvent, evolve_referral
from services.cases.domain.state import (
    Case,
    CaseStatus,
    CriminalStatus,
    PenaltyStatus,
)
from services.cases.domain.supplement import SupplementEvent, evolve_supplement
from shared.domain import Aggregate, Command

CaseEvent = (
    IntakeEvent
    | SupplementEvent
    | InvestigationEvent
    | PaymentEvent
    | ReferralEvent
    | PoliceAnswerEvent
    | CourtEvent
    | AssignmentEvent
    | EscalationEvent
    | PenaltyEvent
    | HearingEvent
    | PenaltyDecisionEvent
    | WorkerDataForgotten
    | ComplaintHandedOver
    | DuplicateEvent
)


def evolve(case: Case, event: CaseEvent) -> Case:
    """The case after one more event: the branch of the capability it belongs to."""
    if isinstance(event, IntakeEvent):
        return evolve_intake(case, event)
    if isinstance(event, SupplementEvent):
        return evolve_supplement(case, event)
    if isinstance(event, InvestigationEvent):
        return evolve_investigation(case, event)
    if isinstance(event, PaymentEvent):
        return evolve_payments(case, event)
    if isinstance(event, ReferralEvent):
        return evolve_referral(case, event)
    if isinstance(event, PoliceAnswerEvent):
        return evolve_police_answer(case, event)
    if isinstance(event, CourtEvent):
        return evolve_court(case, event)
    if isinstance(event, AssignmentEvent):
        return evolve_assignment(case, event)
    if isinstance(event, PenaltyEvent):
        return evolve_penalty(case, event)
    if isinstance(event, HearingEvent):
        return evolve_hearing(case, event)
    if isinstance(event, PenaltyDecisionEvent):
        return evolve_penalty_decision(case, event)
    if isinstance(event, WorkerDataForgotten):
        return evolve_forgotten(case, event)
    if isinstance(event, ComplaintHandedOver):
        return evolve_handover(case, event)
    if isinstance(event, DuplicateEvent):
        return evolve_duplicates(case, event)
    return evolve_escalation(case, event)


CASE: Aggregate[Case, CaseEvent] = Aggregate(
    category="case",
    initial=Case(),
    evolve=evolve,
    events=CaseEvent,
    upcasters=(
        *intake.UPCASTERS,
        *police_answer.UPCASTERS,
        *escalation.UPCASTERS,
        escalation.deadline_missed_v1,
    ),
)

# The order in which `allowed_next` has always listed a status's steps: the case's own
# track, the criminal track, the penalty track, then what any open case allows.
_STEP_ORDER: Final[tuple[type[Command], ...]] = (
    intake.ReceiveCase,
    handover.HandOverComplaint,
    duplicates.ConfirmDuplicate,
    duplicates.DismissDuplicate,
    intake.AcceptCase,
    supplement.ReceiveSupplement,
    intake.RejectCase,
    supplement.RequestSupplement,
    intake.TransferCaseOut,
    investigation.ExtendInvestigation,
    investigation.OrderPayment,
    payments.RecordPayment,
    investigation.CancelCase,
    payments.DecideHandling,
    payments.ApplyCourtEnforcement,
    court.RecordEnforcementAccepted,
    court.RecordPropertyPreservation,
    court.RecordAdvanceExecution,
    court.RecordEnforcementOutcome,
    investigation.CloseCase,
    referral.ProposeReferral,
    referral.ApproveReferral,
    referral.RefuseReferral,
    referral.TransferToPolice,
    police_answer.RecordPoliceFiling,
    police_answer.RecordPoliceDeclining,
    police_answer.RequestReconsideration,
    police_answer.RequestProcuratorateSupervision,
    penalty.IssueNoticeOfIntent,
    penalty_hearing.RequestHearing,
    penalty_hearing.WaiveHearing,
    penalty_hearing.ScheduleHearing,
    penalty_hearing.RecordHearing,
    penalty_decision.DecidePenalty,
    penalty_decision.DecideNoPenalty,
    penalty_decision.RecordFinePaid,
    penalty_decision.ApplyFineEnforcement,
    assignment.AssignCase,
    assignment.ReportProgress,
    assignment.ReturnAssignment,
    escalation.FlagMassIncident,
    escalation.FlagEmployerAbsconded,
    personal_data.ForgetWorker,
)

# A paid case is closed next as a rule, so its list has always begun with closing.
_FIRST: Final[Mapping[CaseStatus | CriminalStatus | PenaltyStatus, type[Command]]] = {
    CaseStatus.PAID: investigation.CloseCase
}

S = TypeVar("S", CaseStatus, CriminalStatus, PenaltyStatus)


def _steps_by_status(
    statuses: Iterable[S], allowed_in: Sequence[Mapping[type[Command], Collection[S]]]
) -> dict[S, tuple[type[Command], ...]]:
    """The commands each status allows, from the statuses each capability says its
    commands are allowed in, in `_STEP_ORDER` (a command missing from it fails here,
    at import)."""

    def order(status: S, command: type[Command]) -> tuple[bool, int]:
        return command is not _FIRST.get(status), _STEP_ORDER.index(command)

    return {
        status: tuple(
            sorted(
                (c for steps in allowed_in for c, s in steps.items() if status in s),
                key=lambda c: order(status, c),
            )
        )
        for status in statuses
    }


ALLOWED_AFTER: Final = _steps_by_status(
    CaseStatus,
    (
        intake.ALLOWED_IN,
        handover.ALLOWED_IN,
        supplement.ALLOWED_IN,
        investigation.ALLOWED_IN,
        payments.ALLOWED_IN,
        court.ALLOWED_IN,
        referral.ALLOWED_IN,
        assignment.ALLOWED_IN,
        escalation.ALLOWED_IN,
        penalty.ALLOWED_IN,
        personal_data.ALLOWED_IN,
    ),
)
"""The commands each status of the administrative track allows; the service's command
table names them by their verbs (`allowed_next`, and the refusals on the wire)."""

ALLOWED_AFTER_CRIMINAL: Final = _steps_by_status(
    CriminalStatus, (referral.ALLOWED_IN_CRIMINAL, police_answer.ALLOWED_IN_CRIMINAL)
)
"""The commands each status of the criminal track allows."""

ALLOWED_AFTER_DUPLICATE: Final = _steps_by_status(CaseStatus, (duplicates.ALLOWED_IN,))
"""The commands resolving a possible-duplicate flag each status allows, while a flag
is pending (`Case.is_duplicate_pending`); no refusal of another step offers them."""


ALLOWED_AFTER_PENALTY: Final = _steps_by_status(
    PenaltyStatus,
    (
        penalty.ALLOWED_IN_PENALTY,
        penalty_hearing.ALLOWED_IN_PENALTY,
        penalty_decision.ALLOWED_IN_PENALTY,
    ),
)
"""The commands each status of the penalty track allows."""


_CRIMINAL_STEPS: Final = frozenset(
    c
    for steps in (referral.ALLOWED_IN_CRIMINAL, police_answer.ALLOWED_IN_CRIMINAL)
    for c in steps
)
_PENALTY_STEPS: Final = frozenset(
    c
    for steps in (
        penalty.ALLOWED_IN_PENALTY,
        penalty_hearing.ALLOWED_IN_PENALTY,
        penalty_decision.ALLOWED_IN_PENALTY,
    )
    for c in steps
)


def allowed_steps(case: Case, *, today: date) -> tuple[type[Command], ...]:
    """The commands the case allows next (`allowed_next`): its status's steps, then the
    criminal track's and the penalty track's, which need an opened case and the
    track's status that allows them (a received case is not referred), and a
    duplicate flag's resolution while one is pending; less the steps a rule beyond
    the statuses refuses today (`offers`): what is offered is taken."""
    is_opened = case.status in OPENED
    by_status = ALLOWED_AFTER[case.status]
    by_criminal = ALLOWED_AFTER_CRIMINAL[case.criminal] if is_opened else ()
    by_penalty = ALLOWED_AFTER_PENALTY[case.penalty] if is_opened else ()
    pending = case.is_duplicate_pending
    by_duplicate = ALLOWED_AFTER_DUPLICATE[case.status] if pending else ()

    def allows(command: type[Command]) -> bool:
        if command in _CRIMINAL_STEPS:
            return command in by_criminal
        if command in _PENALTY_STEPS:
            return command in by_penalty
        return command in by_status or command in by_duplicate

    steps = dict.fromkeys([*by_duplicate, *by_status, *by_criminal, *by_penalty])
    return tuple(c for c in steps if allows(c) and is_offered(case, c, today=today))


def allowed_after(
    status: CaseStatus | CriminalStatus | PenaltyStatus,
) -> tuple[type[Command], ...]:
    """The commands a status allows next on its track."""
    if isinstance(status, CriminalStatus):
        return ALLOWED_AFTER_CRIMINAL[status]
    if isinstance(status, PenaltyStatus):
        return ALLOWED_AFTER_PENALTY[status]
    return ALLOWED_AFTER[status]
