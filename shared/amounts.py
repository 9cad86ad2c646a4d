"""Money and shares as the services take them: `Decimal` with fixed places, ASCII
digits only, never -0 (issue 12 item 7); what the log recorded loads as it was."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Annotated, Final

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    ValidationInfo,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError

from shared.values import is_recorded

_DECIMAL_TEXT: Final = re.compile(r"[+-]?[0-9]+(\.[0-9]+)?", re.ASCII)
_MONEY_LIMIT: Final = Decimal("999999999999.99")


def _ascii_amount(value: object, info: ValidationInfo) -> object:
    # Decimal() reads full-width and other Unicode digits; an amount is typed in ASCII.
    if is_recorded(info):
        return value
    if isinstance(value, str) and not _DECIMAL_TEXT.fullmatch(value):
        raise PydanticCustomError(
            "ascii_decimal",
            "an amount is written with ASCII digits 0-9 and at most one point",
        )
    return value


def _not_negative_zero(value: Decimal, info: ValidationInfo) -> Decimal:
    if value.is_zero() and value.is_signed() and not is_recorded(info):
        raise PydanticCustomError("no_negative_zero", "an amount cannot be -0")
    return value


def _money_schema(minimum: str, pattern: str) -> WithJsonSchema:
    return WithJsonSchema(
        {
            "anyOf": [
                {
                    "type": "number",
                    minimum: 0,
                    "maximum": float(_MONEY_LIMIT),
                    "multipleOf": 0.01,
                },
                {"type": "string", "pattern": pattern},
            ]
        },
        mode="validation",
    )


Money = Annotated[
    Decimal,
    BeforeValidator(_ascii_amount),
    Field(ge=0, max_digits=14, decimal_places=2),
    AfterValidator(_not_negative_zero),
    _money_schema("minimum", r"^[0-9]{1,12}(\.[0-9]{1,2})?$"),
]
"""Yuan with two places, never negative (nor -0), never float, ASCII digits only."""

PositiveMoney = Annotated[
    Decimal,
    BeforeValidator(_ascii_amount),
    Field(gt=0, max_digits=14, decimal_places=2),
    _money_schema(
        "exclusiveMinimum",
        r"^([1-9][0-9]{0,11}(\.[0-9]{1,2})?|0\.([1-9][0-9]?|0[1-9]))$",
    ),
]
"""Yuan with two places, more than nothing: an amount paid or ordered."""

Share = Annotated[
    Decimal,
    BeforeValidator(_ascii_amount),
    Field(gt=0, le=1, max_digits=5, decimal_places=4),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "number", "exclusiveMinimum": 0, "maximum": 1},
                {
                    "type": "string",
                    "pattern": r"^(0\.([1-9][0-9]{0,3}|0[1-9][0-9]{0,2}|00[1-9][0-9]?|000[1-9])|1(\.0{1,4})?)$",
                },
            ]
        },
        mode="validation",
    ),
]
"""A share of an amount, such as 0.5 for 50 %, ASCII digits only."""

RecordedMoney = Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=2)]
"""Money as an event or a state holds it: two places, never negative. It stays as
lenient as when the first event was written, so every stored event still loads."""
