"""What a meeting keeps: given its events, when it is replayed, then it holds the day
and reason it was declined or cancelled, and its minutes' latest revision, items, why
they were amended and the day they were approved; and the steps each status allows
come from the capabilities."""

from __future__ import annotations

from enum import StrEnum

from services.meetings.domain.lifecycle import (
    MeetingStatus,
    MinutesStatus,
    steps_by_status,
)
from services.meetings.domain.meeting import MeetingEvent
from services.meetings.domain.minutes import (
    ApproveMinutes,
    CirculateMinutes,
    DraftMinutes,
    Minutes,
    MinutesItem,
)
from shared.domain import Command
from tests.unit.meetings.factories import (
    APPROVED_ON,
    MINUTES,
    MINUTES_APPROVED_ON,
    SENT_ON,
    held,
    meeting_cancelled,
    meeting_declined,
    meeting_of,
    minutes_amended,
    minutes_approved,
    minutes_circulated,
    minutes_drafted,
    notified,
    special_proposed,
)


def test_a_declined_meeting_keeps_the_day_and_the_reason() -> None:
    meeting = meeting_of([special_proposed(), meeting_declined()])

    assert (meeting.status, meeting.declined_on, meeting.declined_reason) == (
        MeetingStatus.DECLINED,
        APPROVED_ON,
        "并入全体会议",
    )


def test_a_cancelled_meeting_keeps_the_day_and_the_reason() -> None:
    meeting = meeting_of(notified(), [meeting_cancelled()])

    assert (meeting.status, meeting.cancelled_on, meeting.cancelled_reason) == (
        MeetingStatus.CANCELLED,
        SENT_ON,
        "防汛工作冲突",
    )


AMENDED_ITEMS = (MinutesItem(agenda_item_id="1", text="公安分局补充了移送情况"),)


def test_a_draft_is_revision_one_with_its_items() -> None:
    meeting = meeting_of(held(), [minutes_drafted()])

    assert meeting.minutes == Minutes(
        status=MinutesStatus.DRAFTED, revision=1, items=MINUTES
    )


def test_circulating_an_amendment_keeps_its_revision() -> None:
    history: list[MeetingEvent] = [
        minutes_drafted(),
        minutes_amended(items=AMENDED_ITEMS),
        minutes_circulated(revision=2),
    ]

    minutes = meeting_of(held(), history).minutes

    assert (minutes.status, minutes.revision, minutes.items, minutes.reason) == (
        MinutesStatus.CIRCULATED,
        2,
        AMENDED_ITEMS,
        "公安分局补充意见",
    )


def test_approved_minutes_keep_the_revision_approved_and_the_day() -> None:
    history: list[MeetingEvent] = [
        minutes_drafted(),
        minutes_circulated(),
        minutes_amended(revision=3),
        minutes_approved(revision=3),
    ]

    minutes = meeting_of(held(), history).minutes

    assert (minutes.status, minutes.revision, minutes.approved_on) == (
        MinutesStatus.APPROVED,
        3,
        MINUTES_APPROVED_ON,
    )


class _Light(StrEnum):
    RED = "red"
    GREEN = "green"


def test_each_status_allows_the_commands_of_every_capability_in_their_order() -> None:
    first: dict[type[Command], set[_Light]] = {
        DraftMinutes: {_Light.RED},
        CirculateMinutes: {_Light.RED, _Light.GREEN},
    }
    second: dict[type[Command], set[_Light]] = {ApproveMinutes: {_Light.GREEN}}

    steps = steps_by_status(_Light, [first, second])

    expected: dict[_Light, tuple[type[Command], ...]] = {
        _Light.RED: (DraftMinutes, CirculateMinutes),
        _Light.GREEN: (CirculateMinutes, ApproveMinutes),
    }
    assert steps == expected
