"""Why a subject is a candidate for listing and where the candidate came from
(DESIGN.md §4 "credit", rules.md §3.1.1, §4.2)."""

from __future__ import annotations

from enum import StrEnum
from typing import Final

from pydantic import BaseModel, ConfigDict, Field

from services.credit.domain.limits import CreditLimits
from shared.amounts import Money
from shared.errors import RuleViolated
from shared.values import CaseId, Note


class OpenedFrom(StrEnum):
    """How a candidate listing was opened: by a case's recommendation (through the
    process manager) or by hand by the labour inspection."""

    CASE_RECOMMENDATION = "case_recommendation"
    BY_HAND = "by_hand"


class Grounds(BaseModel):
    """Why the subject is a candidate (Order 45 art. 5, rules.md §3.1.1): the cases,
    what is owed, and the two alternative grounds: a large amount or a
    群体性事件 (mass or extreme incident), each only after an order to pay went
    unpaid past its date."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    case_ids: tuple[CaseId, ...] = ()
    amount_owed: Money
    months_owed: int = Field(ge=0, le=600)
    workers_count: int = Field(ge=0, le=100_000)
    is_mass_incident: bool = False
    is_order_overdue: bool
    note: Note = ""


# A "large amount" (数额较大, 法释〔2013〕3号 art. 3, rules.md §3.5): a worker unpaid
# for 3 months or more at X1 or more, or 10 workers or more at X2 or more.
ONE_WORKER_MONTHS: Final = 3
MANY_WORKERS: Final = 10


def is_large_amount(grounds: Grounds, limits: CreditLimits) -> bool:
    """Whether what is owed reaches the crime threshold (Order 45 art. 5(1)): any
    worker owed 3 months or more — not only a case of exactly one worker — at X1, or
    10 workers or more at X2."""
    owed = grounds.amount_owed
    some_worker_long_unpaid = (
        grounds.workers_count >= 1
        and grounds.months_owed >= ONE_WORKER_MONTHS
        and owed >= limits.crime_threshold_one_worker
    )
    many = (
        grounds.workers_count >= MANY_WORKERS
        and owed >= limits.crime_threshold_many_workers
    )
    return some_worker_long_unpaid or many


def require_listing_conditions(grounds: Grounds | None, limits: CreditLimits) -> None:
    """Order 45 art. 5: an order to pay went unpaid past its date, **and** the arrears
    reach the crime threshold or caused a mass or extreme incident."""
    if grounds is None or not grounds.is_order_overdue:
        raise RuleViolated(
            "payment-order-not-overdue",
            "No order to pay within a time limit went unpaid past its date "
            "(Order 45 art. 5).",
        )
    if not (grounds.is_mass_incident or is_large_amount(grounds, limits)):
        raise RuleViolated(
            "listing-ground-missing",
            "The arrears neither reach the crime threshold (a worker owed "
            f"{ONE_WORKER_MONTHS} months or more, at least "
            f"¥{limits.crime_threshold_one_worker}; or {MANY_WORKERS} workers or more, "
            f"at least ¥{limits.crime_threshold_many_workers}) nor caused a mass or "
            "extreme incident (Order 45 art. 5(1)–(2)).",
        )
