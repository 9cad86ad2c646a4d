"""The decision: to list the subject for the listing period once the objection
phase is over, or to spare it before the decision (rules.md §3.1.1, §3.1.3, §4.2)."""

from __future__ import annotations

from datetime import date
from typing import ClassVar, Final, assert_never

from services.credit.domain.grounds import require_listing_conditions
from services.credit.domain.limits import CreditLimits
from services.credit.domain.listing import (
    BEFORE_DECISION,
    Listing,
    ListingDecision,
    ListingStatus,
    NotListedDecision,
    require_status,
)
from services.credit.domain.notice import (
    ObjectionPeriodLapsed,
    objection_deadline,
    served_notice,
)
from services.credit.domain.subjects import EmployerSubject
from shared.dates import BusinessDate, require_date
from shared.domain import Command, Event, Role, WorkingDays
from shared.errors import InvalidInput, RuleViolated
from shared.months import add_years
from shared.values import ListingId, Name, Text

DecisionId = Name
"""The number of a listing decision; every listing it covers carries it."""

_OFFICE: frozenset[Role] = frozenset({Role.OFFICE})

_DECIDABLE = frozenset(
    {
        ListingStatus.NOTICE_SERVED,
        ListingStatus.OBJECTION_FILED,
        ListingStatus.UNDER_REVIEW,
    }
)


class DecideListing(Command):
    permitted: ClassVar[frozenset[Role]] = _OFFICE

    decided_on: BusinessDate
    decision_id: DecisionId
    decided_by: Text
    employer_listing_id: ListingId | None = None


class DecideNotToList(Command):
    permitted: ClassVar[frozenset[Role]] = _OFFICE

    decided_on: BusinessDate
    reason: Text


ALLOWED_IN: Final[dict[type[Command], frozenset[ListingStatus]]] = {
    # Deciding waits for the end of the objection period (rules.md §4.2).
    DecideListing: frozenset({ListingStatus.NOTICE_SERVED, ListingStatus.UNDER_REVIEW}),
    DecideNotToList: BEFORE_DECISION,
}
"""The statuses in which each command of this capability is a next step."""


class ListingDecided(Event):
    """The subject is listed from `decided_on` until `ends_on`; a person's listing
    names the employer's listing of the same decision."""

    decided_on: date
    decision_id: str
    decided_by: str
    ends_on: date
    employer_listing_id: str | None


class NotListed(Event):
    """The subject is not listed, e.g. it paid and gave a written commitment before
    the decision (the cautious-listing clause)."""

    decided_on: date
    reason: str


DecisionEvent = ListingDecided | NotListed


def evolve_decision(listing: Listing, event: DecisionEvent) -> Listing:
    """The listing once decided: listed, or not."""
    match event:
        case ListingDecided():
            decision = ListingDecision(**dict(event))
            return listing.model_copy(
                update={"status": ListingStatus.LISTED, "decision": decision}
            )
        case NotListed(decided_on=decided_on, reason=reason):
            refusal = NotListedDecision(decided_on=decided_on, reason=reason)
            return listing.model_copy(
                update={"status": ListingStatus.NOT_LISTED, "not_listed": refusal}
            )
        case _:
            assert_never(event)


def decide_listing(
    listing: Listing,
    command: DecideListing,
    *,
    today: date,
    calendar: WorkingDays,
    limits: CreditLimits,
    listing_id: str,
    employer_listing: Listing | None = None,
) -> list[ObjectionPeriodLapsed | DecisionEvent]:
    """The subject is listed for the listing period, counted from the decision
    (rules.md §3.1.1), once the objection period lapsed (recorded now if the watcher
    has not yet) or the objection was reviewed and not upheld, the notice was served
    long enough before, and the payment order went unpaid (Order 45 art. 5)."""
    require_status(listing, _DECIDABLE, "decided")
    require_date(
        command.decided_on,
        field="decided_on",
        today=today,
        not_before=served_notice(listing).served_on,
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
) -> list[DecisionEvent]:
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
) -> list[ObjectionPeriodLapsed]:
    if listing.status is ListingStatus.UNDER_REVIEW:
        return []
    due = objection_deadline(listing).due
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
        served_notice(listing).served_on, limits.notice_before_listing_working_days
    ).due
    if decided_on < earliest:
        raise RuleViolated(
            "notice-before-listing",
            f"The notice must be served earlier; the decision may come on {earliest}.",
        )
    require_listing_conditions(listing.grounds, limits)


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
