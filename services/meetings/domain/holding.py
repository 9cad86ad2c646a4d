"""Holding a meeting: it takes place, attendance is recorded, and its minutes are
drafted, circulated to the units, amended and approved (rules.md §4.3)."""

from __future__ import annotations

from datetime import date

from services.meetings.domain.commands import (
    AmendMinutes,
    ApproveMinutes,
    CirculateMinutes,
    DraftMinutes,
    HoldMeeting,
    RecordAttendance,
)
from services.meetings.domain.events import (
    AttendanceRecorded,
    MeetingEvent,
    MeetingHeld,
    MinutesAmended,
    MinutesApproved,
    MinutesCirculated,
    MinutesDrafted,
)
from services.meetings.domain.facts import MinutesItem, MinutesStatus
from services.meetings.domain.meeting import Meeting, MeetingStatus
from services.meetings.domain.powers import Powers, require_power
from services.meetings.domain.transitions import (
    require_date,
    require_minutes,
    require_status,
)
from services.meetings.domain.units import duplicate, require_invited_unit
from shared.errors import InvalidInput

_S = MinutesStatus


def hold_meeting(
    meeting: Meeting, command: HoldMeeting, *, today: date
) -> list[MeetingEvent]:
    """A scheduled meeting took place (an inspection: was carried out)."""
    require_status(meeting, {MeetingStatus.SCHEDULED}, "held")
    require_date(
        command.held_on,
        field="held_on",
        today=today,
        not_before=meeting.proposed_on,
        since="proposal",
    )
    return [MeetingHeld(held_on=command.held_on)]


def record_attendance(
    meeting: Meeting, command: RecordAttendance
) -> list[MeetingEvent]:
    """Who came for which invited unit, who was absent or excused, who was sent
    instead; an entry recorded again for the same person corrects the earlier one."""
    require_status(meeting, {MeetingStatus.HELD}, "given attendance")
    seen: set[tuple[str, str]] = set()
    for index, entry in enumerate(command.entries):
        field = f"entries.{index}"
        require_invited_unit(meeting, entry.unit_code, field=f"{field}.unit_code")
        key = (entry.unit_code, entry.person_name)
        if key in seen:
            raise duplicate(
                f"{field}.person_name",
                f"{entry.person_name} of {entry.unit_code} is entered twice.",
            )
        seen.add(key)
    return [AttendanceRecorded(entries=command.entries)]


def draft_minutes(
    meeting: Meeting, command: DraftMinutes, *, today: date
) -> list[MeetingEvent]:
    """会议纪要: the first draft of the minutes, under the agenda items."""
    require_minutes(meeting, {_S.NONE}, "drafted")
    _require_items(meeting, command.items)
    _require_after_meeting(meeting, command.drafted_on, "drafted_on", today=today)
    return [
        MinutesDrafted(revision=1, items=command.items, drafted_on=command.drafted_on)
    ]


def circulate_minutes(
    meeting: Meeting, command: CirculateMinutes, *, today: date
) -> list[MeetingEvent]:
    """The draft, or its latest amendment, goes to the units for comment."""
    require_minutes(meeting, {_S.DRAFTED, _S.AMENDED}, "circulated")
    _require_after_meeting(meeting, command.circulated_on, "circulated_on", today=today)
    return [
        MinutesCirculated(
            revision=meeting.minutes.revision, circulated_on=command.circulated_on
        )
    ]


def amend_minutes(
    meeting: Meeting, command: AmendMinutes, *, today: date
) -> list[MeetingEvent]:
    """A new revision of the minutes, with the reason; approved minutes stand."""
    require_minutes(meeting, {_S.DRAFTED, _S.CIRCULATED, _S.AMENDED}, "amended")
    _require_items(meeting, command.items)
    _require_after_meeting(meeting, command.amended_on, "amended_on", today=today)
    return [
        MinutesAmended(
            revision=meeting.minutes.revision + 1,
            items=command.items,
            reason=command.reason,
            amended_on=command.amended_on,
        )
    ]


def approve_minutes(
    meeting: Meeting, command: ApproveMinutes, *, today: date, powers: Powers
) -> list[MeetingEvent]:
    """The convener or a deputy convener, on the roster on the day of approval,
    approves the circulated or amended minutes in their latest revision."""
    require_power(powers, command, what="approve minutes")
    require_minutes(meeting, {_S.CIRCULATED, _S.AMENDED}, "approved")
    _require_after_meeting(meeting, command.approved_on, "approved_on", today=today)
    return [
        MinutesApproved(
            revision=meeting.minutes.revision, approved_on=command.approved_on
        )
    ]


def _require_items(meeting: Meeting, items: tuple[MinutesItem, ...]) -> None:
    for index, item in enumerate(items):
        field = f"items.{index}.agenda_item_id"
        if meeting.agenda_item(item.agenda_item_id) is None:
            raise InvalidInput(
                field=field,
                rule="agenda_item",
                detail=f"The agenda has no item {item.agenda_item_id}.",
            )
        if any(i.agenda_item_id == item.agenda_item_id for i in items[:index]):
            raise duplicate(
                field, f"Agenda item {item.agenda_item_id} is minuted twice."
            )


def _require_after_meeting(
    meeting: Meeting, day: date, field: str, *, today: date
) -> None:
    require_date(
        day, field=field, today=today, not_before=meeting.held_on, since="meeting"
    )
