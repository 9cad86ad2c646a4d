"""The notice of intent and the objection: the notice starts the objection period; the
subject objects within it and the objection is reviewed, or the period lapses
(rules.md §3.1.1, §3.1.3, §4.2 "ObjectionPeriod → UnderReview")."""

from __future__ import annotations

from datetime import date
from typing import ClassVar, Final, assert_never

from services.credit.domain.limits import CreditLimits
from services.credit.domain.listing import (
    Listing,
    ListingStatus,
    Notice,
    Objection,
    ServiceMethod,
    refused,
    require_status,
)
from shared.dates import BusinessDate, require_date
from shared.domain import Command, Deadline, Event, Role, WorkingDays
from shared.errors import RuleViolated
from shared.values import Text

_OFFICE: frozenset[Role] = frozenset({Role.OFFICE})
_WATCHER: frozenset[Role] = frozenset({Role.SYSTEM})


class ServeNotice(Command):
    permitted: ClassVar[frozenset[Role]] = _OFFICE

    served_on: BusinessDate
    method: ServiceMethod


class FileObjection(Command):
    permitted: ClassVar[frozenset[Role]] = _OFFICE

    filed_on: BusinessDate
    text: Text


class ReviewObjection(Command):
    permitted: ClassVar[frozenset[Role]] = _OFFICE

    reviewed_on: BusinessDate
    upheld: bool
    reasoning: Text


class LapseObjectionPeriod(Command):
    # Run by the objection watcher only, once the period has passed.
    permitted: ClassVar[frozenset[Role]] = _WATCHER


ALLOWED_IN: Final[dict[type[Command], frozenset[ListingStatus]]] = {
    ServeNotice: frozenset({ListingStatus.CANDIDATE}),
    FileObjection: frozenset({ListingStatus.NOTICE_SERVED}),
    ReviewObjection: frozenset({ListingStatus.OBJECTION_FILED}),
    LapseObjectionPeriod: frozenset({ListingStatus.NOTICE_SERVED}),
}
"""The statuses in which each command of this capability is a next step."""


class NoticeServed(Event):
    """The notice of intent was served; the objection period runs to its deadline."""

    served_on: date
    method: ServiceMethod
    objection_deadline: Deadline


class ObjectionFiled(Event):
    """The subject objected within the period."""

    filed_on: date
    text: str


class ObjectionReviewed(Event):
    """The objection was checked: upheld (the listing cannot go ahead on these
    grounds) or not, with the reasoning."""

    reviewed_on: date
    upheld: bool
    reasoning: str


class ObjectionPeriodLapsed(Event):
    """The objection period ran out with no objection; recorded once."""

    lapsed_on: date


NoticeEvent = NoticeServed | ObjectionFiled | ObjectionReviewed | ObjectionPeriodLapsed


def evolve_notice(listing: Listing, event: NoticeEvent) -> Listing:
    """The listing after its notice, an objection and its review, or the lapse."""
    match event:
        case NoticeServed(objection_deadline=deadline):
            notice = Notice(served_on=event.served_on, method=event.method)
            return _moved(
                listing,
                ListingStatus.NOTICE_SERVED,
                notice=notice,
                objection_deadline=deadline,
            )
        case ObjectionFiled(filed_on=filed_on, text=text):
            objection = Objection(filed_on=filed_on, text=text)
            return _moved(listing, ListingStatus.OBJECTION_FILED, objection=objection)
        case ObjectionReviewed():
            return _reviewed(listing, event)
        case ObjectionPeriodLapsed(lapsed_on=lapsed_on):
            return _moved(
                listing, ListingStatus.UNDER_REVIEW, objection_lapsed_on=lapsed_on
            )
        case _:
            assert_never(event)


def serve_notice(
    listing: Listing,
    command: ServeNotice,
    *,
    today: date,
    calendar: WorkingDays,
    limits: CreditLimits,
) -> list[NoticeEvent]:
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
) -> list[NoticeEvent]:
    """The subject objects once, by the last day of the objection period
    (rules.md §4.2 "ObjectionPeriod → UnderReview")."""
    if listing.status is ListingStatus.UNDER_REVIEW and listing.objection_lapsed_on:
        raise _period_over(listing)
    require_status(listing, {ListingStatus.NOTICE_SERVED}, "objected to")
    notice = served_notice(listing)
    require_date(
        command.filed_on,
        field="filed_on",
        today=today,
        not_before=notice.served_on,
        since="notice",
    )
    if command.filed_on > objection_deadline(listing).due:
        raise _period_over(listing)
    return [ObjectionFiled(filed_on=command.filed_on, text=command.text)]


def review_objection(
    listing: Listing, command: ReviewObjection, *, today: date
) -> list[NoticeEvent]:
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
) -> list[NoticeEvent]:
    """The watcher records once that the period passed with no objection; after an
    objection, or once the procedure moved on, it changes nothing."""
    if listing.status in (ListingStatus.NEW, ListingStatus.CANDIDATE):
        raise refused(listing.status, "given an objection period")
    if listing.status is not ListingStatus.NOTICE_SERVED:
        return []
    _require_period_over(listing, today)
    return [ObjectionPeriodLapsed(lapsed_on=today)]


def _require_period_over(listing: Listing, today: date) -> None:
    due = objection_deadline(listing).due
    # The subject may object until the end of the last day (rules.md §4.2).
    if today <= due:
        raise RuleViolated(
            "objection-period-running", f"The objection period runs until {due}."
        )


def _period_over(listing: Listing) -> RuleViolated:
    due = objection_deadline(listing).due
    return RuleViolated(
        "objection-period-over", f"The objection period ended on {due}."
    )


def served_notice(listing: Listing) -> Notice:
    """The notice served; a listing without one is refused the step."""
    if listing.notice is None:
        raise refused(listing.status, "decided without a notice")
    return listing.notice


def objection_deadline(listing: Listing) -> Deadline:
    """The last day to object; a listing without a notice is refused the step."""
    if listing.objection_deadline is None:
        raise refused(listing.status, "objected to without a notice")
    return listing.objection_deadline


def _reviewed(listing: Listing, event: ObjectionReviewed) -> Listing:
    objection = listing.objection
    if objection is None:
        return _moved(listing, ListingStatus.UNDER_REVIEW)
    reviewed = objection.model_copy(
        update={
            "reviewed_on": event.reviewed_on,
            "is_upheld": event.upheld,
            "reasoning": event.reasoning,
        }
    )
    return _moved(listing, ListingStatus.UNDER_REVIEW, objection=reviewed)


def _moved(listing: Listing, status: ListingStatus, **changes: object) -> Listing:
    return listing.model_copy(update={"status": status, **changes})
