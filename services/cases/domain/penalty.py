"""The penalty track's first half: the notice of intended penalty and the hearing the
employer may ask for (行政处罚法 arts. 44, 62–65, 85; rules.md §3.4.1 item 11, §4.1);
the decision and the fine are in `penalty_decision`. It runs beside the order to pay
and beside a referral, which a penalty must not replace (310号令 art. 11)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import ClassVar, Final, assert_never

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
from shared.dates import BusinessDate
from shared.domain import Command, Deadline, Event, Role, WorkingDays
from shared.errors import InvalidInput, RuleViolated
from shared.values import Note, Text

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


class RequestHearing(Command):
    """The employer's request, recorded by the office."""

    permitted: ClassVar[frozenset[Role]] = _OFFICE

    requested_on: BusinessDate


class WaiveHearing(Command):
    """The employer's written waiver of its hearing, recorded by the office."""

    permitted: ClassVar[frozenset[Role]] = _OFFICE

    waived_on: BusinessDate
    note: Note = ""


class ScheduleHearing(Command):
    permitted: ClassVar[frozenset[Role]] = _OFFICE

    notified_on: BusinessDate
    hearing_on: BusinessDate
    place: Text


class RecordHearing(Command):
    permitted: ClassVar[frozenset[Role]] = _OFFICE

    heard_on: BusinessDate
    summary: Text


ALLOWED_IN: Final[dict[type[Command], frozenset[CaseStatus]]] = {
    IssueNoticeOfIntent: OPENED,
}
"""The statuses in which each command of this capability is a next step: a notice
starts the penalty track of a case opened and not closed."""

ALLOWED_IN_PENALTY: Final[dict[type[Command], frozenset[PenaltyStatus]]] = {
    IssueNoticeOfIntent: frozenset({PenaltyStatus.NONE}),
    RequestHearing: frozenset({PenaltyStatus.NOTICE_OF_INTENT}),
    WaiveHearing: frozenset({PenaltyStatus.NOTICE_OF_INTENT}),
    # A hearing may be put off and notified again.
    ScheduleHearing: frozenset(
        {PenaltyStatus.HEARING_REQUESTED, PenaltyStatus.HEARING_SCHEDULED}
    ),
    RecordHearing: frozenset({PenaltyStatus.HEARING_SCHEDULED}),
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


class HearingRequested(Event):
    """The employer asked for a hearing (听证) in time."""

    requested_on: date


class HearingWaived(Event):
    """The employer gave up its hearing in writing."""

    waived_on: date
    note: str


class HearingScheduled(Event):
    """The employer was notified of the hearing's day and place at least 7 working
    days ahead (art. 64)."""

    notified_on: date
    hearing_on: date
    place: str


class HearingHeld(Event):
    """The hearing was held; the decision follows its record (art. 65)."""

    heard_on: date
    summary: str


PenaltyEvent = (
    NoticeOfIntentIssued
    | HearingRequested
    | HearingWaived
    | HearingScheduled
    | HearingHeld
)


def evolve_penalty(case: Case, event: PenaltyEvent) -> Case:
    """The case after its notice of intent or a step of its hearing."""
    match event:
        case NoticeOfIntentIssued():
            return _noticed(case, event)
        case HearingRequested():
            return on_penalty_track(case, PenaltyStatus.HEARING_REQUESTED)
        case HearingWaived():
            return on_penalty_track(case, PenaltyStatus.HEARING_WAIVED)
        case HearingScheduled(hearing_on=hearing_on):
            return on_penalty_track(
                case, PenaltyStatus.HEARING_SCHEDULED, hearing_on=hearing_on
            )
        case HearingHeld():
            return on_penalty_track(case, PenaltyStatus.HEARD)
        case _:
            assert_never(event)


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


def request_hearing(
    case: Case, command: RequestHearing, *, today: date
) -> list[PenaltyEvent]:
    """The employer asks for a hearing within 5 working days of a notice that gave it
    the right (arts. 63–64); a request made in time may be recorded later."""
    notice = noticed(case, ALLOWED_IN_PENALTY[RequestHearing], "given a hearing")
    require_step_date(case, command.requested_on, field="requested_on", today=today)
    if not notice.has_hearing_right:
        raise RuleViolated(
            "no-hearing-right", "The notice gave the employer no right to a hearing."
        )
    last_day = notice.hearing_request_by
    if last_day is None or command.requested_on > last_day:
        raise RuleViolated(
            "hearing-request-too-late",
            f"The last day to ask for a hearing was {last_day}; "
            f"a request of {command.requested_on} came too late.",
        )
    _require_after_notice(command.requested_on, notice, field="requested_on")
    return [HearingRequested(requested_on=command.requested_on)]


def waive_hearing(
    case: Case, command: WaiveHearing, *, today: date
) -> list[PenaltyEvent]:
    """The employer gives up a hearing it has the right to ask for, in writing."""
    notice = noticed(case, ALLOWED_IN_PENALTY[WaiveHearing], "waived")
    require_step_date(case, command.waived_on, field="waived_on", today=today)
    if not notice.has_hearing_right:
        raise RuleViolated(
            "no-hearing-right", "The notice gave the employer no right to a hearing."
        )
    _require_after_notice(command.waived_on, notice, field="waived_on")
    return [HearingWaived(waived_on=command.waived_on, note=command.note)]


def schedule_hearing(
    case: Case,
    command: ScheduleHearing,
    *,
    today: date,
    calendar: WorkingDays,
    limits: CaseLimits,
) -> list[PenaltyEvent]:
    """A requested hearing is notified at least 7 working days before it is held
    (arts. 64, 85); it may be put off and notified again."""
    notice = noticed(case, ALLOWED_IN_PENALTY[ScheduleHearing], "given a hearing date")
    require_step_date(case, command.notified_on, field="notified_on", today=today)
    _require_after_notice(command.notified_on, notice, field="notified_on")
    earliest = calendar.add_working_days(
        command.notified_on, limits.hearing_notice_working_days
    ).due
    if command.hearing_on < earliest:
        raise RuleViolated(
            "hearing-notice-too-short",
            f"A hearing notified on {command.notified_on} is held on {earliest} "
            "at the earliest.",
        )
    return [
        HearingScheduled(
            notified_on=command.notified_on,
            hearing_on=command.hearing_on,
            place=command.place,
        )
    ]


def record_hearing(
    case: Case, command: RecordHearing, *, today: date
) -> list[PenaltyEvent]:
    """A scheduled hearing was held, on its day or later."""
    notice = noticed(case, ALLOWED_IN_PENALTY[RecordHearing], "recorded as heard")
    require_step_date(case, command.heard_on, field="heard_on", today=today)
    hearing_on = notice.hearing_on
    if hearing_on is not None and command.heard_on < hearing_on:
        raise InvalidInput(
            field="heard_on",
            rule="not_before_hearing_day",
            detail=f"The hearing was set for {hearing_on}.",
        )
    return [HearingHeld(heard_on=command.heard_on, summary=command.summary)]


def _require_after_notice(day: date, notice: Penalty, *, field: str) -> None:
    if day < notice.notified_on:
        raise InvalidInput(
            field=field,
            rule="not_before_notice",
            detail=f"{day} is before the notice of {notice.notified_on}.",
        )
