"""Every dated step of a listing: given the step it follows, when it is dated the day
before, then 422 names the step's date field and the rule `not_before_<that step>`."""

from __future__ import annotations

from datetime import date

import pytest

from services.credit.domain.decision import (
    DecideListing,
    DecideNotToList,
    decide_listing,
    decide_not_to_list,
)
from services.credit.domain.ending import RevokeListing, revoke_listing
from services.credit.domain.listing import RevokedBy
from services.credit.domain.notice import FileObjection, file_objection
from shared.errors import InvalidInput
from tests.unit.credit.factories import (
    CALENDAR,
    DECIDED_ON,
    DECISION_ID,
    EMPLOYER_LISTING_ID,
    LIMITS,
    OPENED_ON,
    SERVED_ON,
    TODAY,
    active,
    candidate,
    lapsed,
    listing_of,
    not_listed,
    served,
)


def _day_before(day: date) -> date:
    return date.fromordinal(day.toordinal() - 1)


def test_a_listing_is_not_decided_before_its_notice_was_served() -> None:
    early = DecideListing(
        decided_on=_day_before(SERVED_ON),
        decision_id=DECISION_ID,
        decided_by="区人力资源和社会保障局局长",
    )

    with pytest.raises(InvalidInput) as refused:
        decide_listing(
            listing_of(lapsed()),
            early,
            today=TODAY,
            calendar=CALENDAR,
            limits=LIMITS,
            listing_id=EMPLOYER_LISTING_ID,
        )

    assert (refused.value.field, refused.value.rule) == (
        "decided_on",
        "not_before_notice",
    )


def test_a_candidate_is_not_spared_before_it_was_opened() -> None:
    early = DecideNotToList(decided_on=_day_before(OPENED_ON), reason="已清偿")

    with pytest.raises(InvalidInput) as refused:
        decide_not_to_list(listing_of(candidate()), early, today=TODAY)

    assert (refused.value.field, refused.value.rule) == (
        "decided_on",
        "not_before_opening",
    )


def test_a_candidate_is_spared_on_the_day_it_was_opened() -> None:
    on_opening = DecideNotToList(decided_on=OPENED_ON, reason="已清偿")

    events = decide_not_to_list(listing_of(candidate()), on_opening, today=TODAY)

    assert events == [not_listed(decided_on=OPENED_ON, reason="已清偿")]


def test_an_objection_is_not_filed_before_the_notice_was_served() -> None:
    early = FileObjection(filed_on=_day_before(SERVED_ON), text="欠薪已结清")

    with pytest.raises(InvalidInput) as refused:
        file_objection(listing_of(served()), early, today=TODAY)

    assert (refused.value.field, refused.value.rule) == (
        "filed_on",
        "not_before_notice",
    )


def test_a_listing_is_not_revoked_before_its_decision() -> None:
    early = RevokeListing(
        revoked_on=_day_before(DECIDED_ON),
        by=RevokedBy.RECONSIDERATION,
        reference="东府复决〔2024〕7号",
    )

    with pytest.raises(InvalidInput) as refused:
        revoke_listing(
            listing_of(active()), early, today=TODAY, calendar=CALENDAR, limits=LIMITS
        )

    assert (refused.value.field, refused.value.rule) == (
        "revoked_on",
        "not_before_decision",
    )
