"""The notice of intent and the objection period: given a candidate, when the notice
is served, the subject objects or the period lapses, then the review may begin; a step
out of time is refused naming the rule. The period is 5 working days here."""

from __future__ import annotations

from datetime import date

import pytest

from services.credit.domain.aggregate import ListingEvent
from services.credit.domain.decision import DecideListing, DecideNotToList
from services.credit.domain.listing import ListingStatus, ServiceMethod
from services.credit.domain.notice import (
    FileObjection,
    LapseObjectionPeriod,
    ReviewObjection,
    ServeNotice,
    file_objection,
    lapse_objection_period,
    review_objection,
    serve_notice,
)
from shared.domain import Deadline, Role
from shared.errors import InvalidInput, InvalidTransition, RuleViolated
from tests.unit.credit.factories import (
    CALENDAR,
    FILED_ON,
    LIMITS,
    OBJECTION_DUE,
    OPENED_ON,
    REVIEWED_ON,
    SERVED_ON,
    TODAY,
    candidate,
    lapsed,
    listing_of,
    notice_served,
    objected,
    objection_filed,
    objection_period_lapsed,
    objection_reviewed,
    served,
)
from tests.weekend_calendar import WeekendCalendar

SERVE = ServeNotice(served_on=SERVED_ON, method=ServiceMethod.IN_PERSON)
OBJECT = FileObjection(filed_on=FILED_ON, text="欠薪已于五月结清")
REVIEW = ReviewObjection(
    reviewed_on=REVIEWED_ON, upheld=False, reasoning="未提供支付凭证"
)


def test_the_office_serves_notices_and_records_objections_the_watcher_lapses() -> None:
    assert ServeNotice.permitted == {Role.OFFICE}
    assert FileObjection.permitted == {Role.OFFICE}
    assert ReviewObjection.permitted == {Role.OFFICE}
    assert LapseObjectionPeriod.permitted == {Role.SYSTEM}


def test_a_notice_starts_an_objection_period_of_five_working_days() -> None:
    events = serve_notice(
        listing_of(candidate()), SERVE, today=TODAY, calendar=CALENDAR, limits=LIMITS
    )

    assert events == [notice_served()]
    assert listing_of(candidate(), events).status is ListingStatus.NOTICE_SERVED


def test_an_objection_period_counted_over_an_unannounced_year_is_provisional() -> None:
    calendar = WeekendCalendar(announced_until=date(2024, 5, 10))

    events = serve_notice(
        listing_of(candidate()), SERVE, today=TODAY, calendar=calendar, limits=LIMITS
    )

    assert events == [
        notice_served(
            objection_deadline=Deadline(due=OBJECTION_DUE, is_provisional=True)
        )
    ]


def test_a_notice_is_served_once() -> None:
    with pytest.raises(InvalidTransition) as refused:
        serve_notice(
            listing_of(served()), SERVE, today=TODAY, calendar=CALENDAR, limits=LIMITS
        )

    assert refused.value.current == ListingStatus.NOTICE_SERVED
    assert refused.value.allowed == (
        FileObjection,
        LapseObjectionPeriod,
        DecideListing,
        DecideNotToList,
    )


def test_a_notice_is_not_served_before_the_candidate_was_opened() -> None:
    early = ServeNotice(served_on=date(2024, 5, 3), method=ServiceMethod.MAIL)

    with pytest.raises(InvalidInput) as refused:
        serve_notice(
            listing_of(candidate()),
            early,
            today=TODAY,
            calendar=CALENDAR,
            limits=LIMITS,
        )

    assert (refused.value.field, refused.value.rule) == (
        "served_on",
        "not_before_opening",
    )
    assert OPENED_ON.isoformat() in refused.value.detail


@pytest.mark.parametrize("filed_on", [SERVED_ON, FILED_ON, OBJECTION_DUE])
def test_an_objection_is_filed_until_the_last_day_of_the_period(
    filed_on: date,
) -> None:
    command = FileObjection(filed_on=filed_on, text="欠薪已于五月结清")

    events = file_objection(listing_of(served()), command, today=TODAY)

    assert events == [objection_filed(filed_on=filed_on)]


