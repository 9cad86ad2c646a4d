"""A possible duplicate flagged at intake, confirmed (the case is refused as the
earlier case's duplicate) or dismissed."""

from __future__ import annotations

from typing import Any

from services.cases.command_table.facts import TODAY
from services.cases.command_table.resources import CASES, NOT_FOUND
from services.cases.domain import duplicates
from services.cases.domain.case import CASE
from services.cases.rules import CaseRules
from shared.command_table import Row

ROWS: tuple[Row[Any, CaseRules], ...] = (
    Row(
        duplicates.ConfirmDuplicate,
        CASE,
        duplicates.confirm_duplicate,
        "Confirm a possible duplicate: the case is refused as the earlier case's duplicate.",
        facts=(TODAY,),
        route=CASES.step("confirm-duplicate"),
        not_found=NOT_FOUND,
    ),
    Row(
        duplicates.DismissDuplicate,
        CASE,
        duplicates.dismiss_duplicate,
        "Dismiss a possible-duplicate flag with a reason: the case goes on.",
        facts=(TODAY,),
        route=CASES.step("dismiss-duplicate"),
        not_found=NOT_FOUND,
    ),
)
