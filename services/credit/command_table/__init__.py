"""Every credit command: the listing it addresses, its decide function, the facts that
function needs, who may run it (the command's `permitted` roles) and its route.

Routes, the watcher and the process manager all run commands through
`shared.command_pipeline.run` with this table, so a command is handled the same way
whoever sends it. Each capability's rows live in a module of its own; the table lists
them in the order the routes and the OpenAPI operations follow."""

from __future__ import annotations

from services.credit.command_facts import CreditContext
from services.credit.command_table import (
    candidates,
    construction_measures,
    decision,
    early_removal,
    ending,
    notice,
    publication,
)
from services.credit.command_table.resources import ListingIdPath, MeasureIdPath
from services.credit.domain import construction_measures as measures
from services.credit.domain.aggregate import ALLOWED_AFTER
from shared.command_table import CommandTable

__all__ = ["CREDIT_COMMANDS", "ListingIdPath", "MeasureIdPath"]

CREDIT_COMMANDS: CommandTable[CreditContext] = CommandTable(
    (
        *candidates.ROWS,
        *notice.ROWS,
        *decision.ROWS,
        *publication.ROWS,
        *ending.EXPIRY,
        *early_removal.ROWS,
        *ending.REVOCATION,
        *construction_measures.ROWS,
    ),
    transitions=(ALLOWED_AFTER, measures.ALLOWED_AFTER),
)
