"""Value types every service takes at its boundary: text, codes, identifiers, money,
business dates and query numbers, each checked once here so a bad value is a 422
naming the field and the rule, never a 500 from PostgreSQL (issue 12 item 7).

Commands and request parameters use these. An event that embeds one (an employer, a
task) is read back with the `RECORDED` context, which lifts the rules newer than the log,
so a stored event always loads whatever these rules become."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Final

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    GetJsonSchemaHandler,
    StringConstraints,
    ValidationInfo,
    WithJsonSchema,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, PydanticCustomError
from stdnum.cn import ric, uscc

from shared.errors import InvalidInput

NAME_MAX: Final = 200
"""The longest name, title or label (one line)."""

TEXT_MAX: Final = 4000
"""The longest reason, note, task or minutes text (may hold line breaks)."""

EARLIEST_BUSINESS_DATE: Final = date(1990, 1, 1)
LATEST_BUSINESS_DATE: Final = date(2099, 12, 31)
"""No wage case, listing or meeting is dated outside these; a date outside them is a
typing error (0001-01-01 would be stored as -infinity, 9999-12-31 as a deadline)."""

MAX_BIGINT: Final = 2**63 - 1
"""The largest PostgreSQL bigint: offsets and sequence numbers above it cannot be sent."""

RECORDED: Final = {"recorded": True}
"""The validation context for what is read back from the log (`Aggregate.decode`): the
rules here that are newer than the log (lengths, control characters, windows, shapes)
are not applied again, so every stored event still loads; input is held to them."""

# C0 and C1 controls, DEL and lone surrogates: PostgreSQL refuses NUL in text and jsonb,
# and a lone surrogate cannot be encoded as UTF-8. Line breaks and tabs are allowed
# only in texts that need them.
_CONTROLS: Final = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
_LINE_CONTROLS: Final = "\x00-\x1f\x7f-\x9f"
_SURROGATES: Final = "\ud800-\udfff"
_IN_TEXT: Final = re.compile(f"[{_CONTROLS}{_SURROGATES}]")
_IN_LINE: Final = re.compile(f"[{_LINE_CONTROLS}\u2028\u2029{_SURROGATES}]")


@dataclass(frozen=True)
class _Documented:
    """Adds keywords to a type's JSON schema (a pattern a validator enforces), so
    OpenAPI shows the rule and generated data fits it."""

    # Pairs, not a dict: a type in `X | None` must be hashable.
    keywords: tuple[tuple[str, str | int], ...]

    def __get_pydantic_json_schema__(
        self, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        schema = handler(core_schema)
        schema.update(self.keywords)
        return schema


def _text_pattern(controls: str) -> str:
    """Any characters but the controls, at least one of them not a space."""
    allowed = f"[^{controls}]"
    return f"^{allowed}*[^\\s{controls}]{allowed}*$"


def _is_recorded(info: ValidationInfo) -> bool:
    return isinstance(info.context, dict) and info.context.get("recorded") is True


def _text_rule(
    *, max_length: int, controls: re.Pattern[str], what: str
) -> AfterValidator:
    def check(value: str, info: ValidationInfo) -> str:
        if _is_recorded(info):
            return value
        if len(value) > max_length:
            raise PydanticCustomError(
                "string_too_long",
                "{what} is at most {max_length} characters",
                {"what": what, "max_length": max_length},
            )
        if controls.search(value):
            raise PydanticCustomError(
                "no_control_characters",
                "{what} must not hold control characters",
                {"what": what},
            )
        return value

    return AfterValidator(check)


Name = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1),
    _text_rule(max_length=NAME_MAX, controls=_IN_LINE, what="a name (one line)"),
    _Documented((("maxLength", NAME_MAX), ("pattern", _text_pattern(_LINE_CONTROLS)))),
]
"""A name, title or label: one line, never empty or only spaces, at most 200 characters."""

Text = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1),
    _text_rule(max_length=TEXT_MAX, controls=_IN_TEXT, what="a text"),
    _Documented((("maxLength", TEXT_MAX), ("pattern", _text_pattern(_CONTROLS)))),
]
"""A reason, task or note: never empty or only spaces, at most 4,000 characters; line
breaks and tabs allowed, no other control characters."""

Note = Annotated[
    str,
    StringConstraints(strip_whitespace=True),
    _text_rule(max_length=TEXT_MAX, controls=_IN_TEXT, what="a note"),
    _Documented((("maxLength", TEXT_MAX), ("pattern", f"^[^{_CONTROLS}]*$"))),
]
"""Free text that may be left empty, with the limits of `Text`."""

UNIT_CODE_PATTERN: Final = r"^[a-z][a-z0-9-]{1,39}$"
UnitCode = Annotated[str, StringConstraints(pattern=UNIT_CODE_PATTERN)]
"""A member unit's code, as in the member directory (`rsj`, `jsj`, `dongguan-town`)."""

