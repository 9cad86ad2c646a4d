"""The district's time limits and thresholds for cases (`[limits.cases]` in
`deploy/district.toml`); the defaults are the national figures of rules.md §3.4–3.5."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from services.cases.domain.particulars import Rate

_Days = Annotated[int, Field(ge=1, le=366)]
_Yuan = Annotated[Decimal, Field(max_digits=14, decimal_places=2)]


class CaseLimits(BaseModel):
    """How long each step of a case may take and when arrears become a crime."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    # 5 working days to accept or refuse (rules.md §3.4.1 item 2)
    acceptance_working_days: _Days = 5
    # 60 working days from opening, once +30 with the head's approval (rules.md §3.4.1 item 7)
    investigation_working_days: _Days = 60
    extension_working_days: _Days = 30
    # Calendar days: the head decides on a referral within 3 days and it reaches the
    # police within 24 hours (310号令 art. 5, rules.md §3.5)
    referral_approval_days: _Days = 3
    police_transfer_days: _Days = 1
    # The police answer within 3 days (310号令 art. 8); the agency may ask them to
    # reconsider within 3 days, they answer within 3, and it may then turn to the
    # procuratorate within 3 (art. 9, rules.md §3.5)
    police_answer_days: _Days = 3
    reconsideration_request_days: _Days = 3
    police_reconsideration_days: _Days = 3
    procuratorate_request_days: _Days = 3
    # Penalties (行政处罚法, rules.md §3.4.1 item 11): a hearing is asked for within 5
    # days of the notice and notified 7 days ahead, working days both (arts. 64, 85);
    # the decision comes within 90 days of 立案 (art. 60); the fine is paid within 15
    # days of the decision (art. 67), then 3 % of it a day is added, at most the fine
    # itself (art. 72).
    hearing_request_working_days: _Days = 5
    hearing_notice_working_days: _Days = 7
    penalty_decision_days: _Days = 90
    fine_payment_days: _Days = 15
    late_surcharge_rate: Annotated[Rate, Field(gt=0)] = Decimal("0.03")
    # "数额较大": each province fixes X1 within ¥5,000–20,000 and X2 within
    # ¥30,000–100,000 (法释〔2013〕3号 art. 3, rules.md §3.5); Qinghai's is not known,
    # so a district must state them.
    crime_threshold_one_worker: Annotated[_Yuan, Field(ge=5_000, le=20_000)]
    crime_threshold_many_workers: Annotated[_Yuan, Field(ge=30_000, le=100_000)]
    # Extra compensation of 50 %–100 % of the amount due (条例 art. 26, rules.md §3.4.1)
    compensation_rate_min: Annotated[Rate, Field(ge=Decimal("0.5"))] = Decimal("0.5")
    compensation_rate_max: Annotated[Rate, Field(ge=Decimal("0.5"))] = Decimal("1.0")
    # How far ahead the office may set a date to pay or an assignment's due date; a
    # later one is a typing error (a local rule, no national figure).
    max_years_ahead: Annotated[int, Field(ge=1, le=50)] = 5
    # A new case for the same employer as an open case received this many calendar
    # days before, with a worker or the project in common, is flagged as a possible
    # duplicate (issue 14; a local rule, no national figure).
    duplicate_window_days: _Days = 90

    @model_validator(mode="after")
    def _rates_in_order(self) -> Self:
        if self.compensation_rate_min > self.compensation_rate_max:
            raise ValueError("compensation_rate_min is above compensation_rate_max")
        return self
