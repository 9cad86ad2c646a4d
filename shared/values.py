"""Value types every service takes at its boundary: text, codes, identifiers and query
numbers (money in `shared.amounts`, dates in `shared.dates`), each checked once here so
a bad value is a 422 naming the field and the rule, never a 500 from PostgreSQL
(issue 12 item 7).

Commands and request parameters use these. An event that embeds one (an employer, a
task) is read back with the `RECORDED` context, which lifts the rules newer than the log,
so a stored event always loads whatever these rules become."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated, Final

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    GetJsonSchemaHandler,
    StringConstraints,
    ValidationInfo,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, PydanticCustomError
from stdnum.cn import ric, uscc

NAME_MAX: Final = 200
"""The longest name, title or label (one line)."""

TEXT_MAX: Final = 4000
"""The longest reason, note, task or minutes text (may hold line breaks)."""

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
class Documented:
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


def is_recorded(info: ValidationInfo) -> bool:
    """Whether the value is read back from the log (validated with `RECORDED`)."""
    return isinstance(info.context, dict) and info.context.get("recorded") is True


def _text_rule(
    *, max_length: int, controls: re.Pattern[str], what: str
) -> AfterValidator:
    def check(value: str, info: ValidationInfo) -> str:
        if is_recorded(info):
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
    Documented((("maxLength", NAME_MAX), ("pattern", _text_pattern(_LINE_CONTROLS)))),
]
"""A name, title or label: one line, never empty or only spaces, at most 200 characters."""

Text = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1),
    _text_rule(max_length=TEXT_MAX, controls=_IN_TEXT, what="a text"),
    Documented((("maxLength", TEXT_MAX), ("pattern", _text_pattern(_CONTROLS)))),
]
"""A reason, task or note: never empty or only spaces, at most 4,000 characters; line
breaks and tabs allowed, no other control characters."""

Note = Annotated[
    str,
    StringConstraints(strip_whitespace=True),
    _text_rule(max_length=TEXT_MAX, controls=_IN_TEXT, what="a note"),
    Documented((("maxLength", TEXT_MAX), ("pattern", f"^[^{_CONTROLS}]*$"))),
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
    if is_recorded(info) or not isinstance(value, str):
        return value
    return uscc.compact(value)


def _compact_ric(value: object) -> object:
    return ric.compact(value) if isinstance(value, str) else value


_USCC_SHAPE: Final = re.compile(USCC_PATTERN)


def _uscc_shape(value: str, info: ValidationInfo) -> str:
    if not is_recorded(info) and not _USCC_SHAPE.match(value):
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
    Documented((("pattern", USCC_PATTERN),)),
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


QueryOffset = Annotated[int, Field(ge=0, le=MAX_BIGINT)]
"""How many rows to skip, or the sequence or cursor to read after: a bigint."""

DOCUMENT_NUMBER_PATTERN: Final = (
    r"^[0-9A-Za-z\u3400-\u4dbf\u4e00-\u9fff〔〕［］【】（）()\[\]\-－—_/.·、 ]{1,64}$"
)
DocumentNumber = Annotated[
    str,
    StringConstraints(strip_whitespace=True, pattern=DOCUMENT_NUMBER_PATTERN),
]
"""文书号: the number a unit gives a document it issues (立案决定书, 不予立案通知书, 执行
裁定书), as printed on it: `东公(刑)立字〔2024〕15号`, `（2024）东0102执1234号`; Chinese
characters, letters, digits, brackets and dashes, 1 to 64 characters."""
