"""The district's time limits for joint credit punishment (`[limits.credit]` in
`deploy/district.toml`); the defaults are the national figures of rules.md §3.1.1."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator


class CreditLimits(BaseModel):
    """How long the subject may object, how long a listing lasts, when it may be
    removed early, and how long units have to confirm their sanctions."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    # Order 45's objection period after the notice is not known (rules.md §3.1.3 [N],
    # §4.2 "period CONFIG"), so a district must state it.
    objection_working_days: Annotated[int, Field(ge=1, le=30)]
    # 3 years, counted from the listing decision (rules.md §3.1.1 "Listing period")
    listing_years: Annotated[int, Field(ge=1, le=5)] = 3
    # Early removal once 6 months have passed since the correction (rules.md §3.1.1)
    early_removal_min_months: Annotated[int, Field(ge=1, le=60)] = 6
    # How long a unit has to confirm it applied (or lifted) a sanction: a local rule,
    # no national figure (rules.md §3.1.5, §4.2 "Removal propagates").
    sanction_confirm_working_days: Annotated[int, Field(ge=1, le=60)]
    # Working days between the notice and the earliest decision; Order 45's figure is
    # not known (rules.md §3.1.3 [N]; Henan 2017 used 3 [L]), so none by default.
    notice_before_listing_working_days: Annotated[int, Field(ge=0, le=30)] = 0
    # "数额较大" of the crime of refusing to pay (Order 45 art. 5(1)): the province fixes
    # X1 within ¥5,000–20,000 and X2 within ¥30,000–100,000 (rules.md §3.5). The service
    # takes cases' figures (`[limits.cases]`), so both services apply one threshold;
    # the defaults are the band's lower ends, as deploy/district.toml.
    crime_threshold_one_worker: Annotated[
        Decimal, Field(ge=5_000, le=20_000, decimal_places=2)
    ] = Decimal(5_000)
    crime_threshold_many_workers: Annotated[
        Decimal, Field(ge=30_000, le=100_000, decimal_places=2)
    ] = Decimal(30_000)

    @model_validator(mode="after")
    def _removal_within_the_period(self) -> Self:
        if self.early_removal_min_months >= self.listing_years * 12:
            raise ValueError("early_removal_min_months is not shorter than the listing")
        return self
