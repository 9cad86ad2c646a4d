"""The district's rules credit decides with: calendar, time limits, sanction duties,
and which units hold which duty of the notice's §3."""

from __future__ import annotations

from dataclasses import dataclass

from services.credit.domain.limits import CreditLimits
from services.credit.domain.sanctions import SanctionDuty, default_sanction_duties
from shared.calendar import WorkingCalendar
from shared.duties import DutyUnits
from shared.settings import DistrictSettings


@dataclass(frozen=True)
class CreditRules:
    """Built once at start from `deploy/district.toml`; a bad value stops the service."""

    calendar: WorkingCalendar
    limits: CreditLimits
    duties: tuple[SanctionDuty, ...]
    duty_units: DutyUnits

    @classmethod
    def from_district(cls, district: DistrictSettings) -> CreditRules:
        """The calendar, the `[limits.credit]` table, the default sanction duties
        (rules.md §3.1.5, mapped to unit codes: a renamed unit keeps its duty) and the
        `[duty_units]` table."""
        return cls(
            calendar=WorkingCalendar.from_district(district),
            limits=CreditLimits.model_validate(
                _crime_thresholds(district) | district.limits.get("credit", {})
            ),
            duties=default_sanction_duties(),
            duty_units=district.duty_units,
        )


_CRIME_THRESHOLDS = ("crime_threshold_one_worker", "crime_threshold_many_workers")


def _crime_thresholds(district: DistrictSettings) -> dict[str, int | str]:
    # One figure governs cases' recommendations and credit's own check of the grounds.
    cases = district.limits.get("cases", {})
    return {key: cases[key] for key in _CRIME_THRESHOLDS if key in cases}
