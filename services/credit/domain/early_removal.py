"""Early removal on credit repair (提前移出, 信用修复): the employer applies, one
application at a time, and the listing is removed only when every condition holds;
otherwise the application is refused naming each condition not met (rules.md §3.1.1
"Early removal", §4.2).

The payment is the one cases recorded, not the one the employer declares: credit
follows cases' events (`case_outcomes`) and is given, as the fact `payment_on_record`,
the day the listing's arrears were paid in full. The 6 months run from that day, which
must fall within the listing (on or after the decision)."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import ClassVar, Final, Self, assert_never

from pydantic import BaseModel, ConfigDict, model_validator

from services.credit.domain.ending import ended, sanctions_to_lift
from services.credit.domain.limits import CreditLimits
from services.credit.domain.listing import (
    EarlyRemovalApplication,
    EndKind,
    Listing,
    ListingEnd,
    ListingStatus,
    require_status,
)
from shared.dates import BusinessDate, require_date
from shared.domain import Command, Event, Role, WorkingDays
from shared.errors import RuleViolated
from shared.months import has_full_months_passed
from shared.values import Note

_OFFICE: frozenset[Role] = frozenset({Role.OFFICE})


class RefusalReason(StrEnum):
    """Which condition of early removal was not met (rules.md §3.1.1)."""

    NOT_PAID = "not_paid"
    TOO_SOON_AFTER_CORRECTION = "too_soon_after_correction"
    NEW_ARREARS = "new_arrears"
    NO_WRITTEN_COMMITMENT = "no_written_commitment"


class PaymentOnRecord(BaseModel):
    """What cases recorded of the listing's arrears: the cases weighed and the day the
    last of them was paid in full (what was still owed became 0); None while any of
    them still owes something, or when credit knows none of them.

    The cases weighed are the listing's grounds' cases; for a listing opened by hand
    without a case, the cases of the employer (by USCC; a person's listing by its
    employer listing) that cases received by the listing decision and that still owed
    then (`is_owing_on`): a case cleared before the listing is no part of it. With
    none, the payment on record is the evidence the office checked and recorded on
    the listing, naming who checked it (`payment_evidence`); without that, none is."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    case_ids: tuple[str, ...] = ()
    paid_in_full_on: date | None = None


def is_owing_on(day: date, *, cleared_on: date | None, voided_on: date | None) -> bool:
    """Whether a case of the employer still owed wages on `day` (a listing decision):
    not cleared on or before it, and not voided (a complaint rejected, transferred out
    or cancelled is no arrears). Only such cases are weighed for a listing opened by
    hand without a case: one cleared before the listing holds no payment of it."""
    return voided_on is None and (cleared_on is None or cleared_on > day)


def arrears_uscc(listing: Listing, employer: Listing | None) -> str | None:
    """The USCC whose cases are the listing's arrears: the employer's own; for a
    person's listing (which has none), that of the employer listing its decision names
    (`employer`, loaded by the caller)."""
    own = getattr(listing.subject, "uscc", None)
    if own:
        return str(own)
    theirs = None if employer is None else getattr(employer.subject, "uscc", None)
    return str(theirs) if theirs else None


class ApplyForEarlyRemoval(Command):
    permitted: ClassVar[frozenset[Role]] = _OFFICE

    applied_on: BusinessDate
    paid_on: BusinessDate | None = None
    commitment_text: Note = ""

    @model_validator(mode="after")
    def _paid_before_applying(self) -> Self:
        if self.paid_on is not None and self.paid_on > self.applied_on:
            raise ValueError("paid_on is after applied_on")
        return self


class DecideEarlyRemoval(Command):
    permitted: ClassVar[frozenset[Role]] = _OFFICE

    decided_on: BusinessDate


ALLOWED_IN: Final[dict[type[Command], frozenset[ListingStatus]]] = {
    ApplyForEarlyRemoval: frozenset({ListingStatus.ACTIVE}),
    DecideEarlyRemoval: frozenset({ListingStatus.ACTIVE}),
}
"""The statuses in which each command of this capability is a next step."""


