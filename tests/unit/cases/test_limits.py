"""District limits: the national defaults, and thresholds kept within the bands of
法释〔2013〕3号 art. 3."""

from __future__ import annotations

from decimal import Decimal

import pytest
from pydantic import ValidationError

from services.cases.domain.limits import CaseLimits


def limits(**overrides: object) -> CaseLimits:
    fields: dict[str, object] = {
        "crime_threshold_one_worker": Decimal(10_000),
        "crime_threshold_many_workers": Decimal(50_000),
    }
    return CaseLimits.model_validate(fields | overrides)


def test_the_time_limits_default_to_the_national_rules() -> None:
    defaults = limits()

    assert (
        defaults.acceptance_working_days,
        defaults.investigation_working_days,
        defaults.extension_working_days,
        defaults.referral_approval_days,
        defaults.police_transfer_days,
        defaults.police_answer_days,
        defaults.reconsideration_request_days,
        defaults.police_reconsideration_days,
        defaults.procuratorate_request_days,
        defaults.compensation_rate_min,
        defaults.compensation_rate_max,
    ) == (5, 60, 30, 3, 1, 3, 3, 3, 3, Decimal("0.5"), Decimal("1.0"))


def test_the_crime_thresholds_have_no_default() -> None:
    with pytest.raises(ValidationError):
        CaseLimits()  # type: ignore[call-arg]  # the district must state both


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("crime_threshold_one_worker", "4999.99"),
        ("crime_threshold_one_worker", "20000.01"),
        ("crime_threshold_many_workers", "29999.99"),
        ("crime_threshold_many_workers", "100000.01"),
    ],
)
def test_a_crime_threshold_outside_its_national_band_is_refused(
    field: str, value: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        limits(**{field: Decimal(value)})

    assert refused.value.errors()[0]["loc"] == (field,)


@pytest.mark.parametrize(
    "overrides",
    [
        {"compensation_rate_min": Decimal("0.4")},
        {"compensation_rate_max": Decimal("1.1")},
        {
            "compensation_rate_min": Decimal("0.8"),
            "compensation_rate_max": Decimal("0.6"),
        },
        {"acceptance_working_days": 0},
    ],
)
def test_limits_outside_the_law_are_refused(overrides: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        limits(**overrides)
