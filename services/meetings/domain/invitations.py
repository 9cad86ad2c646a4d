"""Checks of the units and people a command names: invited to the meeting, and named
once."""

from __future__ import annotations

from typing import TYPE_CHECKING

from shared.errors import InvalidInput

if TYPE_CHECKING:
    from services.meetings.domain.meeting import Meeting


def require_invited_unit(meeting: Meeting, code: str, *, field: str) -> None:
    """Refuses a unit the meeting did not invite."""
    if code not in meeting.invited_units:
        raise InvalidInput(
            field=field,
            rule="invited_unit",
            detail=f"{code} is not invited to the meeting.",
        )


def duplicate(field: str, detail: str) -> InvalidInput:
    """The refusal of something a command names twice."""
    return InvalidInput(field=field, rule="no_duplicates", detail=detail)
