"""The check character of a unified social credit code named in a command, checked once
for every service: some early real codes fail it, and the office may keep one of them
by giving a reason (the code's shape is never waived: `shared.values.Uscc`)."""

from __future__ import annotations

from stdnum.cn import uscc

from shared.errors import InvalidInput

USCC_CHECKSUM = "uscc_checksum"


def checked_uscc(code: str, *, override_reason: str | None, field: str) -> str:
    """The code in its compact form; refused (rule `uscc_checksum`) when its check
    character is wrong and no reason to keep it is given."""
    compact: str = uscc.compact(code)
    if not uscc.is_valid(compact) and override_reason is None:
        raise InvalidInput(
            field=field,
            rule=USCC_CHECKSUM,
            detail=f"{compact} is not a valid unified social credit code "
            "(GB 32100-2015); give uscc_override_reason to keep it anyway.",
        )
    return compact
