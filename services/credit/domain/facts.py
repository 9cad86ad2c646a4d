"""What a listing rests on: the grounds taken from the cases, where the candidate came
from, how the notice was served, and the plain value types of the credit domain
(DESIGN.md §4 "credit", rules.md §3.1.1, §4.2)."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Final

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from shared.amounts import Money
from shared.values import CaseId, Name, Note

DecisionId = Name
"""The number of a listing decision; every listing it covers carries it."""

Channel = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]{1,63}$")]
"""Where a listing is published or shared, kebab-case (`credit-china`)."""

CREDIT_SHARING_PLATFORM: Final = "credit-sharing-platform"
"""信用信息共享平台: the same-level credit information sharing platform, which every
listing is shared to (rules.md §3.1.1 "Publication and sharing")."""

CREDIT_CHINA: Final = "credit-china"
"""The national "信用中国" website, where lists are published."""


class OpenedFrom(StrEnum):
    """How a candidate listing was opened: by a case's recommendation (through the
    process manager) or by hand by the labour inspection."""

    CASE_RECOMMENDATION = "case_recommendation"
    BY_HAND = "by_hand"


class ServiceMethod(StrEnum):
    """送达: how the notice of intent reached the subject; posting it and recording that
    by photo or video, or a public announcement, when the subject cannot be found."""

    IN_PERSON = "in_person"
    MAIL = "mail"
    ELECTRONIC = "electronic"
    POSTED_AND_PHOTOGRAPHED = "posted_and_photographed"
    PUBLIC_ANNOUNCEMENT = "public_announcement"


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
