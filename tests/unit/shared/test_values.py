"""The kernel's value types: every valid value passes (also what their documented
schema generates), and NUL and other control characters, over-long text, -0,
full-width digits, dates out of the window and bad check digits are refused by a
named rule."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError
from stdnum.cn import ric, uscc

from shared.amounts import Money, PositiveMoney, Share
from shared.dates import (
    EARLIEST_BUSINESS_DATE,
    LATEST_BUSINESS_DATE,
    BusinessDate,
    Moment,
    require_within_years_ahead,
)
from shared.errors import InvalidInput
from shared.values import (
    MAX_BIGINT,
    NAME_MAX,
    TEXT_MAX,
    CheckedResidentId,
    CheckedUscc,
    Name,
    Note,
    QueryOffset,
    Text,
    Uscc,
    is_valid_resident_id,
)

TEXT: TypeAdapter[str] = TypeAdapter(Text)
NAME: TypeAdapter[str] = TypeAdapter(Name)
NOTE: TypeAdapter[str] = TypeAdapter(Note)
MONEY: TypeAdapter[Decimal] = TypeAdapter(Money)
POSITIVE_MONEY: TypeAdapter[Decimal] = TypeAdapter(PositiveMoney)
SHARE: TypeAdapter[Decimal] = TypeAdapter(Share)
DAY: TypeAdapter[date] = TypeAdapter(BusinessDate)
USCC: TypeAdapter[str] = TypeAdapter(Uscc)
CHECKED_USCC: TypeAdapter[str] = TypeAdapter(CheckedUscc)
RESIDENT_ID: TypeAdapter[str] = TypeAdapter(CheckedResidentId)
OFFSET: TypeAdapter[int] = TypeAdapter(QueryOffset)
MOMENT: TypeAdapter[datetime] = TypeAdapter(Moment)

# Control characters (C0, DEL, C1) and lone surrogates; line breaks and tabs are
# allowed in texts that may hold several lines.
CONTROLS = st.characters(categories=["Cc", "Cs"]).filter(lambda c: c not in "\n\t\r")
LINE_BREAKS = st.sampled_from(["\n", "\r", "\t"])
PLAIN = st.characters(exclude_categories=["Cc", "Cs"])
VISIBLE = PLAIN.filter(lambda c: not c.isspace())
MONEY_MAX = Decimal("999999999999.99")
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def rule_of(adapter: TypeAdapter[Any], value: object) -> str:
    with pytest.raises(ValidationError) as refused:
        adapter.validate_python(value)
    return str(refused.value.errors()[0]["type"])


def documented_pattern(adapter: TypeAdapter[Any]) -> str:
    return str(adapter.json_schema()["pattern"])


@st.composite
def texts(draw: st.DrawFn, *, alphabet: st.SearchStrategy[str], size: int) -> str:
    """A text with at least one visible character, at most `size` long."""
    before = draw(st.text(alphabet, max_size=(size - 1) // 2))
    after = draw(st.text(alphabet, max_size=(size - 1) // 2))
    return before + draw(VISIBLE) + after


@given(texts(alphabet=PLAIN | LINE_BREAKS, size=TEXT_MAX))
def test_any_text_without_control_characters_is_kept_stripped(value: str) -> None:
    assert TEXT.validate_python(value) == value.strip()


@given(texts(alphabet=PLAIN | LINE_BREAKS, size=TEXT_MAX - 2), CONTROLS, st.data())
def test_a_control_character_anywhere_in_a_text_is_refused(
    value: str, control: str, data: st.DataObject
) -> None:
    at = data.draw(st.integers(0, len(value)))
    # Between visible characters, where stripping the ends cannot take it away.
    rule = rule_of(TEXT, "x" + value[:at] + control + value[at:] + "x")

    assert rule in {"no_control_characters", "string_unicode"}


def test_nul_is_refused_in_text_name_and_note() -> None:
    assert rule_of(TEXT, "wages\x00") == "no_control_characters"
    assert rule_of(NAME, "\x00") == "no_control_characters"
    assert rule_of(NOTE, "a\x00b") == "no_control_characters"


@given(texts(alphabet=PLAIN, size=NAME_MAX), LINE_BREAKS)
def test_a_name_is_one_line(value: str, line_break: str) -> None:
    assert NAME.validate_python(value) == value.strip()
    assert rule_of(NAME, value.strip() + line_break + "x") == "no_control_characters"


def test_text_and_names_have_a_maximum_length() -> None:
    assert TEXT.validate_python("字" * TEXT_MAX) == "字" * TEXT_MAX
    assert rule_of(TEXT, "字" * (TEXT_MAX + 1)) == "string_too_long"
    assert rule_of(NAME, "x" * (NAME_MAX + 1)) == "string_too_long"
    assert rule_of(NOTE, "x" * (TEXT_MAX + 1)) == "string_too_long"


def test_a_text_of_only_spaces_is_refused_but_a_note_may_be_empty() -> None:
    assert rule_of(TEXT, " \n\t ") == "string_too_short"
    assert NOTE.validate_python("  ") == ""


@pytest.mark.parametrize("adapter", [TEXT, NAME, NOTE], ids=["text", "name", "note"])
@given(data=st.data())
def test_what_the_documented_pattern_generates_is_accepted(
    adapter: TypeAdapter[str], data: st.DataObject
) -> None:
    schema = adapter.json_schema()
    value = data.draw(st.from_regex(schema["pattern"], fullmatch=True))

    if len(value.strip()) <= schema["maxLength"]:
        adapter.validate_python(value)


@given(st.decimals(min_value=0, max_value=MONEY_MAX, places=2))
def test_any_amount_with_two_places_is_accepted_as_number_or_text(
    amount: Decimal,
) -> None:
    assert MONEY.validate_python(format(amount, "f")) == amount
    assert MONEY.validate_python(float(amount)) == amount


@pytest.mark.parametrize(
    "adapter", [MONEY, POSITIVE_MONEY, SHARE], ids=["money", "positive", "share"]
)
@given(data=st.data())
def test_what_a_documented_amount_schema_generates_is_accepted(
    adapter: TypeAdapter[Decimal], data: st.DataObject
) -> None:
    number, text = adapter.json_schema()["anyOf"]
    written = data.draw(st.from_regex(text["pattern"], fullmatch=True))
    low = Decimal(str(number.get("minimum", number.get("exclusiveMinimum"))))
    high = Decimal(str(number["maximum"]))
    typed = data.draw(
        st.decimals(min_value=low, max_value=high, places=2).filter(
            lambda d: "exclusiveMinimum" not in number or d > 0
        )
    )

    assert adapter.validate_python(written) == Decimal(written)
    assert adapter.validate_python(float(typed)) == typed


@pytest.mark.parametrize("zero", ["-0", "-0.00", -0.0, Decimal("-0")])
def test_minus_zero_is_not_an_amount(zero: object) -> None:
    assert rule_of(MONEY, zero) == "no_negative_zero"


@given(st.decimals(min_value=0, max_value=MONEY_MAX, places=2))
def test_an_amount_in_full_width_digits_is_refused(amount: Decimal) -> None:
    full_width = format(amount, "f").translate(
        {ord(d): ord(d) + 0xFEE0 for d in "0123456789"}
    )

    assert rule_of(MONEY, full_width) == "ascii_decimal"
    assert rule_of(POSITIVE_MONEY, full_width) == "ascii_decimal"
    assert rule_of(SHARE, "０.５") == "ascii_decimal"


def test_negative_and_over_precise_amounts_are_refused() -> None:
    assert rule_of(MONEY, "-1.00") == "greater_than_equal"
    assert rule_of(MONEY, "1.001") == "decimal_max_places"
    assert rule_of(MONEY, "1e3") == "ascii_decimal"
    assert rule_of(MONEY, "NaN") == "ascii_decimal"


@given(st.dates(min_value=EARLIEST_BUSINESS_DATE, max_value=LATEST_BUSINESS_DATE))
def test_a_date_in_the_window_is_accepted(day: date) -> None:
    assert DAY.validate_python(day.isoformat()) == day
    assert re.fullmatch(documented_pattern(DAY), day.isoformat())


@given(
    st.dates(max_value=EARLIEST_BUSINESS_DATE - timedelta(days=1))
    | st.dates(min_value=LATEST_BUSINESS_DATE + timedelta(days=1))
)
def test_a_date_out_of_the_window_is_refused(day: date) -> None:
    assert rule_of(DAY, day.isoformat()) == "date_in_window"


def test_the_first_and_last_representable_days_are_refused() -> None:
    assert rule_of(DAY, "0001-01-01") == "date_in_window"
    assert rule_of(DAY, "9999-12-31") == "date_in_window"


@st.composite
def usccs(draw: st.DrawFn) -> str:
    """A well-formed code with its right check character."""
    # python-stdnum takes only codes whose first eight characters are digits as valid
    head = draw(st.text("0123456789", min_size=8, max_size=8))
    body = head + draw(st.text(USCC_ALPHABET, min_size=9, max_size=9))
    return body + uscc.calc_check_digit(body)


@given(usccs())
def test_a_code_with_its_check_character_is_accepted(code: str) -> None:
    assert CHECKED_USCC.validate_python(code.lower()) == code
    assert re.fullmatch(documented_pattern(USCC), code)


@given(usccs(), st.sampled_from(USCC_ALPHABET))
def test_a_wrong_check_character_is_refused_but_keeps_the_shape(
    code: str, wrong: str
) -> None:
    mistyped = code[:-1] + wrong

    if wrong != code[-1]:
        assert rule_of(CHECKED_USCC, mistyped) == "uscc_checksum"
    assert USCC.validate_python(mistyped) == mistyped


@pytest.mark.parametrize(
    "text", ["<script>alert(1)</script>", "", "91350100M00010\x00Y43"]
)
def test_any_text_is_not_a_code_even_with_an_override(text: str) -> None:
    assert rule_of(USCC, text) == "uscc_format"


@given(
    st.sampled_from(["110101", "440300"]),
    st.dates(min_value=date(1950, 1, 1), max_value=date(2020, 12, 31)),
    st.text("0123456789", min_size=3, max_size=3),
)
def test_a_resident_id_is_checked_by_its_birth_date_and_check_digit(
    place: str, born: date, serial: str
) -> None:
    body = place + born.strftime("%Y%m%d") + serial
    # calc_check_digit takes the whole number, its check digit being ignored
    number = body + ric.calc_check_digit(body + "0")
    wrong = "0" if number[-1] != "0" else "1"

    assert RESIDENT_ID.validate_python(number.lower()) == number
    assert rule_of(RESIDENT_ID, body + wrong) == "ric_checksum"


@given(st.text("0123456789", min_size=17, max_size=17))
def test_any_eighteen_digits_are_refused_or_accepted_never_an_error(
    body: str,
) -> None:
    number = body + ric.calc_check_digit(body + "0")

    assert is_valid_resident_id(number) in {True, False}
    assert is_valid_resident_id("117804200001010001") is False


@given(st.integers(min_value=0, max_value=MAX_BIGINT))
def test_an_offset_up_to_the_largest_bigint_is_accepted(offset: int) -> None:
    assert OFFSET.validate_python(offset) == offset


@given(st.integers(min_value=MAX_BIGINT + 1) | st.integers(max_value=-1))
def test_an_offset_past_a_bigint_or_below_zero_is_refused(offset: int) -> None:
    assert rule_of(OFFSET, offset) in {"less_than_equal", "greater_than_equal"}


@pytest.mark.parametrize(
    ("today", "latest"),
    [(date(2024, 5, 6), date(2029, 5, 6)), (date(2024, 2, 29), date(2029, 2, 28))],
)
def test_a_date_is_at_most_the_given_years_ahead(today: date, latest: date) -> None:
    require_within_years_ahead(latest, field="pay_by", today=today, years=5)

    with pytest.raises(InvalidInput) as refused:
        require_within_years_ahead(
            latest + timedelta(days=1), field="pay_by", today=today, years=5
        )

    assert (refused.value.field, refused.value.rule) == (
        "pay_by",
        "date_within_years_ahead",
    )


@given(
    st.datetimes(
        min_value=datetime(1990, 1, 1),  # noqa: DTZ001 - the offset is drawn below
        max_value=datetime(2099, 12, 31, 23, 59, 59),  # noqa: DTZ001
        timezones=st.integers(-14 * 60, 14 * 60).map(
            lambda minutes: timezone(timedelta(minutes=minutes))
        ),
    )
)
def test_a_time_in_the_window_is_accepted_in_any_offset(moment: datetime) -> None:
    assert MOMENT.validate_python(moment.isoformat()) == moment


@pytest.mark.parametrize(
    "written",
    ["0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00", "1989-12-31T23:59:59Z"],
)
def test_a_time_out_of_the_window_is_refused(written: str) -> None:
    assert rule_of(MOMENT, written) == "datetime_in_window"
