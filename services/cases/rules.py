"""The district's rules cases decides with: its working-day calendar and time limits."""

from __future__ import annotations

from dataclasses import dataclass

from services.cases.domain.limits import CaseLimits
from shared.calendar import WorkingCalendar
from shared.duties import DutyUnits
from shared.settings import DistrictSettings


@dataclass(frozen=True)
class CaseRules:
    """Built once at start from `deploy/district.toml`; a bad value stops the service."""

    calendar: WorkingCalendar
    limits: CaseLimits
    duty_units: DutyUnits

    @classmethod
    def from_district(cls, district: DistrictSettings) -> CaseRules:
        """The calendar with the district's extra years, the `[limits.cases]` table and
        the `[duty_units]` table."""
        return cls(
            calendar=WorkingCalendar.from_district(district),
            limits=CaseLimits.model_validate(district.limits.get("cases", {})),
            duty_units=district.duty_units,
        )
