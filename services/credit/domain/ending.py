"""The end of a listing: expiry after the listing period, early removal on credit
repair, revocation on appeal; each end asks every unit to lift its sanction
(rules.md §3.1.1, §4.2)."""

from __future__ import annotations

from datetime import date

from services.credit.domain.aggregate import ListingEvent
from services.credit.domain.commands import (
    ApplyForEarlyRemoval,
    DecideEarlyRemoval,
    ExpireListing,
    RevokeListing,
)
from services.credit.domain.end_events import (
    EarlyRemovalApplied,
    EarlyRemovalGranted,
    EarlyRemovalRefused,
    ListingExpired,
    ListingRevoked,
    RefusalReason,
)
from services.credit.domain.limits import CreditLimits
from services.credit.domain.listing import (
    IN_FORCE,
    EarlyRemovalApplication,
    Listing,
    ListingStatus,
)
from services.credit.domain.months import has_full_months_passed
from services.credit.domain.sanctions import SanctionTaskStatus
from services.credit.domain.transitions import (
    ENDED,
    refused,
    require_date,
    require_status,
)
from shared.domain import WorkingDays
from shared.errors import RuleViolated


def expire_listing(
    listing: Listing,
    command: ExpireListing,
    *,
    today: date,
    calendar: WorkingDays,
    limits: CreditLimits,
) -> list[ListingEvent]:
    """The watcher expires a listing on the day its period ends (rules.md §3.1.1:
    3 years from the decision), once; a listing already ended changes nothing."""
    if listing.status in ENDED:
        return []
    require_status(listing, IN_FORCE, "expired")
    if listing.decision is None:
        raise refused(listing.status, "expired without a decision")
    ends_on = listing.decision.ends_on
    # In force up to the day before the same date 3 years on (rules.md §3.1.1).
    if today < ends_on:
        raise RuleViolated(
            "not-yet-expired",
            f"The listing is in force until the day before {ends_on}.",
        )
    to_lift, lift_due = _sanctions_to_lift(listing, today, calendar, limits)
    return [
        ListingExpired(expired_on=ends_on, sanctions_to_lift=to_lift, lift_due=lift_due)
    ]


def apply_for_early_removal(
    listing: Listing,
    command: ApplyForEarlyRemoval,
    *,
    today: date,
    has_new_arrears: bool,
) -> list[ListingEvent]:
    """The employer applies to the listing department for early removal, one
    application at a time; the application records whether new arrears of the
    employer were known then (from cases' events)."""
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
) -> list[ListingEvent]:
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
        application, limits=limits, has_new_arrears=has_new_arrears
    )
    if reasons:
        return [EarlyRemovalRefused(decided_on=command.decided_on, reasons=reasons)]
    to_lift, lift_due = _sanctions_to_lift(listing, today, calendar, limits)
    return [
        EarlyRemovalGranted(
            decided_on=command.decided_on, sanctions_to_lift=to_lift, lift_due=lift_due
        )
    ]


def refusal_reasons(
    application: EarlyRemovalApplication,
    *,
    limits: CreditLimits,
    has_new_arrears: bool,
) -> tuple[RefusalReason, ...]:
    """The conditions of early removal not met: wages paid; 6 whole months from the
    correction (the payment) to the application, counted in calendar months; no new
    arrears during the listing, known at the application or now; and a written
    commitment (rules.md §3.1.1)."""
    reasons: list[RefusalReason] = []
    if application.paid_on is None:
        reasons.append(RefusalReason.NOT_PAID)
    # 6 whole months from the correction give the right to apply (rules.md §3.1.1).
    elif not has_full_months_passed(
        application.paid_on, application.applied_on, limits.early_removal_min_months
    ):
        reasons.append(RefusalReason.TOO_SOON_AFTER_CORRECTION)
    if has_new_arrears or application.has_new_arrears:
        reasons.append(RefusalReason.NEW_ARREARS)
    if not application.commitment_text:
        reasons.append(RefusalReason.NO_WRITTEN_COMMITMENT)
    return tuple(reasons)


def revoke_listing(
    listing: Listing,
    command: RevokeListing,
    *,
    today: date,
    calendar: WorkingDays,
    limits: CreditLimits,
) -> list[ListingEvent]:
    """A reconsideration body or a court set the listing decision aside; the listing
    ends and its sanctions are to be lifted (rules.md §4.2 "→ Revoked")."""
    require_status(listing, IN_FORCE, "revoked")
    require_date(
        command.revoked_on,
        field="revoked_on",
        today=today,
        not_before=listing.decision.decided_on if listing.decision else None,
        since="decision",
    )
    to_lift, lift_due = _sanctions_to_lift(listing, today, calendar, limits)
    return [
        ListingRevoked(
            revoked_on=command.revoked_on,
            by=command.by,
            reference=command.reference,
            sanctions_to_lift=to_lift,
            lift_due=lift_due,
        )
    ]


def _sanctions_to_lift(
    listing: Listing, today: date, calendar: WorkingDays, limits: CreditLimits
) -> tuple[tuple[str, ...], date | None]:
    # Every task not lifted, applied or not: each unit confirms nothing remains. Units
    # learn of the end today and confirm within the same working days as applying
    # (rules.md §4.2 "Removal propagates"; the limit is local, §3.1.5).
    to_lift = tuple(
        t.task_id
        for t in listing.sanction_tasks
        if t.status is not SanctionTaskStatus.LIFTED
    )
    if not to_lift:
        return (), None
    return to_lift, calendar.add_working_days(
        today, limits.sanction_confirm_working_days
    ).due
