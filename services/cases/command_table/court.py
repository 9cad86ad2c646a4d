"""The court's enforcement, recorded by the court's unit or the office: accepted,
property preserved, execution in advance, what it realised."""

from __future__ import annotations

from typing import Any

from services.cases.command_table.facts import ACTING, TODAY
from services.cases.command_table.resources import CASES, NOT_FOUND
from services.cases.domain import court
from services.cases.domain.case import CASE
from services.cases.rules import CaseRules
from shared.command_table import Row

ROWS: tuple[Row[Any, CaseRules], ...] = (
    Row(
        court.RecordEnforcementAccepted,
        CASE,
        court.record_enforcement_accepted,
        "The court accepted the application for enforcement (court or office).",
        facts=(TODAY, ACTING),
        route=CASES.step("record-enforcement-accepted"),
        not_found=NOT_FOUND,
    ),
    Row(
        court.RecordPropertyPreservation,
        CASE,
        court.record_property_preservation,
        "The court ordered the employer's property preserved (court or office).",
        facts=(TODAY, ACTING),
        route=CASES.step("record-property-preservation"),
        not_found=NOT_FOUND,
    ),
    Row(
        court.RecordAdvanceExecution,
        CASE,
        court.record_advance_execution,
        "The court ordered execution in advance (court or office).",
        facts=(TODAY, ACTING),
        route=CASES.step("record-advance-execution"),
        not_found=NOT_FOUND,
    ),
    Row(
        court.RecordEnforcementOutcome,
        CASE,
        court.record_enforcement_outcome,
        "What the enforcement realised, added to what is recovered (court or office).",
        facts=(TODAY, ACTING),
        route=CASES.step("record-enforcement-outcome"),
        not_found=NOT_FOUND,
        description="Record what the court's enforcement realised (执行到位), with "
        "its document number; the amount adds to what is recovered, and "
        "`is_concluded` ends the enforcement. Staff of the court's unit or the "
        "office; 403 for another unit, 409 `enforcement-not-accepted` before the "
        "acceptance, `court-enforcement-concluded` after the end, "
        "`invalid-transition` unless the case is under court enforcement; 422 "
        "`not_before_acceptance` / `not_in_future` for the date.",
    ),
)