class EarlyRemovalApplied(Event):
    """The employer applied for early removal: when it paid (None if it has not), its
    written commitment, and whether new arrears were known then."""

    applied_on: date
    paid_on: date | None
    commitment_text: str
    has_new_arrears: bool


class EarlyRemovalGranted(Event):
    """Every condition of early removal held: the listing is removed and the units
    are to lift the sanctions named."""

    decided_on: date
    sanctions_to_lift: tuple[str, ...]
    lift_due: date | None


class EarlyRemovalRefused(Event):
    """Early removal was refused, naming each condition not met; the listing stays
    in force and the employer may apply again."""

    decided_on: date
    reasons: tuple[RefusalReason, ...]


EarlyRemovalEvent = EarlyRemovalApplied | EarlyRemovalGranted | EarlyRemovalRefused


def evolve_early_removal(listing: Listing, event: EarlyRemovalEvent) -> Listing:
    """The listing with an application pending, without it once refused, or removed."""
    match event:
        case EarlyRemovalApplied():
            application = EarlyRemovalApplication(**dict(event))
            return listing.model_copy(update={"early_removal": application})
        case EarlyRemovalRefused():
            return listing.model_copy(update={"early_removal": None})
        case EarlyRemovalGranted(decided_on=ended_on):
            end = ListingEnd(ended_on=ended_on, how=EndKind.REMOVED)
            return ended(
                listing,
                ListingStatus.REMOVED,
                end,
                to_lift=event.sanctions_to_lift,
                lift_due=event.lift_due,
            )
        case _:
            assert_never(event)


def apply_for_early_removal(
    listing: Listing,
    command: ApplyForEarlyRemoval,
    *,
    today: date,
    has_new_arrears: bool,
    payment_on_record: PaymentOnRecord,
) -> list[EarlyRemovalEvent]:
    """The employer applies to the listing department for early removal, one
    application at a time; the application records whether new arrears of the
    employer were known then (from cases' events). A declared payment day is checked
    against the record now (`require_payment_on_record`); an application without one
    is taken and refused at the decision (not paid)."""
    require_status(listing, {ListingStatus.ACTIVE}, "removed early")
    if listing.early_removal is not None:
        raise RuleViolated(
            "early-removal-pending",
            f"An application of {listing.early_removal.applied_on} awaits a decision.",
        )
    require_date(
        command.applied_on,
        field="applied_on",
        today=today,
        not_before=listing.decision.decided_on if listing.decision else None,
        since="decision",
    )
    if command.paid_on is not None:
        require_payment_on_record(listing, command.paid_on, payment_on_record)
    return [
        EarlyRemovalApplied(
            applied_on=command.applied_on,
            paid_on=command.paid_on,
            commitment_text=command.commitment_text,
            has_new_arrears=has_new_arrears,
        )
    ]


def decide_early_removal(
    listing: Listing,
    command: DecideEarlyRemoval,
    *,
    today: date,
    calendar: WorkingDays,
    limits: CreditLimits,
    has_new_arrears: bool,
    payment_on_record: PaymentOnRecord,
) -> list[EarlyRemovalEvent]:
    """The application is granted, removing the listing, only when every condition
    holds (rules.md §3.1.1 "Early removal"); otherwise it is refused, naming each
    condition not met, and the listing stays in force."""
    require_status(listing, {ListingStatus.ACTIVE}, "removed early")
    application = listing.early_removal
    if application is None:
        raise RuleViolated(
            "no-early-removal-application", "The employer has not applied."
        )
    require_date(
        command.decided_on,
        field="decided_on",
        today=today,
        not_before=application.applied_on,
        since="application",
    )
    reasons = refusal_reasons(
        application,
        limits=limits,
        has_new_arrears=has_new_arrears,
        listed_on=listing.decision.decided_on if listing.decision else None,
        paid_in_full_on=paid_in_full(listing, payment_on_record),
    )
    if reasons:
        return [EarlyRemovalRefused(decided_on=command.decided_on, reasons=reasons)]
    to_lift, lift_due = sanctions_to_lift(listing, today, calendar, limits)
    return [
        EarlyRemovalGranted(
            decided_on=command.decided_on, sanctions_to_lift=to_lift, lift_due=lift_due
        )
    ]


