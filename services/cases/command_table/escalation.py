"""Escalations: a mass incident or an absconded employer flagged, and a time limit
missed (recorded by the deadline watcher)."""

from __future__ import annotations

from typing import Any

from services.cases.command_table.facts import ACTING, CASE_ID, LIMITS, TODAY
from services.cases.command_table.resources import CASES, NOT_FOUND
from services.cases.domain import escalation
from services.cases.domain.case import CASE
from services.cases.rules import CaseRules
from shared.command_table import Row

FLAGS: tuple[Row[Any, CaseRules], ...] = (
    Row(
        escalation.FlagMassIncident,
        CASE,
        escalation.flag_mass_incident,
        "Flag a mass incident (office or police); the employer is recommended for "
        "credit punishment.",
        facts=(TODAY, CASE_ID, ACTING),
        route=CASES.step("flag-mass-incident"),
        not_found=NOT_FOUND,
    ),
    Row(
        escalation.FlagEmployerAbsconded,
        CASE,
        escalation.flag_employer_absconded,
        "Flag that the employer absconded (office or police).",
        facts=(TODAY, ACTING),
        route=CASES.step("flag-employer-absconded"),
        not_found=NOT_FOUND,
    ),
)

DEADLINES: tuple[Row[Any, CaseRules], ...] = (
    # Run by the deadline watcher only: no route.
    Row(
        escalation.RecordDeadlineMissed,
        CASE,
        escalation.record_deadline_missed,
        "A time limit passed with its step not done.",
        facts=(TODAY, LIMITS, CASE_ID),
        not_found=NOT_FOUND,
    ),
)
