"""The case assigned (交办) to a lead unit and helping units, their progress and a
mis-routed assignment returned."""

from __future__ import annotations

from typing import Any

from services.cases.command_table.facts import ACTOR_UNIT, LIMITS, TODAY, UNITS
from services.cases.command_table.resources import CASES, NOT_FOUND
from services.cases.domain import assignment
from services.cases.domain.case import CASE
from services.cases.rules import CaseRules
from shared.command_table import Row

ROWS: tuple[Row[Any, CaseRules], ...] = (
    Row(
        assignment.AssignCase,
        CASE,
        assignment.assign_case,
        "Assign (交办) the case to a lead unit and helping units with a due date; re-assigns a returned case.",
        facts=(TODAY, UNITS, LIMITS),
        route=CASES.step("assign"),
        not_found=NOT_FOUND,
    ),
    Row(
        assignment.ReportProgress,
        CASE,
        assignment.report_progress,
        "An assigned unit reports progress.",
        facts=(TODAY, ACTOR_UNIT),
        route=CASES.step("report-progress"),
        not_found=NOT_FOUND,
    ),
    Row(
        assignment.ReturnAssignment,
        CASE,
        assignment.return_assignment,
        "The lead unit returns a mis-routed assignment with a reason.",
        facts=(ACTOR_UNIT,),
        route=CASES.step("return-assignment"),
        not_found=NOT_FOUND,
    ),
)
