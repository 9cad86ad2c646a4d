"""What the timeline indexes of an event's data besides its business date (the kernel's
`shared.business_date`): the employer it names. Pure."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

_USCC_LENGTH = 18
_MAX_DEPTH = 6


def uscc_in(data: Any, depth: int = 0) -> str | None:
    """The first employer USCC (a `uscc` or `…_uscc` field, at any depth) the data
    names."""
    if depth > _MAX_DEPTH:
        return None
    if isinstance(data, Mapping):
        for key, value in data.items():
            is_uscc = key == "uscc" or str(key).endswith("_uscc")
            if is_uscc and isinstance(value, str) and len(value) == _USCC_LENGTH:
                return value
        items: Any = data.values()
    elif isinstance(data, list):
        items = data
    else:
        return None
    for item in items:
        found = uscc_in(item, depth + 1)
        if found is not None:
            return found
    return None
