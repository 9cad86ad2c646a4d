"""A representative, valid instance of every event type the services store, built
from each event class's JSON schema: every optional field filled (`full`) or left out
(`sparse`), awkward text (Chinese, quotes, a backslash, a line break, an emoji) where
text is free, the smallest value a pattern allows where it is not."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from hypothesis import find
from hypothesis import strategies as st

from qingqian_local.contracts import aggregates
from shared.domain import Aggregate, Event, event_classes

AWKWARD = '城东区人社局 "引号" \\ 反斜杠\n换行\t😀 é'
PLAIN = "城东区人社局"
SAMPLE_DAY = "2024-02-29"
# Patterns whose values also carry a check digit the schema cannot say.
CHECKED = {
    "^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$": "91110108551385082Q"
}


def event_types(service: str) -> list[tuple[Aggregate[Any, Any], type[Event]]]:
    """(aggregate, event class) for every event type the service stores."""
    return [(a, cls) for a in aggregates(service) for cls in event_classes(a.events)]


def sample(cls: type[Event], *, full: bool) -> Event:
    """A valid instance of `cls`."""
    schema = cls.model_json_schema()
    value = _value(schema, schema.get("$defs", {}), full=full)
    return cls.model_validate(value)


def _value(schema: dict[str, Any], defs: dict[str, Any], *, full: bool) -> Any:
    if "$ref" in schema:
        return _value(defs[schema["$ref"].rsplit("/", 1)[1]], defs, full=full)
    for union in ("anyOf", "oneOf", "allOf"):
        if union in schema:
            branches = [b for b in schema[union] if b.get("type") != "null"]
            return _value(branches[0], defs, full=full)
    if "const" in schema:
        return schema["const"]
    if "enum" in schema:
        return schema["enum"][-1 if full else 0]
    kind = schema.get("type")
    if kind == "object":
        required = set(schema.get("required", ()))
        return {
            name: _value(sub, defs, full=full)
            for name, sub in schema.get("properties", {}).items()
            # A discriminator (a `const` with a default) is always written.
            if full or name in required or "const" in sub
        }
    if kind == "array":
        return [_value(schema.get("items", {}), defs, full=full)]
    if kind == "string":
        return _string(schema)
    if kind == "boolean":
        return True
    if kind == "integer":
        return _number(schema, [7, 1, 0])
    if kind == "number":
        return _number(schema, [Decimal("12345.60"), Decimal("0.25"), Decimal(0)])
    raise TypeError(f"no sample for schema {schema}")


def _string(schema: dict[str, Any]) -> str:
    if schema.get("format") == "date":
        return SAMPLE_DAY
    pattern = schema.get("pattern")
    if pattern in CHECKED:
        return CHECKED[pattern]
    low, high = schema.get("minLength", 0), schema.get("maxLength", 10**6)
    for text in (AWKWARD, PLAIN):
        if low <= len(text) <= high and (pattern is None or re.search(pattern, text)):
            return text
    assert pattern is not None
    matches = st.from_regex(pattern, fullmatch=True).filter(
        lambda s: low <= len(s) <= high
    )
    found: str = find(matches, lambda _: True)
    return found


def _number(schema: dict[str, Any], candidates: list[Any]) -> Any:
    for n in candidates:
        if "minimum" in schema and n < schema["minimum"]:
            continue
        if "maximum" in schema and n > schema["maximum"]:
            continue
        if "exclusiveMinimum" in schema and n <= schema["exclusiveMinimum"]:
            continue
        return n
    raise TypeError(f"no sample for schema {schema}")