def paid_in_full(listing: Listing, record: PaymentOnRecord) -> date | None:
    """The day the arrears were paid in full on record: cases' record when it weighs
    a case; else, for a listing no case covers, the payment evidence the office
    recorded (`payment_evidence`)."""
    if record.case_ids:
        return record.paid_in_full_on
    evidence = listing.payment_evidence
    return evidence.paid_on if evidence is not None else None


def require_payment_on_record(
    listing: Listing, paid_on: date, record: PaymentOnRecord
) -> None:
    """A declared payment must be a full payment made during the listing and on
    record: 409 `payment-before-listing` when the declared day, or the day cases
    recorded the full payment, is before the listing decision (that arrears paid before
    the decision is a case for revocation, not credit repair); 409
    `payment-not-on-record` when cases recorded no full payment on or before the
    declared day."""
    listed_on = listing.decision.decided_on if listing.decision else None
    paid_in_full_on = paid_in_full(listing, record)
    if listed_on is not None and paid_on < listed_on:
        raise RuleViolated(
            "payment-before-listing",
            f"The payment of {paid_on} is before the listing decision of "
            f"{listed_on}; the 6 months run from full payment during the listing.",
        )
    if paid_in_full_on is None or paid_in_full_on > paid_on:
        cases = ", ".join(record.case_ids) or "none known"
        raise RuleViolated(
            "payment-not-on-record",
            f"Cases recorded no full payment on or before {paid_on} "
            f"(cases: {cases}); record the payment on the case first (or, for a "
            "listing no case covers, the evidence of payment).",
        )
    if listed_on is not None and paid_in_full_on < listed_on:
        raise RuleViolated(
            "payment-before-listing",
            f"Cases recorded full payment on {paid_in_full_on}, before the listing "
            f"decision of {listed_on}.",
        )


def refusal_reasons(
    application: EarlyRemovalApplication,
    *,
    limits: CreditLimits,
    has_new_arrears: bool,
    listed_on: date | None = None,
    paid_in_full_on: date | None = None,
) -> tuple[RefusalReason, ...]:
    """The conditions of early removal not met: wages paid in full, on record (cases)
    no later than the day declared, and during the listing; 6 whole months from that
    recorded payment to the application, counted in calendar months; no new arrears
    during the listing, known at the application or now; and a written commitment
    (rules.md §3.1.1, §4.2)."""
    reasons: list[RefusalReason] = []
    paid_on = application.paid_on
    # Not paid, as the published refusal names it: nothing declared, or no full
    # payment on record by the day declared, or none made during the listing (an
    # application taken before cases' record changed, or before this rule).
    if (
        paid_on is None
        or paid_in_full_on is None
        or paid_in_full_on > paid_on
        or (listed_on is not None and paid_in_full_on < listed_on)
    ):
        reasons.append(RefusalReason.NOT_PAID)
    # 6 whole months from the correction give the right to apply (rules.md §3.1.1).
    elif not has_full_months_passed(
        paid_in_full_on, application.applied_on, limits.early_removal_min_months
    ):
        reasons.append(RefusalReason.TOO_SOON_AFTER_CORRECTION)
    if has_new_arrears or application.has_new_arrears:
        reasons.append(RefusalReason.NEW_ARREARS)
    if not application.commitment_text:
        reasons.append(RefusalReason.NO_WRITTEN_COMMITMENT)
    return tuple(reasons)
