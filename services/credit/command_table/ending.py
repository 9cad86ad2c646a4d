"""How a listing ends: its period runs out, or it is revoked after reconsideration
or a court ruling."""

from __future__ import annotations

from typing import Any

from services.credit.command_facts import TIME_LIMITS, CreditContext
from services.credit.command_table.resources import LISTINGS, MISSING
from services.credit.domain import ending
from services.credit.domain.aggregate import LISTING
from services.credit.domain.ending import ExpireListing, RevokeListing
from shared.command_table import Row

EXPIRY: tuple[Row[Any, CreditContext], ...] = (
    Row(
        ExpireListing,
        LISTING,
        ending.expire_listing,
        "The listing period ran out (the watcher).",
        facts=TIME_LIMITS,
        not_found=MISSING,
    ),
)

# Revocation comes after early removal in the table.
REVOCATION: tuple[Row[Any, CreditContext], ...] = (
    Row(
        RevokeListing,
        LISTING,
        ending.revoke_listing,
        "Revoke the listing after reconsideration or a court ruling.",
        facts=TIME_LIMITS,
        route=LISTINGS.step("revoke"),
        not_found=MISSING,
    ),
)
