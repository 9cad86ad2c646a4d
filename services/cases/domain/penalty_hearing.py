"""The hearing (听证) an employer may ask for after a notice that gives it the right:
asked for within 5 working days or waived, notified at least 7 working days ahead, held
(行政处罚法 arts. 63–65, 85; rules.md §3.4.1 item 11, §4.1)."""

from __future__ import annotations

from datetime import date
from typing import ClassVar, Final, assert_never

from services.cases.domain.lifecycle import require_step_date
from services.cases.domain.limits import CaseLimits
from services.cases.domain.penalty import noticed, on_penalty_track
from services.cases.domain.state import Case, Penalty, PenaltyStatus
from shared.dates import BusinessDate
from shared.domain import Command, Event, Role, WorkingDays
from shared.errors import InvalidInput, RuleViolated
from shared.values import Note, Text

_OFFICE: frozenset[Role] = frozenset({Role.OFFICE})


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


ALLOWED_IN_PENALTY: Final[dict[type[Command], frozenset[PenaltyStatus]]] = {
    RequestHearing: frozenset({PenaltyStatus.NOTICE_OF_INTENT}),
    WaiveHearing: frozenset({PenaltyStatus.NOTICE_OF_INTENT}),
    # A hearing may be put off and notified again.
    ScheduleHearing: frozenset(
        {PenaltyStatus.HEARING_REQUESTED, PenaltyStatus.HEARING_SCHEDULED}
    ),
    RecordHearing: frozenset({PenaltyStatus.HEARING_SCHEDULED}),
}
"""The penalty-track statuses in which each command of this capability is a next step."""


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


HearingEvent = HearingRequested | HearingWaived | HearingScheduled | HearingHeld


def evolve_hearing(case: Case, event: HearingEvent) -> Case:
    """The case after a step of its hearing."""
    match event:
        case HearingRequested():
            return on_penalty_track(case, PenaltyStatus.HEARING_REQUESTED)
        case HearingWaived(waived_on=waived_on):
            return on_penalty_track(
                case, PenaltyStatus.HEARING_WAIVED, waived_on=waived_on
            )
        case HearingScheduled(hearing_on=hearing_on):
            return on_penalty_track(
                case, PenaltyStatus.HEARING_SCHEDULED, hearing_on=hearing_on
            )
        case HearingHeld(heard_on=heard_on):
            return on_penalty_track(case, PenaltyStatus.HEARD, heard_on=heard_on)
        case _:
            assert_never(event)


def request_hearing(
    case: Case, command: RequestHearing, *, today: date
) -> list[HearingEvent]:
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
) -> list[HearingEvent]:
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
) -> list[HearingEvent]:
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
) -> list[HearingEvent]:
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
