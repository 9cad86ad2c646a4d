"""The decision to list or not to list."""

from __future__ import annotations

from typing import Any

from services.credit.command_facts import (
    EMPLOYER_LISTING,
    TIME_LIMITS,
    TODAY,
    CreditContext,
)
from services.credit.command_table.resources import LISTINGS, MISSING
from services.credit.domain import decision
from services.credit.domain.aggregate import LISTING
from services.credit.domain.decision import DecideListing, DecideNotToList
from shared.command_table import Row, entity_id

ROWS: tuple[Row[Any, CreditContext], ...] = (
    Row(
        DecideListing,
        LISTING,
        decision.decide_listing,
        "Decide to list (after the objection period or review); the listing "
        "runs 3 years.",
        facts=(*TIME_LIMITS, entity_id("listing_id"), EMPLOYER_LISTING),
        route=LISTINGS.step("decide"),
        not_found=MISSING,
    ),
    Row(
        DecideNotToList,
        LISTING,
        decision.decide_not_to_list,
        "Decide not to list (e.g. paid and committed before the decision).",
        facts=(TODAY,),
        route=LISTINGS.step("decide-not-to-list"),
        not_found=MISSING,
    ),
)
