"""District limits for credit: the national defaults, and the periods Order 45 leaves
open that a district must state."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from services.credit.domain.limits import CreditLimits


def limits(**overrides: object) -> CreditLimits:
    fields: dict[str, object] = {
        "objection_working_days": 5,
        "sanction_confirm_working_days": 10,
    }
    return CreditLimits.model_validate(fields | overrides)


def test_the_periods_default_to_the_national_rules() -> None:
    defaults = limits()

    assert (
        defaults.listing_years,
        defaults.early_removal_min_months,
        defaults.notice_before_listing_working_days,
    ) == (3, 6, 0)


@pytest.mark.parametrize(
    "missing", ["objection_working_days", "sanction_confirm_working_days"]
)
def test_the_objection_and_confirmation_periods_have_no_default(missing: str) -> None:
    fields = {"objection_working_days": 5, "sanction_confirm_working_days": 10}
    del fields[missing]

    with pytest.raises(ValidationError) as refused:
        CreditLimits.model_validate(fields)

    assert refused.value.errors()[0]["loc"] == (missing,)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("objection_working_days", 0),
        ("objection_working_days", 31),
        ("sanction_confirm_working_days", 0),
        ("sanction_confirm_working_days", 61),
        ("listing_years", 0),
        ("early_removal_min_months", 0),
        ("notice_before_listing_working_days", -1),
    ],
)
def test_a_limit_outside_its_range_is_refused(field: str, value: int) -> None:
    with pytest.raises(ValidationError) as refused:
        limits(**{field: value})

    assert refused.value.errors()[0]["loc"] == (field,)


def test_early_removal_must_come_before_the_listing_ends() -> None:
    with pytest.raises(ValidationError):
        limits(listing_years=1, early_removal_min_months=12)


def test_limits_take_no_unknown_keys() -> None:
    with pytest.raises(ValidationError):
        limits(objection_days=5)
