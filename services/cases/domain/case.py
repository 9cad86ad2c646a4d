"""The case aggregate: every event of a case and how it changes the case (stream
`case-2024-000123`); each capability module holds its own branch of `evolve`."""

from __future__ import annotations

from services.cases.domain.assignment import AssignmentEvent, evolve_assignment
from services.cases.domain.escalation import EscalationEvent, evolve_escalation
from services.cases.domain.intake import IntakeEvent, evolve_intake
from services.cases.domain.investigation import (
    InvestigationEvent,
    evolve_investigation,
)
from services.cases.domain.payments import PaymentEvent, evolve_payments
from services.cases.domain.personal_data import WorkerDataForgotten, evolve_forgotten
from services.cases.domain.police_answer import PoliceAnswerEvent, evolve_police_answer
from services.cases.domain.referral import ReferralEvent, evolve_referral
from services.cases.domain.state import Case
from services.cases.domain.supplement import SupplementEvent, evolve_supplement
from shared.domain import Aggregate

CaseEvent = (
    IntakeEvent
    | SupplementEvent
    | InvestigationEvent
    | PaymentEvent
    | ReferralEvent
    | PoliceAnswerEvent
    | AssignmentEvent
    | EscalationEvent
    | WorkerDataForgotten
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
    if isinstance(event, AssignmentEvent):
        return evolve_assignment(case, event)
    if isinstance(event, WorkerDataForgotten):
        return evolve_forgotten(case, event)
    return evolve_escalation(case, event)


CASE: Aggregate[Case, CaseEvent] = Aggregate(
    category="case", initial=Case(), evolve=evolve, events=CaseEvent
)
