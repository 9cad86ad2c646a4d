"""The opened case's investigation: extended, cancelled, ended by an order to pay,
and at last closed."""

from __future__ import annotations

from typing import Any

from services.cases.command_table.facts import CALENDAR, LIMITS, TODAY
from services.cases.command_table.resources import CASES, NOT_FOUND
from services.cases.domain import investigation
from services.cases.domain.case import CASE
from services.cases.rules import CaseRules
from shared.command_table import Row

ROWS: tuple[Row[Any, CaseRules], ...] = (
    Row(
        investigation.ExtendInvestigation,
        CASE,
        investigation.extend_investigation,
        "Extend the investigation once by 30 working days, with the head's approval.",
        facts=(TODAY, CALENDAR, LIMITS),
        route=CASES.step("extend-investigation"),
        not_found=NOT_FOUND,
    ),
    Row(
        investigation.CancelCase,
        CASE,
        investigation.cancel_case,
        "Cancel the case (撤销立案): minor and already corrected.",
        facts=(TODAY,),
        route=CASES.step("cancel"),
        not_found=NOT_FOUND,
    ),
    Row(
        investigation.OrderPayment,
        CASE,
        investigation.order_payment,
        "Order payment within a time limit, saying how the order was served.",
        facts=(TODAY, LIMITS),
        route=CASES.step("order-payment"),
        not_found=NOT_FOUND,
    ),
)

# Closing comes after payments and the court's enforcement in the table.
CLOSING: tuple[Row[Any, CaseRules], ...] = (
    Row(
        investigation.CloseCase,
        CASE,
        investigation.close_case,
        "Close the case.",
        facts=(TODAY,),
        route=CASES.step("close"),
        not_found=NOT_FOUND,
    ),
)
