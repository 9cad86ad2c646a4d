"""What is recovered after the order to pay: payments, the overdue handling decision
(extra compensation) and the application to the court for enforcement."""

from __future__ import annotations

from typing import Any

from services.cases.command_table.facts import LIMITS, TODAY
from services.cases.command_table.resources import CASES, NOT_FOUND
from services.cases.domain import payments
from services.cases.domain.case import CASE
from services.cases.rules import CaseRules
from shared.command_table import Row

ROWS: tuple[Row[Any, CaseRules], ...] = (
    Row(
        payments.RecordPayment,
        CASE,
        payments.record_payment,
        "Record a payment recovered; partial payments add up.",
        facts=(TODAY,),
        route=CASES.step("record-payment"),
        not_found=NOT_FOUND,
    ),
    Row(
        payments.DecideHandling,
        CASE,
        payments.decide_handling,
        "Overdue: decide extra compensation of 50–100 % of what is still owed.",
        facts=(TODAY, LIMITS),
        route=CASES.step("decide-handling"),
        not_found=NOT_FOUND,
    ),
    Row(
        payments.ApplyCourtEnforcement,
        CASE,
        payments.apply_court_enforcement,
        "Apply to the court to enforce an unpaid decision.",
        facts=(TODAY,),
        route=CASES.step("apply-court-enforcement"),
        not_found=NOT_FOUND,
    ),
)
