"""The procedure before a listing: notice of intent, objection and its review or the
lapse of the period, and the decision to list or not (rules.md §3.1.1, §3.1.3, §4.2)."""

from __future__ import annotations

from datetime import date

from services.credit.domain.aggregate import ListingEvent
from services.credit.domain.commands import (
    DecideListing,
    DecideNotToList,
    FileObjection,
    LapseObjectionPeriod,
    ReviewObjection,
    ServeNotice,
)
from services.credit.domain.events import (
    ListingDecided,
    NoticeServed,
    NotListed,
    ObjectionFiled,
    ObjectionPeriodLapsed,
    ObjectionReviewed,
)
from services.credit.domain.limits import CreditLimits
from services.credit.domain.listing import Listing, ListingStatus, Notice
from services.credit.domain.months import add_years
from services.credit.domain.subjects import EmployerSubject
from services.credit.domain.transitions import (
    BEFORE_DECISION,
    refused,
    require_date,
    require_status,
)
from shared.domain import Deadline, WorkingDays
from shared.errors import InvalidInput, RuleViolated

_DECIDABLE = frozenset(
    {
        ListingStatus.NOTICE_SERVED,
        ListingStatus.OBJECTION_FILED,
        ListingStatus.UNDER_REVIEW,
    }
)


def serve_notice(
    listing: Listing,
    command: ServeNotice,
    *,
    today: date,
    calendar: WorkingDays,
    limits: CreditLimits,
) -> list[ListingEvent]:
    """A candidate is served the notice of intent; the objection period starts."""
    require_status(listing, {ListingStatus.CANDIDATE}, "served a notice")
    require_date(
        command.served_on,
        field="served_on",
        today=today,
        not_before=listing.opened_on,
        since="opening",
    )
    # The district's objection period, in working days (rules.md §3.1.3 [N], §4.2)
    deadline = calendar.add_working_days(
        command.served_on, limits.objection_working_days
    )
    return [
        NoticeServed(
            served_on=command.served_on,
            method=command.method,
            objection_deadline=deadline,
        )
    ]


def file_objection(
    listing: Listing, command: FileObjection, *, today: date
) -> list[ListingEvent]:
    """The subject objects once, by the last day of the objection period
    (rules.md §4.2 "ObjectionPeriod → UnderReview")."""
    if listing.status is ListingStatus.UNDER_REVIEW and listing.objection_lapsed_on:
        raise _period_over(listing)
    require_status(listing, {ListingStatus.NOTICE_SERVED}, "objected to")
    notice = _served(listing)
    require_date(
        command.filed_on,
        field="filed_on",
        today=today,
        not_before=notice.served_on,
        since="notice",
    )
    if command.filed_on > _objection_deadline(listing).due:
        raise _period_over(listing)
    return [ObjectionFiled(filed_on=command.filed_on, text=command.text)]


def review_objection(
    listing: Listing, command: ReviewObjection, *, today: date
) -> list[ListingEvent]:
    """A filed objection is checked and upheld or not, with the reasoning."""
    require_status(listing, {ListingStatus.OBJECTION_FILED}, "reviewed")
    filed_on = listing.objection.filed_on if listing.objection else None
    require_date(
        command.reviewed_on,
        field="reviewed_on",
        today=today,
        not_before=filed_on,
        since="objection",
    )
    return [
        ObjectionReviewed(
            reviewed_on=command.reviewed_on,
            upheld=command.upheld,
            reasoning=command.reasoning,
        )
    ]


def lapse_objection_period(
    listing: Listing, command: LapseObjectionPeriod, *, today: date
) -> list[ListingEvent]:
    """The watcher records once that the period passed with no objection; after an
    objection, or once the procedure moved on, it changes nothing."""
    if listing.status in (ListingStatus.NEW, ListingStatus.CANDIDATE):
        raise refused(listing.status, "given an objection period")
    if listing.status is not ListingStatus.NOTICE_SERVED:
        return []
    _require_period_over(listing, today)
    return [ObjectionPeriodLapsed(lapsed_on=today)]


def decide_listing(
    listing: Listing,
    command: DecideListing,
    *,
    today: date,
    calendar: WorkingDays,
    limits: CreditLimits,
    listing_id: str,
    employer_listing: Listing | None = None,
) -> list[ListingEvent]:
    """The subject is listed for the listing period, counted from the decision
    (rules.md §3.1.1), once the objection period lapsed (recorded now if the watcher
    has not yet) or the objection was reviewed and not upheld, the notice was served
    long enough before, and the payment order went unpaid (Order 45 art. 5)."""
    require_status(listing, _DECIDABLE, "decided")
    require_date(
        command.decided_on,
        field="decided_on",
        today=today,
        not_before=_served(listing).served_on,
        since="notice",
    )
    lapsed = _objection_phase_over(listing, command.decided_on, today=today)
    _require_listable(listing, command.decided_on, calendar=calendar, limits=limits)
    _require_link(listing, command.employer_listing_id, listing_id=listing_id)
    if command.employer_listing_id is not None and employer_listing is not None:
        _require_employer_of_decision(employer_listing, command.decision_id)
    decided = ListingDecided(
        decided_on=command.decided_on,
        decision_id=command.decision_id,
        decided_by=command.decided_by,
        ends_on=add_years(command.decided_on, limits.listing_years),
        employer_listing_id=command.employer_listing_id,
    )
    return [*lapsed, decided]


