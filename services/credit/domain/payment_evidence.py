"""Payment evidence for a listing no case of cases covers (opened by hand without a
case, and cases knows no case of the employer): the office records the evidence of
full payment it checked and who checked it, so the payment is on record for early
removal (rules.md §4.2) as cases' record is for every other listing."""

from __future__ import annotations

from datetime import date
from typing import ClassVar, Final, assert_never

from services.credit.domain.early_removal import PaymentOnRecord
from services.credit.domain.listing import (
    Listing,
    ListingStatus,
    PaymentEvidence,
    require_status,
)
from shared.dates import BusinessDate, require_date
from shared.domain import Command, Event, Role
from shared.errors import RuleViolated
from shared.values import Name, Text


class RecordPaymentEvidence(Command):
    permitted: ClassVar[frozenset[Role]] = frozenset({Role.OFFICE})

    paid_on: BusinessDate
    evidence: Text
    verified_by: Name


ALLOWED_IN: Final[dict[type[Command], frozenset[ListingStatus]]] = {
    RecordPaymentEvidence: frozenset({ListingStatus.ACTIVE}),
}
"""The statuses in which each command of this capability is a next step."""


class PaymentEvidenceRecorded(Event):
    """The office checked evidence that the employer paid in full on `paid_on`; the
    person who checked it is named."""

    paid_on: date
    evidence: str
    verified_by: str


PaymentEvidenceEvent = PaymentEvidenceRecorded


def evolve_payment_evidence(listing: Listing, event: PaymentEvidenceEvent) -> Listing:
    """The listing with the payment evidence on record (a later one replaces it)."""
    match event:
        case PaymentEvidenceRecorded():
            evidence = PaymentEvidence(**dict(event))
            return listing.model_copy(update={"payment_evidence": evidence})
        case _:
            assert_never(event)


def record_payment_evidence(
    listing: Listing,
    command: RecordPaymentEvidence,
    *,
    today: date,
    payment_on_record: PaymentOnRecord,
) -> list[PaymentEvidenceEvent]:
    """Only for an active listing no case covers: where cases weighs a case, its
    recorded payments are the record (409 `payment-recorded-in-cases`). The payment is
    dated within the listing, from the decision to today."""
    require_status(listing, ALLOWED_IN[RecordPaymentEvidence], "given payment evidence")
    if is_covered_by_cases(listing, payment_on_record):
        cases = ", ".join(payment_on_record.case_ids) or "the grounds' cases"
        raise RuleViolated(
            "payment-recorded-in-cases",
            f"The listing's arrears are in cases ({cases}): record the payment there.",
        )
    require_date(
        command.paid_on,
        field="paid_on",
        today=today,
        not_before=listing.decision.decided_on if listing.decision else None,
        since="decision",
    )
    return [
        PaymentEvidenceRecorded(
            paid_on=command.paid_on,
            evidence=command.evidence,
            verified_by=command.verified_by,
        )
    ]


def is_covered_by_cases(listing: Listing, record: PaymentOnRecord) -> bool:
    """Whether cases hold the listing's payment: its grounds name cases, or cases
    weighs one of the employer's (`PaymentOnRecord`: for a listing opened by hand, the
    cases still owing at the decision). The one rule that refuses payment evidence and
    that `allowed_next` leaves it out by."""
    return bool(record.case_ids or (listing.grounds and listing.grounds.case_ids))
