"""Early removal (credit repair): the office's evidence of full payment for a
listing no case covers, the employer's application and the decision on it."""

from __future__ import annotations

from typing import Any

from services.credit.command_facts import (
    HAS_NEW_ARREARS,
    PAYMENT_ON_RECORD,
    TIME_LIMITS,
    TODAY,
    CreditContext,
)
from services.credit.command_table.resources import LISTINGS, MISSING
from services.credit.domain import early_removal, payment_evidence
from services.credit.domain.aggregate import LISTING
from services.credit.domain.early_removal import (
    ApplyForEarlyRemoval,
    DecideEarlyRemoval,
)
from services.credit.domain.payment_evidence import RecordPaymentEvidence
from shared.command_table import Row

ROWS: tuple[Row[Any, CreditContext], ...] = (
    Row(
        RecordPaymentEvidence,
        LISTING,
        payment_evidence.record_payment_evidence,
        "For a listing no case covers, record the evidence of full payment the "
        "office checked and who checked it (else cases' record is the record).",
        facts=(TODAY, PAYMENT_ON_RECORD),
        route=LISTINGS.step("record-payment-evidence"),
        not_found=MISSING,
    ),
    Row(
        ApplyForEarlyRemoval,
        LISTING,
        early_removal.apply_for_early_removal,
        "The employer applies for early removal (credit repair); a declared "
        "payment must be cases' recorded full payment, during the listing.",
        facts=(TODAY, HAS_NEW_ARREARS, PAYMENT_ON_RECORD),
        route=LISTINGS.step("apply-for-early-removal"),
        not_found=MISSING,
    ),
    Row(
        DecideEarlyRemoval,
        LISTING,
        early_removal.decide_early_removal,
        "Grant early removal if paid in full on record during the listing ≥ 6 "
        "months before applying, no new arrears, committed in writing; else "
        "refuse with reasons.",
        facts=(*TIME_LIMITS, HAS_NEW_ARREARS, PAYMENT_ON_RECORD),
        route=LISTINGS.step("decide-early-removal"),
        not_found=MISSING,
    ),
)