CASE_ID_PATTERN: Final = r"^[0-9]{4}-[0-9]{6}$"
CaseId = Annotated[str, StringConstraints(pattern=CASE_ID_PATTERN)]
"""The id part of a case's stream: year and number, `2024-000123`."""

LISTING_ID_PATTERN: Final = r"^[a-z0-9][a-z0-9-]{0,63}$"
ListingId = Annotated[str, StringConstraints(pattern=LISTING_ID_PATTERN)]
"""The id part of a listing's stream in credit (`c-2024-000123`)."""

PERSON_ID_PATTERN: Final = r"^[a-z0-9][a-z0-9-]{1,39}$"
PersonId = Annotated[str, StringConstraints(pattern=PERSON_ID_PATTERN)]
"""The id part of a person's stream in members (`2017-03`)."""

STREAM_ID_PATTERN: Final = r"^[a-z][a-z0-9]*-[a-z0-9-]{1,120}$"
StreamId = Annotated[str, StringConstraints(pattern=STREAM_ID_PATTERN)]
"""A stream's id, `<category>-<id>` in lower case (`case-2024-000123`)."""

# GB 32100-2015: 18 characters of the code alphabet (no I, O, S, V, Z), the 3rd to
# 8th the administrative division (digits).
USCC_PATTERN: Final = r"^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$"


def _compact_uscc(value: object, info: ValidationInfo) -> object:
    # Codes are copied with spaces or hyphens between groups; they are kept compact.
    if _is_recorded(info) or not isinstance(value, str):
        return value
    return uscc.compact(value)


def _compact_ric(value: object) -> object:
    return ric.compact(value) if isinstance(value, str) else value


_USCC_SHAPE: Final = re.compile(USCC_PATTERN)


def _uscc_shape(value: str, info: ValidationInfo) -> str:
    if not _is_recorded(info) and not _USCC_SHAPE.match(value):
        raise PydanticCustomError(
            "uscc_format",
            "a unified social credit code is 18 characters of its alphabet, the 3rd "
            "to 8th digits (GB 32100-2015)",
        )
    return value


Uscc = Annotated[
    str,
    AfterValidator(_uscc_shape),
    BeforeValidator(_compact_uscc),
    _Documented((("pattern", USCC_PATTERN),)),
]
"""统一社会信用代码 (unified social credit code) in its shape; the check character is
checked by the domain, which lets the office keep an early code that fails it by
giving a reason (the shape is never waived)."""


def _uscc_check_digit(value: str) -> str:
    if not uscc.is_valid(value):
        raise PydanticCustomError(
            "uscc_checksum",
            "not a valid unified social credit code: the check character does not "
            "match (GB 32100-2015)",
        )
    return value


CheckedUscc = Annotated[Uscc, AfterValidator(_uscc_check_digit)]
"""A unified social credit code whose check character is right."""

RESIDENT_ID_PATTERN: Final = r"^[0-9]{17}[0-9X]$"
ResidentId = Annotated[
    str,
    StringConstraints(pattern=RESIDENT_ID_PATTERN),
    BeforeValidator(_compact_ric),
]
"""公民身份号码 (resident ID number, GB 11643-1999) in its shape; personal data."""


