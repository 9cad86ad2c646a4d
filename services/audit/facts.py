"""What the timeline indexes of an event's data: the day it says it happened and the
employer it names. Pure."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

# The business date of an event: the first of these its data holds, else its first
# `*_on` field in key order (our events name business dates `<what>_on`).
_DATE_KEYS = ("effective_on", "occurred_on", "received_on", "decided_on", "held_on")
_USCC_LENGTH = 18
_MAX_DEPTH = 6


def business_date(data: Mapping[str, Any]) -> date | None:
    """The day the event says it happened, when its data says one."""
    keys = [*_DATE_KEYS, *sorted(k for k in data if k.endswith("_on"))]
    for key in keys:
        value = data.get(key)
        if isinstance(value, str):
            try:
                return date.fromisoformat(value)
            except ValueError:
                continue
    return None


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
