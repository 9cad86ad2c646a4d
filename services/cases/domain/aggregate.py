"""The case aggregate: every event of a case and how it changes the case (stream
`case-2024-000123`)."""

from __future__ import annotations

from services.cases.domain.assignment_events import AssignmentEvent, evolve_assignment
from services.cases.domain.case import Case
from services.cases.domain.escalation_events import EscalationEvent, evolve_escalation
from services.cases.domain.events import (
    IntakeEvent,
    InvestigationEvent,
    evolve_intake,
    evolve_investigation,
)
from services.cases.domain.personal_data import WorkerDataForgotten, evolve_forgotten
from services.cases.domain.referral_events import CriminalEvent, evolve_criminal
from shared.domain import Aggregate

CaseEvent = (
    IntakeEvent
    | InvestigationEvent
    | CriminalEvent
    | AssignmentEvent
    | EscalationEvent
    | WorkerDataForgotten
)


def evolve(case: Case, event: CaseEvent) -> Case:
    """The case after one more event."""
    if isinstance(event, IntakeEvent):
        return evolve_intake(case, event)
    if isinstance(event, InvestigationEvent):
        return evolve_investigation(case, event)
    if isinstance(event, CriminalEvent):
        return evolve_criminal(case, event)
    if isinstance(event, AssignmentEvent):
        return evolve_assignment(case, event)
    if isinstance(event, WorkerDataForgotten):
        return evolve_forgotten(case, event)
    return evolve_escalation(case, event)


CASE: Aggregate[Case, CaseEvent] = Aggregate(
    category="case", initial=Case(), evolve=evolve, events=CaseEvent
)