def is_valid_resident_id(number: str) -> bool:
    """Whether the number's length, birth date, birth place and check digit are right."""
    try:
        return bool(ric.is_valid(number))
    except KeyError:
        # python-stdnum looks up a county for the first six digits and fails with
        # KeyError when they name only a province or a city: no county, not valid.
        return False


def _ric_check_digit(value: str) -> str:
    # The message never repeats the number: it is personal data.
    if not is_valid_resident_id(value):
        raise PydanticCustomError(
            "ric_checksum",
            "not a valid resident identity number: the birth date, the place or the "
            "check character is wrong (GB 11643-1999)",
        )
    return value


CheckedResidentId = Annotated[ResidentId, AfterValidator(_ric_check_digit)]
"""A resident ID number whose birth date and check character are right."""


_DECIMAL_TEXT: Final = re.compile(r"[+-]?[0-9]+(\.[0-9]+)?", re.ASCII)
_MONEY_LIMIT: Final = Decimal("999999999999.99")


def _ascii_amount(value: object, info: ValidationInfo) -> object:
    # Decimal() reads full-width and other Unicode digits; an amount is typed in ASCII.
    if _is_recorded(info):
        return value
    if isinstance(value, str) and not _DECIMAL_TEXT.fullmatch(value):
        raise PydanticCustomError(
            "ascii_decimal",
            "an amount is written with ASCII digits 0-9 and at most one point",
        )
    return value


def _not_negative_zero(value: Decimal, info: ValidationInfo) -> Decimal:
    if value.is_zero() and value.is_signed() and not _is_recorded(info):
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


def _in_window(value: date, info: ValidationInfo) -> date:
    if _is_recorded(info):
        return value
    if not EARLIEST_BUSINESS_DATE <= value <= LATEST_BUSINESS_DATE:
        raise PydanticCustomError(
            "date_in_window",
            "a business date lies between {earliest} and {latest}",
            {
                "earliest": EARLIEST_BUSINESS_DATE.isoformat(),
                "latest": LATEST_BUSINESS_DATE.isoformat(),
            },
        )
    return value


BusinessDate = Annotated[
    date,
    AfterValidator(_in_window),
    _Documented(
        (
            ("pattern", r"^(199[0-9]|20[0-9]{2})-[0-9]{2}-[0-9]{2}$"),
            ("description", "a date from 1990-01-01 to 2099-12-31"),
        )
    ),
]
"""A day something happened or is due, within the window every service accepts."""


def _moment_in_window(value: datetime) -> datetime:
    # Year 1 or 9999 with an offset overflows when the database driver converts it to
    # UTC; the day as written (in its own offset) is what the documented pattern shows.
    if not EARLIEST_BUSINESS_DATE <= value.date() <= LATEST_BUSINESS_DATE:
        raise PydanticCustomError(
            "datetime_in_window",
            "a time lies between 1990-01-01 and 2099-12-31",
        )
    return value


Moment = Annotated[
    datetime,
    AfterValidator(_moment_in_window),
    _Documented(
        (
            ("pattern", r"^(199[0-9]|20[0-9]{2})-"),
            ("description", "a time from 1990-01-01 to 2099-12-31"),
        )
    ),
]
"""A point in time asked about (`as_of`), within the window every service accepts."""


def require_within_years_ahead(
    day: date, *, field: str, today: date, years: int
) -> None:
    """Refuses a date more than `years` years after today: a deadline that far out is
    a typing error (rule `date_within_years_ahead`)."""
    try:
        latest = today.replace(year=today.year + years)
    except ValueError:  # 29 February, in a year that has none
        latest = today.replace(year=today.year + years, day=28)
    if day > latest:
        raise InvalidInput(
            field=field,
            rule="date_within_years_ahead",
            detail=f"{day} is more than {years} years after today, {today}.",
        )


QueryOffset = Annotated[int, Field(ge=0, le=MAX_BIGINT)]
"""How many rows to skip, or the sequence or cursor to read after: a bigint."""
