"""Holding a meeting: it takes place (an inspection: is carried out), and who came for
which unit is recorded (rules.md §4.3)."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, ClassVar, Final, Self

from pydantic import BaseModel, Field, model_validator

from services.meetings.domain.delegation import require_delegated_chair
from services.meetings.domain.invitations import duplicate, require_invited_unit
from services.meetings.domain.lifecycle import MeetingStatus, require_status
from shared.dates import BusinessDate, require_date
from shared.domain import Command, Event, Role
from shared.values import Note, PersonId, Text, UnitCode

if TYPE_CHECKING:
    from services.meetings.domain.meeting import Meeting, MeetingEvent


class AttendanceStatus(StrEnum):
    """Present, absent, excused (请假) or represented by someone sent in the person's place."""

    PRESENT = "present"
    ABSENT = "absent"
    EXCUSED = "excused"
    REPRESENTED = "represented"


class AttendanceEntry(BaseModel, frozen=True, extra="forbid"):
    """One person's attendance for a unit; `represented_by` names who came instead."""

    unit_code: UnitCode
    person_name: Text
    person_id: PersonId | None = None
    status: AttendanceStatus
    represented_by: Text | None = None
    note: Note = ""

    @model_validator(mode="after")
    def _represented_names_who(self) -> Self:
        if (self.status is AttendanceStatus.REPRESENTED) != (
            self.represented_by is not None
        ):
            raise ValueError(
                "represented_by is given exactly when status is represented"
            )
        return self


class HoldMeeting(Command):
    permitted: ClassVar[frozenset[Role]] = frozenset({Role.OFFICE})

    held_on: BusinessDate


class RecordAttendance(Command):
    permitted: ClassVar[frozenset[Role]] = frozenset({Role.OFFICE})

    entries: tuple[AttendanceEntry, ...] = Field(min_length=1, max_length=1000)


ALLOWED_IN: Final[dict[type[Command], frozenset[MeetingStatus]]] = {
    HoldMeeting: frozenset({MeetingStatus.SCHEDULED}),
    RecordAttendance: frozenset({MeetingStatus.HELD}),
}
"""The statuses in which each command of this capability is a next step."""


class MeetingHeld(Event):
    """The meeting took place (for an inspection: was carried out)."""

    held_on: date


class AttendanceRecorded(Event):
    """Who came for which unit, who was absent or excused, who was sent instead; a later
    entry for the same unit and person replaces the earlier one."""

    entries: tuple[AttendanceEntry, ...]


HoldingEvent = MeetingHeld | AttendanceRecorded


def evolve_holding(meeting: Meeting, event: HoldingEvent) -> Meeting:
    """The meeting held; attendance recorded, a later entry for the same person of the
    same unit correcting the earlier one."""
    if isinstance(event, MeetingHeld):
        update = {"status": MeetingStatus.HELD, "held_on": event.held_on}
        return meeting.model_copy(update=update)
    by_person = {(e.unit_code, e.person_name): e for e in meeting.attendance}
    for entry in event.entries:
        by_person[entry.unit_code, entry.person_name] = entry
    return meeting.model_copy(update={"attendance": tuple(by_person.values())})


def hold_meeting(
    meeting: Meeting, command: HoldMeeting, *, today: date
) -> list[MeetingEvent]:
    """A scheduled meeting took place (an inspection: was carried out); a plenary
    under a deputy convener's chair only if the convener delegated it to him."""
    require_status(meeting, ALLOWED_IN[HoldMeeting], "held")
    require_delegated_chair(meeting, meeting.chair_person_id, meeting.chair_role)
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
    require_status(meeting, ALLOWED_IN[RecordAttendance], "given attendance")
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