def test_an_objection_the_day_after_the_period_is_refused_as_out_of_time() -> None:
    late = FileObjection(filed_on=date(2024, 5, 16), text="补充异议")

    with pytest.raises(RuleViolated) as refused:
        file_objection(listing_of(served()), late, today=TODAY)

    assert refused.value.code == "objection-period-over"


def test_an_objection_after_the_period_lapsed_is_refused_as_out_of_time() -> None:
    with pytest.raises(RuleViolated) as refused:
        file_objection(listing_of(lapsed()), OBJECT, today=TODAY)

    assert refused.value.code == "objection-period-over"


def test_a_second_objection_is_refused() -> None:
    with pytest.raises(InvalidTransition) as refused:
        file_objection(listing_of(objected()), OBJECT, today=TODAY)

    assert refused.value.current == ListingStatus.OBJECTION_FILED
    assert refused.value.allowed == (ReviewObjection, DecideNotToList)


def test_a_candidate_without_a_notice_cannot_object() -> None:
    with pytest.raises(InvalidTransition) as refused:
        file_objection(listing_of(candidate()), OBJECT, today=TODAY)

    assert refused.value.current == ListingStatus.CANDIDATE


@pytest.mark.parametrize("upheld", [True, False])
def test_a_filed_objection_is_reviewed_upheld_or_not(upheld: bool) -> None:
    command = REVIEW.model_copy(update={"upheld": upheld})

    events = review_objection(listing_of(objected()), command, today=TODAY)

    assert events == [objection_reviewed(upheld=upheld)]
    assert listing_of(objected(), events).status is ListingStatus.UNDER_REVIEW


def test_an_objection_is_not_reviewed_before_it_was_filed() -> None:
    early = REVIEW.model_copy(update={"reviewed_on": date(2024, 5, 10)})

    with pytest.raises(InvalidInput) as refused:
        review_objection(listing_of(objected()), early, today=TODAY)

    assert (refused.value.field, refused.value.rule) == (
        "reviewed_on",
        "not_before_objection",
    )


def test_there_is_nothing_to_review_without_an_objection() -> None:
    with pytest.raises(InvalidTransition) as refused:
        review_objection(listing_of(lapsed()), REVIEW, today=TODAY)

    assert refused.value.current == ListingStatus.UNDER_REVIEW
    assert refused.value.allowed == (DecideListing, DecideNotToList)


def test_the_watcher_lapses_the_period_the_day_after_its_last_day() -> None:
    events = lapse_objection_period(
        listing_of(served()), LapseObjectionPeriod(), today=date(2024, 5, 16)
    )

    assert events == [objection_period_lapsed(lapsed_on=date(2024, 5, 16))]
    assert listing_of(served(), events).status is ListingStatus.UNDER_REVIEW


def test_the_period_does_not_lapse_on_its_last_day() -> None:
    with pytest.raises(RuleViolated) as refused:
        lapse_objection_period(
            listing_of(served()), LapseObjectionPeriod(), today=OBJECTION_DUE
        )

    assert refused.value.code == "objection-period-running"


@pytest.mark.parametrize(
    "history",
    [
        lapsed(),
        objected(),
        [*objected(), objection_reviewed()],
    ],
)
def test_a_period_that_lapsed_or_ended_in_an_objection_lapses_no_more(
    history: list[ListingEvent],
) -> None:
    events = lapse_objection_period(
        listing_of(history), LapseObjectionPeriod(), today=TODAY
    )

    assert events == []


def test_a_candidate_without_a_notice_has_no_period_to_lapse() -> None:
    with pytest.raises(InvalidTransition) as refused:
        lapse_objection_period(
            listing_of(candidate()), LapseObjectionPeriod(), today=TODAY
        )

    assert refused.value.current == ListingStatus.CANDIDATE
