"""The facts the construction bureau's measures are decided with: who acts, what the
measure is tied to (a listing's status, a case credit heard of) and whether the
employer paid in full (cases' record, `case_outcomes`)."""

from __future__ import annotations

from services.credit.command_facts import CreditContext, paid_in_full, payment_on_record
from services.credit.domain.aggregate import LISTING
from services.credit.domain.construction_measures import (
    MEASURE,
    MeasureTarget,
    RecordConstructionMeasure,
    payment_for_measure,
)
from services.credit.domain.early_removal import PaymentOnRecord
from services.credit.domain.listing import ListingStatus
from shared.command_table import Fact, Scope, acting, fact
from shared.domain import Command
from shared.duties import Acting
from shared.handling import load


async def _measure_target(
    scope: Scope[RecordConstructionMeasure, object],
) -> MeasureTarget:
    command = scope.command
    status = None
    if command.listing_id is not None:
        listing, _ = await load(scope.store, LISTING, command.listing_id)
        status = None if listing.status is ListingStatus.NEW else listing.status
    is_case_known = command.case_id is not None and bool(
        await scope.pool.fetchval(
            "SELECT 1 FROM case_outcomes WHERE case_stream = $1"
            " AND received_on IS NOT NULL",
            f"case-{command.case_id}",
        )
    )
    return MeasureTarget(listing_status=status, is_case_known=is_case_known)


async def _measure_payment(scope: Scope[Command, object]) -> PaymentOnRecord:
    """The payment a measure is lifted on: its listing's, weighed as early removal
    weighs it (evidence included), or its case's record (`payment_for_measure`)."""
    measure, _ = await load(scope.store, MEASURE, scope.entity_id)
    if measure.listing_id is not None:
        listing, _ = await load(scope.store, LISTING, measure.listing_id)
        record = await payment_on_record(scope.store, scope.pool, listing)
        return payment_for_measure(listing, record)
    streams = [] if measure.case_id is None else [f"case-{measure.case_id}"]
    return payment_for_measure(None, await paid_in_full(scope.pool, streams))


ACTING: Fact[Acting, Command, CreditContext] = acting(
    lambda context: context.rules.duty_units
)
MEASURE_TARGET: Fact[MeasureTarget, RecordConstructionMeasure, object] = fact(
    "measure_target", _measure_target
)
MEASURE_PAYMENT: Fact[PaymentOnRecord, Command, object] = fact(
    "measure_payment", _measure_payment
)
