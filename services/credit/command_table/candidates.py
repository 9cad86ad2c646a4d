"""A candidate listing opened by hand or on a case's recommendation, and a case's
later grounds taken into it before the decision."""

from __future__ import annotations

from typing import Any

from services.credit.command_facts import LIMITS, PERSON_KEY, TODAY, CreditContext
from services.credit.command_table.resources import LISTING_NUMBERS, LISTINGS, MISSING
from services.credit.domain import candidate, later_grounds
from services.credit.domain.aggregate import LISTING
from services.credit.domain.candidate import OpenByHand, OpenCandidate
from services.credit.domain.later_grounds import RecordOrderOverdue, UpdateGrounds
from shared.command_table import Numbered, Row


def _opened_in(command: OpenByHand) -> int:
    return command.opened_on.year


ROWS: tuple[Row[Any, CreditContext], ...] = (
    Row(
        OpenByHand,
        LISTING,
        candidate.open_by_hand,
        "Open a candidate listing by hand, with its grounds (the labour "
        "inspection), under the next number of its year. A person's lookup key "
        "is derived here from their ID number, which is kept sealed.",
        facts=(TODAY, PERSON_KEY, LIMITS),
        route=LISTINGS.create("open-by-hand"),
        ids=Numbered(LISTING_NUMBERS, _opened_in),
    ),
    Row(
        OpenCandidate,
        LISTING,
        candidate.open_candidate,
        "Open a candidate listing on a case's recommendation (the process "
        "manager), one per case.",
        facts=(TODAY,),
    ),
    Row(
        UpdateGrounds,
        LISTING,
        later_grounds.update_grounds,
        "Take a case's later recommendation into the candidate's grounds before "
        "the decision (the process manager).",
        facts=(TODAY,),
        not_found=MISSING,
    ),
    Row(
        RecordOrderOverdue,
        LISTING,
        later_grounds.record_order_overdue,
        "Record that the order to pay of a candidate's case lapsed (the process "
        "manager, from cases' missed payment deadline).",
        facts=(TODAY,),
        not_found=MISSING,
    ),
)
