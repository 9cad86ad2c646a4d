"""The penalty track's start: the notice of intended penalty, and what every step of
the track checks (行政处罚法 arts. 44, 62, 85; rules.md §3.4.1 item 11, §4.1); the
hearing the employer may ask for is in `penalty_hearing`, the decision and the fine in
`penalty_decision`. It runs beside the order to pay
and beside a referral, which a penalty must not replace (310号令 art. 11)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import ClassVar, Final

from services.cases.domain.lifecycle import OPENED, refused, require_step_date
from services.cases.domain.limits import CaseLimits
from services.cases.domain.state import (
    Case,
    CaseStatus,
    DeadlineKind,
    Penalty,
    PenaltyStatus,
    with_deadline,
    without_deadlines,
)
from shared.amounts import PositiveMoney, RecordedMoney
from shared.dates import BusinessDate, require_not_before
from shared.domain import Command, Deadline, Event, Role, WorkingDays
from shared.values import Text

_OFFICE: frozenset[Role] = frozenset({Role.OFFICE})


class IssueNoticeOfIntent(Command):
    permitted: ClassVar[frozenset[Role]] = _OFFICE

    notified_on: BusinessDate
    facts: Text
    reasons: Text
    basis: Text
    intended_fine: PositiveMoney
    # A large fine and the like carry the right to a hearing (art. 63).
    has_hearing_right: bool


ALLOWED_IN: Final[dict[type[Command], frozenset[CaseStatus]]] = {
    IssueNoticeOfIntent: OPENED,
}
"""The statuses in which each command of this capability is a next step: a notice
starts the penalty track of a case opened and not closed."""
ALLOWED_IN_PENALTY: Final[dict[type[Command], frozenset[PenaltyStatus]]] = {
    IssueNoticeOfIntent: frozenset({PenaltyStatus.NONE}),
}
"""The penalty-track statuses in which each command of this capability is a next step."""


class NoticeOfIntentIssued(Event):
    """行政处罚事先告知: the employer is told the intended penalty, its facts, reasons and
    basis, and its rights to state its case and, for a heavy penalty, to a hearing
    (art. 44); no decision without it (art. 62)."""

    notified_on: date
    facts: str
    reasons: str
    basis: str
    intended_fine: RecordedMoney
    has_hearing_right: bool
    # Only with a hearing right: the last day to ask for one.
    hearing_request_deadline: Deadline | None
    decision_deadline: Deadline


PenaltyEvent = NoticeOfIntentIssued


def evolve_penalty(case: Case, event: PenaltyEvent) -> Case:
    """The case after its notice of intent: the hearing window and the 90 days run."""
    return _noticed(case, event)


def _noticed(case: Case, event: NoticeOfIntentIssued) -> Case:
    deadlines = with_deadline(
        case.deadlines, DeadlineKind.PENALTY_DECISION, event.decision_deadline
    )
    if event.hearing_request_deadline is not None:
        deadlines = with_deadline(
            deadlines, DeadlineKind.HEARING_REQUEST, event.hearing_request_deadline
        )
    proceedings = Penalty(
        notified_on=event.notified_on,
        intended_fine=event.intended_fine,
        has_hearing_right=event.has_hearing_right,
        hearing_request_by=(
            event.hearing_request_deadline.due
            if event.hearing_request_deadline is not None
            else None
        ),
    )
    return case.model_copy(
        update={
            "penalty": PenaltyStatus.NOTICE_OF_INTENT,
            "penalty_proceedings": proceedings,
            "deadlines": deadlines,
        }
    )


def on_penalty_track(case: Case, status: PenaltyStatus, **proceedings: object) -> Case:
    """The case moved to `status` on its penalty track: once the employer asked for
    its hearing or gave it up, the window to ask ends."""
    current = case.penalty_proceedings
    if current is not None and proceedings:
        current = current.model_copy(update=proceedings)
    return case.model_copy(
        update={
            "penalty": status,
            "penalty_proceedings": current,
            "deadlines": without_deadlines(
                case.deadlines, DeadlineKind.HEARING_REQUEST
            ),
        }
    )


def require_penalty(
    case: Case, allowed: frozenset[PenaltyStatus], what: str
) -> Penalty | None:
    """Refuses a penalty-track step unless the case is opened and not closed and the
    penalty track is in one of the allowed statuses; the proceedings so far."""
    if case.status not in OPENED:
        raise refused(case.status, what)
    if case.penalty not in allowed:
        raise refused(case.penalty, what)
    return case.penalty_proceedings


def noticed(case: Case, allowed: frozenset[PenaltyStatus], what: str) -> Penalty:
    """`require_penalty` for a step after the notice: the proceedings it began."""
    proceedings = require_penalty(case, allowed, what)
    if proceedings is None:  # every status after `none` began with a notice
        raise refused(case.penalty, what)
    return proceedings


def hearing_window_open(case: Case, today: date) -> bool:
    """Whether the employer may still ask for a hearing that day: its notice gave it
    the right, it has neither asked nor waived, and the 5 working days run."""
    notice = case.penalty_proceedings
    return (
        case.penalty is PenaltyStatus.NOTICE_OF_INTENT
        and notice is not None
        and notice.hearing_request_by is not None
        and today <= notice.hearing_request_by
    )


def issue_notice_of_intent(
    case: Case,
    command: IssueNoticeOfIntent,
    *,
    today: date,
    calendar: WorkingDays,
    limits: CaseLimits,
) -> list[PenaltyEvent]:
    """An opened case's employer is told the intended penalty (art. 44); with a
    hearing right it has 5 working days to ask for one (arts. 63–64, 85), and the
    decision is due 90 days after 立案 (art. 60)."""
    require_penalty(case, ALLOWED_IN_PENALTY[IssueNoticeOfIntent], "given a notice")
    require_step_date(case, command.notified_on, field="notified_on", today=today)
    if case.accepted_on is None:  # every opened case was accepted on a day
        raise refused(case.status, "given a notice")
    # The penalty proceedings start with 立案 (art. 54): no notice before it.
    require_not_before(
        command.notified_on,
        field="notified_on",
        not_before=case.accepted_on,
        since="acceptance",
    )
    window = None
    if command.has_hearing_right:
        window = calendar.add_working_days(
            command.notified_on, limits.hearing_request_working_days
        )
    return [
        NoticeOfIntentIssued(
            **command.model_dump(),
            hearing_request_deadline=window,
            decision_deadline=Deadline(
                due=case.accepted_on + timedelta(days=limits.penalty_decision_days),
                is_provisional=False,
            ),
        )
    ]