def decide_not_to_list(
    listing: Listing, command: DecideNotToList, *, today: date
) -> list[ListingEvent]:
    """Before the decision a candidate may be spared, with the reason: e.g. it already
    paid and gave a written commitment (the cautious-listing clause, rules.md §3.1.1),
    or its objection was upheld."""
    require_status(listing, BEFORE_DECISION, "spared listing")
    require_date(
        command.decided_on,
        field="decided_on",
        today=today,
        not_before=listing.opened_on,
        since="opening",
    )
    return [NotListed(decided_on=command.decided_on, reason=command.reason)]


def _objection_phase_over(
    listing: Listing, decided_on: date, *, today: date
) -> list[ListingEvent]:
    if listing.status is ListingStatus.UNDER_REVIEW:
        return []
    due = _objection_deadline(listing).due
    if listing.status is ListingStatus.NOTICE_SERVED and decided_on > due:
        return [ObjectionPeriodLapsed(lapsed_on=today)]
    raise RuleViolated(
        "objection-period-running",
        f"The objection period runs until {due} and any objection must be reviewed "
        "before the decision.",
    )


def _require_listable(
    listing: Listing, decided_on: date, *, calendar: WorkingDays, limits: CreditLimits
) -> None:
    if listing.objection is not None and listing.objection.is_upheld:
        raise RuleViolated(
            "objection-upheld", "The objection was upheld; decide not to list."
        )
    # The notice comes a district-set number of working days before the decision
    # (rules.md §3.1.3 [N]; Henan 2017: 3 [L]).
    earliest = calendar.add_working_days(
        _served(listing).served_on, limits.notice_before_listing_working_days
    ).due
    if decided_on < earliest:
        raise RuleViolated(
            "notice-before-listing",
            f"The notice must be served earlier; the decision may come on {earliest}.",
        )
    # Listing needs an order to pay that went unpaid past its date (Order 45 art. 5).
    if listing.grounds is None or not listing.grounds.is_order_overdue:
        raise RuleViolated(
            "payment-order-not-overdue",
            "No order to pay within a time limit went unpaid past its date.",
        )


def _require_link(
    listing: Listing, employer_listing_id: str | None, *, listing_id: str
) -> None:
    is_employer = isinstance(listing.subject, EmployerSubject)
    if is_employer and employer_listing_id is not None:
        raise InvalidInput(
            field="employer_listing_id",
            rule="employer_not_linked",
            detail="An employer's listing does not name another employer listing.",
        )
    if not is_employer and employer_listing_id in (None, listing_id):
        raise InvalidInput(
            field="employer_listing_id",
            rule="person_linked_to_employer",
            detail="A person's listing names the employer's listing of its decision.",
        )


def _require_employer_of_decision(employer: Listing, decision_id: str) -> None:
    # One decision lists the employer and its persons together (rules.md §4.2).
    if not isinstance(employer.subject, EmployerSubject):
        raise InvalidInput(
            field="employer_listing_id",
            rule="employer_listing_known",
            detail="The named listing is not an employer's listing.",
        )
    decision = employer.decision
    if decision is not None and decision.decision_id != decision_id:
        raise InvalidInput(
            field="employer_listing_id",
            rule="same_decision",
            detail=f"The employer was listed under decision {decision.decision_id}.",
        )


def _require_period_over(listing: Listing, today: date) -> None:
    due = _objection_deadline(listing).due
    # The subject may object until the end of the last day (rules.md §4.2).
    if today <= due:
        raise RuleViolated(
            "objection-period-running", f"The objection period runs until {due}."
        )


def _period_over(listing: Listing) -> RuleViolated:
    due = _objection_deadline(listing).due
    return RuleViolated(
        "objection-period-over", f"The objection period ended on {due}."
    )


def _served(listing: Listing) -> Notice:
    if listing.notice is None:
        raise refused(listing.status, "decided without a notice")
    return listing.notice


def _objection_deadline(listing: Listing) -> Deadline:
    if listing.objection_deadline is None:
        raise refused(listing.status, "objected to without a notice")
    return listing.objection_deadline
