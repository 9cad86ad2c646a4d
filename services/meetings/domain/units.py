"""Checks of the units a command names: active in the member directory, or invited to
the meeting."""

from __future__ import annotations

from services.meetings.domain.meeting import Meeting
from shared.errors import InvalidInput


def require_active_unit(code: str | None, *, units: frozenset[str], field: str) -> None:
    """Refuses a unit that is not an active member unit; no unit is no check."""
    if code is not None and code not in units:
        raise InvalidInput(
            field=field,
            rule="active_unit",
            detail=f"{code} is not an active member unit of the joint meeting.",
        )


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
