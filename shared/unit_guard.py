"""The one check every service makes of a unit named in a command: it is an active unit
of the member directory (rule `unit_active`, the same name in every service)."""

from __future__ import annotations

from collections.abc import Collection

from shared.errors import InvalidInput

UNIT_ACTIVE = "unit_active"


def require_active_unit(
    code: str | None, *, units: Collection[str], field: str
) -> None:
    """Refuses a unit code that is not an active member unit (a missing one is left to
    the command's own shape)."""
    if code is not None and code not in units:
        raise InvalidInput(
            field=field,
            rule=UNIT_ACTIVE,
            detail=f"Unit {code} is not an active member unit.",
        )
