"""Holding a meeting: a scheduled meeting takes place; attendance is recorded for
invited units, a later entry correcting an earlier one; the minutes are drafted,
circulated, amended (each amendment a new revision) and approved, in that order."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial
from typing import Any

import pytest

from services.meetings.domain.holding import (
    AttendanceStatus,
    HoldMeeting,
    RecordAttendance,
    hold_meeting,
    record_attendance,
)
from services.meetings.domain.lifecycle import MeetingStatus, MinutesStatus
from services.meetings.domain.meeting import MeetingEvent
from services.meetings.domain.minutes import (
    MINUTES_STEPS,
    AmendMinutes,
    ApproveMinutes,
    CirculateMinutes,
    DraftMinutes,
    MinutesItem,
    amend_minutes,
    approve_minutes,
    circulate_minutes,
    draft_minutes,
)
from services.meetings.domain.proposal import MeetingKind
from shared.domain import Command
from shared.errors import InvalidInput, InvalidTransition
from tests.unit.meetings.factories import (
    AMENDED_ON,
    CIRCULATED_ON,
    CONVENER_POWERS,
    DRAFTED_ON,
    HELD_ON,
    MINUTES,
    MINUTES_APPROVED_ON,
    TODAY,
    attendance_entry,
    attendance_recorded,
    held,
    meeting_held,
    meeting_of,
    minutes_amended,
    minutes_approved,
    minutes_circulated,
    minutes_drafted,
    notified,
    proposed,
    scheduled,
)

DRAFT = DraftMinutes(items=MINUTES, drafted_on=DRAFTED_ON)
CIRCULATE = CirculateMinutes(circulated_on=CIRCULATED_ON)
AMEND = AmendMinutes(items=MINUTES, reason="公安分局补充意见", amended_on=AMENDED_ON)
APPROVE = ApproveMinutes(approved_on=MINUTES_APPROVED_ON)

MINUTES_HISTORIES: dict[MinutesStatus, list[MeetingEvent]] = {
    MinutesStatus.NONE: held(),
    MinutesStatus.DRAFTED: [*held(), minutes_drafted()],
    MinutesStatus.CIRCULATED: [*held(), minutes_drafted(), minutes_circulated()],
    MinutesStatus.AMENDED: [*held(), minutes_drafted(), minutes_amended()],
    MinutesStatus.APPROVED: [
        *held(),
        minutes_drafted(),
        minutes_circulated(),
        minutes_amended(),
        minutes_approved(),
    ],
}
Decide = Callable[..., list[MeetingEvent]]
MINUTES_COMMANDS: dict[type[Command], tuple[Decide, Command]] = {
    DraftMinutes: (draft_minutes, DRAFT),
    CirculateMinutes: (circulate_minutes, CIRCULATE),
    AmendMinutes: (amend_minutes, AMEND),
    ApproveMinutes: (partial(approve_minutes, powers=CONVENER_POWERS), APPROVE),
}


def test_a_scheduled_meeting_is_held() -> None:
    events = hold_meeting(
        meeting_of(notified()), HoldMeeting(held_on=HELD_ON), today=TODAY
    )

    assert events == [meeting_held()]
    meeting = meeting_of(notified(), events)
    assert (meeting.status, meeting.held_on) == (MeetingStatus.HELD, HELD_ON)


@pytest.mark.parametrize(
    ("day", "rule"),
    [(date(2024, 2, 29), "not_before_proposal"), (date(2024, 4, 2), "not_in_future")],
)
def test_a_meeting_is_held_between_its_proposal_and_today(day: date, rule: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        hold_meeting(meeting_of(scheduled()), HoldMeeting(held_on=day), today=TODAY)

    assert (refused.value.field, refused.value.rule) == ("held_on", rule)


@pytest.mark.parametrize("history", [proposed(), held()])
def test_only_a_scheduled_meeting_is_held(history: list[MeetingEvent]) -> None:
    with pytest.raises(InvalidTransition) as refused:
        hold_meeting(meeting_of(history), HoldMeeting(held_on=HELD_ON), today=TODAY)

    assert refused.value.current == meeting_of(history).status


def test_attendance_records_who_came_was_absent_or_sent_someone() -> None:
    entries = (
        attendance_entry(),
        attendance_entry(
            unit_code="gafj",
            person_name="李卫东",
            status=AttendanceStatus.REPRESENTED,
            represented_by="张强",
        ),
        attendance_entry(
            unit_code="fy", person_name="赵敏", status=AttendanceStatus.EXCUSED
        ),
    )

    events = record_attendance(meeting_of(held()), RecordAttendance(entries=entries))

    assert events == [attendance_recorded(entries=entries)]
    assert meeting_of(held(), events).attendance == entries


def test_a_later_entry_for_the_same_person_replaces_the_earlier_in_its_place() -> None:
    first = attendance_entry()
    other = attendance_entry(unit_code="rsj", person_name="陈红")
    correction = attendance_entry(status=AttendanceStatus.ABSENT, note="临时请假未到")
    history = [
        *held(),
        attendance_recorded(entries=(first, other)),
        attendance_recorded(entries=(correction,)),
    ]

    assert meeting_of(history).attendance == (correction, other)


def test_attendance_is_recorded_only_for_invited_units() -> None:
    entries = (attendance_entry(), attendance_entry(unit_code="gafj"))

    with pytest.raises(InvalidInput) as refused:
        record_attendance(
            meeting_of(held(MeetingKind.INSPECTION)), RecordAttendance(entries=entries)
        )

    assert (refused.value.field, refused.value.rule) == (
        "entries.1.unit_code",
        "invited_unit",
    )


def test_a_person_is_entered_once_in_a_record() -> None:
    entries = (attendance_entry(), attendance_entry(status=AttendanceStatus.ABSENT))

    with pytest.raises(InvalidInput) as refused:
        record_attendance(meeting_of(held()), RecordAttendance(entries=entries))

    assert refused.value.rule == "no_duplicates"
    assert refused.value.field.startswith("entries.1")


def test_attendance_is_recorded_once_the_meeting_was_held() -> None:
    with pytest.raises(InvalidTransition) as refused:
        record_attendance(
            meeting_of(scheduled()), RecordAttendance(entries=(attendance_entry(),))
        )

    assert refused.value.current == MeetingStatus.SCHEDULED


def test_the_minutes_are_drafted_circulated_amended_and_approved() -> None:
    history = held()

    for step in (
        DraftMinutes,
        CirculateMinutes,
        AmendMinutes,
        ApproveMinutes,
    ):
        decide, command = MINUTES_COMMANDS[step]
        history += decide(meeting_of(history), command, today=TODAY)

    assert history[len(held()) :] == [
        minutes_drafted(),
        minutes_circulated(),
        minutes_amended(),
        minutes_approved(),
    ]
    minutes = meeting_of(history).minutes
    assert (minutes.status, minutes.revision, minutes.approved_on) == (
        MinutesStatus.APPROVED,
        2,
        MINUTES_APPROVED_ON,
    )
    assert minutes.reason == "公安分局补充意见"


def test_each_amendment_is_a_new_revision_and_the_latest_is_circulated() -> None:
    history = MINUTES_HISTORIES[MinutesStatus.AMENDED]

    amended = amend_minutes(meeting_of(history), AMEND, today=TODAY)
    circulated = circulate_minutes(meeting_of(history, amended), CIRCULATE, today=TODAY)

    assert amended == [minutes_amended(revision=3)]
    assert circulated == [minutes_circulated(revision=3)]


def test_amended_minutes_may_be_approved_without_circulating_again() -> None:
    history = MINUTES_HISTORIES[MinutesStatus.AMENDED]

    approving = approve_minutes(
        meeting_of(history), APPROVE, today=TODAY, powers=CONVENER_POWERS
    )

    assert approving == [minutes_approved()]


@pytest.mark.parametrize(
    ("status", "step"),
    [
        (status, step)
        for status in MinutesStatus
        for step in MINUTES_COMMANDS
        if step not in MINUTES_STEPS[status]
    ],
)
def test_a_minutes_step_out_of_order_is_refused_naming_what_the_minutes_allow(
    status: MinutesStatus, step: type[Command]
) -> None:
    decide, command = MINUTES_COMMANDS[step]

    with pytest.raises(InvalidTransition) as refused:
        decide(meeting_of(MINUTES_HISTORIES[status]), command, today=TODAY)

    assert refused.value.current == f"minutes {status}"
    assert refused.value.allowed == MINUTES_STEPS[status]


@pytest.mark.parametrize(
    ("status", "step"),
    [(status, step) for status in MinutesStatus for step in MINUTES_STEPS[status]],
)
def test_a_minutes_step_in_order_is_taken(
    status: MinutesStatus, step: type[Command]
) -> None:
    decide, command = MINUTES_COMMANDS[step]

    events = decide(meeting_of(MINUTES_HISTORIES[status]), command, today=TODAY)

    assert len(events) == 1


@pytest.mark.parametrize("step", list(MINUTES_COMMANDS))
def test_minutes_are_kept_only_for_a_held_meeting(step: type[Command]) -> None:
    decide, command = MINUTES_COMMANDS[step]

    with pytest.raises(InvalidTransition) as refused:
        decide(meeting_of(scheduled()), command, today=TODAY)

    assert refused.value.current == MeetingStatus.SCHEDULED


@pytest.mark.parametrize(
    ("step", "field"),
    [
        (DraftMinutes, "drafted_on"),
        (CirculateMinutes, "circulated_on"),
        (AmendMinutes, "amended_on"),
        (ApproveMinutes, "approved_on"),
    ],
)
@pytest.mark.parametrize(
    ("day", "rule"),
    [(date(2024, 3, 19), "not_before_meeting"), (date(2024, 4, 2), "not_in_future")],
)
def test_minutes_are_dated_from_the_meeting_to_today(
    step: type[Command], field: str, day: date, rule: str
) -> None:
    decide, command = MINUTES_COMMANDS[step]
    status = next(s for s in MinutesStatus if step in MINUTES_STEPS[s])

    with pytest.raises(InvalidInput) as refused:
        decide(
            meeting_of(MINUTES_HISTORIES[status]),
            command.model_copy(update={field: day}),
            today=TODAY,
        )

    assert (refused.value.field, refused.value.rule) == (field, rule)


def items(*agenda_item_ids: str) -> tuple[MinutesItem, ...]:
    return tuple(MinutesItem(agenda_item_id=i, text="记录") for i in agenda_item_ids)


@pytest.mark.parametrize(
    ("decide", "command", "status"),
    [
        (draft_minutes, DRAFT, MinutesStatus.NONE),
        (amend_minutes, AMEND, MinutesStatus.DRAFTED),
    ],
)
@pytest.mark.parametrize(
    ("ids", "field", "rule"),
    [
        (("1", "3"), "items.1.agenda_item_id", "agenda_item"),
        (("2", "1", "2"), "items.2.agenda_item_id", "no_duplicates"),
    ],
)
def test_minutes_are_kept_under_the_agenda_items_each_once(
    decide: Decide,
    command: Any,
    status: MinutesStatus,
    ids: tuple[str, ...],
    field: str,
    rule: str,
) -> None:
    with pytest.raises(InvalidInput) as refused:
        decide(
            meeting_of(MINUTES_HISTORIES[status]),
            command.model_copy(update={"items": items(*ids)}),
            today=TODAY,
        )

    assert (refused.value.field, refused.value.rule) == (field, rule)
