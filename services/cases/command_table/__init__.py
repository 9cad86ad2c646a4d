"""Every cases command as one row: its decide function, the facts it needs, who may run
it (the command's `permitted`), its route and, for a new case, its number. Routes, the
deadline watcher and the process managers all run commands through this table
(`shared.command_pipeline.run`), so a command is handled the same way whoever sends it.

Each capability's rows live in a module of its own; the table lists them in the order
the routes and the OpenAPI operations follow."""

from __future__ import annotations

from services.cases.command_table import (
    assignment,
    court,
    criminal,
    duplicates,
    escalation,
    intake,
    investigation,
    payments,
    penalty,
    personal_data,
)
from services.cases.command_table.resources import CaseId
from services.cases.domain.case import (
    ALLOWED_AFTER,
    ALLOWED_AFTER_CRIMINAL,
    ALLOWED_AFTER_DUPLICATE,
    ALLOWED_AFTER_PENALTY,
)
from services.cases.rules import CaseRules
from shared.command_table import CommandTable

__all__ = ["COMMANDS", "CaseId"]

COMMANDS: CommandTable[CaseRules] = CommandTable(
    (
        *intake.RECEIVING,
        *duplicates.ROWS,
        *intake.ACCEPTING,
        *investigation.ROWS,
        *payments.ROWS,
        *court.ROWS,
        *investigation.CLOSING,
        *criminal.ROWS,
        *penalty.ROWS,
        *assignment.ROWS,
        *escalation.FLAGS,
        *personal_data.ROWS,
        *escalation.DEADLINES,
    ),
    transitions=(
        ALLOWED_AFTER,
        ALLOWED_AFTER_CRIMINAL,
        ALLOWED_AFTER_PENALTY,
        ALLOWED_AFTER_DUPLICATE,
    ),
)
