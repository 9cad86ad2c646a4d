"""The statuses a step belongs to on both tracks, and the refusals of a step the status
does not allow, naming the steps it allows (each capability says in which statuses its
commands are next steps, `ALLOWED_IN`; the aggregate gathers them: `case.ALLOWED_AFTER`)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from typing import Final

from services.cases.domain.state import (
    Case,
    CaseStatus,
    CriminalStatus,
    PenaltyStatus,
)
from shared.dates import require_date
from shared.errors import InvalidTransition

OPEN: Final = frozenset(
    {
        CaseStatus.RECEIVED,
        CaseStatus.AWAITING_SUPPLEMENT,
        CaseStatus.ACCEPTED,
        CaseStatus.INVESTIGATING,
        CaseStatus.ORDERED_TO_PAY,
        CaseStatus.OVERDUE,
        CaseStatus.PAID,
        CaseStatus.HANDLING_DECIDED,
        CaseStatus.COURT_ENFORCEMENT,
    }
)
"""Statuses in which a case is being worked on: it can be assigned and flagged."""

OPENED: Final = OPEN - {CaseStatus.RECEIVED, CaseStatus.AWAITING_SUPPLEMENT}
"""Statuses after opening and before closing: the criminal track can move."""

BEFORE_ACCEPTANCE: Final = frozenset(
    {CaseStatus.RECEIVED, CaseStatus.AWAITING_SUPPLEMENT}
)
"""Statuses of a received case not yet accepted: it can be rejected or transferred out."""

# A referral waiting on the head or the police must be answered before the case ends.
CRIMINAL_PENDING: Final = frozenset(
    {
        CriminalStatus.REFERRAL_PROPOSED,
        CriminalStatus.REFERRAL_APPROVED,
        CriminalStatus.TRANSFERRED_TO_POLICE,
        CriminalStatus.RECONSIDERATION_REQUESTED,
    }
)


def refused(
    status: CaseStatus | CriminalStatus | PenaltyStatus, what: str
) -> InvalidTransition:
    """The refusal of a step the status does not allow, naming the commands it allows
    (the command table names them by their verbs)."""
    # The steps are the commands of every capability, and every capability builds on
    # this module: the aggregate's map is read when a step is refused, not at import.
    from services.cases.domain.case import allowed_after

    return InvalidTransition(
        current=status,
        allowed=allowed_after(status),
        detail=(
            f"The penalty proceedings are at {status}; the case cannot be {what}."
            if isinstance(status, PenaltyStatus)
            else f"The case is {status} and cannot be {what}."
        ),
    )


def require_status(case: Case, allowed: Collection[CaseStatus], what: str) -> None:
    """Refuses the step unless the case is in one of the allowed statuses."""
    if case.status not in allowed:
        raise refused(case.status, what)


def require_criminal(
    case: Case, allowed: Collection[CriminalStatus], what: str
) -> None:
    """Refuses a criminal-track step unless the case is opened and not closed, and
    the criminal track is in one of the allowed statuses."""
    require_status(case, OPENED, what)
    if case.criminal not in allowed:
        raise refused(case.criminal, what)


def require_step_date(case: Case, day: date, *, field: str, today: date) -> None:
    """Refuses a step's date in the future or before the case was received (rules
    `not_in_future`, `not_before_receipt`): a step is recorded after it happened."""
    require_date(
        day, field=field, today=today, not_before=case.received_on, since="receipt"
    )
