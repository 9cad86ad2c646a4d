"""Which steps each status allows, on both tracks, and the refusals that name them."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from typing import Final

from services.cases.domain.state import Case, CaseStatus, CriminalStatus
from shared.dates import require_date
from shared.errors import InvalidTransition

# Steps any open case allows, whatever its stage.
_WHILE_OPEN: Final = (
    "assign",
    "report-progress",
    "return-assignment",
    "flag-mass-incident",
    "flag-employer-absconded",
    "forget-worker",
)
_INVESTIGATION: Final = (
    "extend-investigation",
    "order-payment",
    "record-payment",
    "cancel",
    "propose-referral",
    *_WHILE_OPEN,
)

ALLOWED_AFTER: Final[dict[CaseStatus, tuple[str, ...]]] = {
    CaseStatus.NEW: ("receive",),
    CaseStatus.RECEIVED: (
        "accept",
        "reject",
        "request-supplement",
        "transfer-out",
        *_WHILE_OPEN,
    ),
    CaseStatus.AWAITING_SUPPLEMENT: (
        "receive-supplement",
        "reject",
        "transfer-out",
        *_WHILE_OPEN,
    ),
    CaseStatus.ACCEPTED: _INVESTIGATION,
    CaseStatus.INVESTIGATING: _INVESTIGATION,
    CaseStatus.ORDERED_TO_PAY: ("record-payment", "propose-referral", *_WHILE_OPEN),
    CaseStatus.OVERDUE: (
        "record-payment",
        "decide-handling",
        "apply-court-enforcement",
        "propose-referral",
        *_WHILE_OPEN,
    ),
    CaseStatus.PAID: ("close", "record-payment", "propose-referral", *_WHILE_OPEN),
    CaseStatus.HANDLING_DECIDED: (
        "record-payment",
        "apply-court-enforcement",
        "close",
        "propose-referral",
        *_WHILE_OPEN,
    ),
    CaseStatus.COURT_ENFORCEMENT: (
        "record-payment",
        "close",
        "propose-referral",
        *_WHILE_OPEN,
    ),
    CaseStatus.CANCELLED: ("close", "forget-worker"),
    CaseStatus.REJECTED: ("forget-worker",),
    CaseStatus.TRANSFERRED_OUT: ("forget-worker",),
    CaseStatus.CLOSED: ("forget-worker",),
}

ALLOWED_AFTER_CRIMINAL: Final[dict[CriminalStatus, tuple[str, ...]]] = {
    CriminalStatus.NONE: ("propose-referral",),
    CriminalStatus.REFERRAL_PROPOSED: ("approve-referral", "refuse-referral"),
    CriminalStatus.REFERRAL_APPROVED: ("transfer-to-police",),
    # New evidence may be proposed again after a refusal.
    CriminalStatus.REFERRAL_REFUSED: ("propose-referral",),
    CriminalStatus.TRANSFERRED_TO_POLICE: (
        "record-police-filing",
        "record-police-declining",
    ),
    CriminalStatus.POLICE_FILED: (),
    # Reconsideration first, the procuratorate after a second refusal (310号令 art. 9)
    CriminalStatus.POLICE_DECLINED: (
        "request-reconsideration",
        "request-procuratorate-supervision",
    ),
    CriminalStatus.RECONSIDERATION_REQUESTED: (
        "record-police-filing",
        "record-police-declining",
    ),
    CriminalStatus.PROCURATORATE_SUPERVISION: (),
}

OPEN: Final = frozenset(s for s, steps in ALLOWED_AFTER.items() if "assign" in steps)
"""Statuses in which a case is being worked on: it can be assigned and flagged."""

OPENED: Final = frozenset(
    s for s, steps in ALLOWED_AFTER.items() if "propose-referral" in steps
)
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


def allowed_after(status: CaseStatus | CriminalStatus) -> tuple[str, ...]:
    """The next steps a status allows on its track, as kebab-case step names."""
    if isinstance(status, CriminalStatus):
        return ALLOWED_AFTER_CRIMINAL[status]
    return ALLOWED_AFTER[status]


def refused(status: CaseStatus | CriminalStatus, what: str) -> InvalidTransition:
    """The refusal of a step the status does not allow, naming what it allows."""
    return InvalidTransition(
        current=status,
        allowed=allowed_after(status),
        detail=f"The case is {status} and cannot be {what}.",
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
