"""Why a subject is a candidate for listing and where the candidate came from
(DESIGN.md §4 "credit", rules.md §3.1.1, §4.2)."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from shared.amounts import Money
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
