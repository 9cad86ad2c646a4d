"""What a listing keeps from its events: given a history, when it is replayed, then the
listing holds what the later steps, the deadlines and the read models take from it."""

from __future__ import annotations

from datetime import date

from services.credit.domain.listing import (
    EndKind,
    ListingEnd,
    ListingStatus,
    NotListedDecision,
)
from services.credit.domain.publication import CREDIT_CHINA, CREDIT_SHARING_PLATFORM
from services.credit.domain.sanctions import SanctionTaskStatus
from tests.unit.credit.factories import (
    DECIDED_ON,
    JSJ_PERMITS,
    REVIEWED_ON,
    active,
    candidate,
    early_removal_applied,
    early_removal_granted,
    listing_expired,
    listing_of,
    not_listed,
    objected,
    objection_reviewed,
    sanction_applied,
    sanction_lifted,
    served,
)


def test_a_spared_candidate_keeps_the_day_and_the_reason() -> None:
    listing = listing_of(candidate(), [not_listed()])

    assert listing.status is ListingStatus.NOT_LISTED
    assert listing.not_listed == NotListedDecision(
        decided_on=DECIDED_ON, reason="决定前已清偿并作出书面信用承诺"
    )


def test_a_reviewed_objection_keeps_the_review_day_and_the_reasoning() -> None:
    listing = listing_of(objected(), [objection_reviewed(upheld=True)])

    assert listing.status is ListingStatus.UNDER_REVIEW
    assert listing.objection is not None
    assert (
        listing.objection.reviewed_on,
        listing.objection.is_upheld,
        listing.objection.reasoning,
    ) == (REVIEWED_ON, True, "未提供支付凭证")


def test_a_published_listing_keeps_the_platforms_it_was_shared_to() -> None:
    listing = listing_of(active())

    assert listing.shared_to == (CREDIT_SHARING_PLATFORM, CREDIT_CHINA)


def test_a_sanction_keeps_its_basis_and_reference_then_its_lift_reference() -> None:
    applied = [*active(), sanction_applied()]
    lifted = [
        *applied,
        early_removal_applied(),
        early_removal_granted(),
        sanction_lifted(),
    ]

    [task] = [t for t in listing_of(applied).sanction_tasks if t.task_id == JSJ_PERMITS]
    assert (task.basis, task.reference) == (
        "保障农民工工资支付条例第四十八条",
        "东建函〔2024〕12号",
    )
    [task] = [t for t in listing_of(lifted).sanction_tasks if t.task_id == JSJ_PERMITS]
    assert (task.status, task.lift_reference) == (
        SanctionTaskStatus.LIFTED,
        "东建函〔2027〕3号",
    )


def test_an_early_removal_ends_the_listing_and_sets_every_sanction_to_lift() -> None:
    listing = listing_of(
        [
            *active(),
            sanction_applied(),
            early_removal_applied(),
            early_removal_granted(),
        ]
    )

    assert listing.status is ListingStatus.REMOVED
    assert listing.end == ListingEnd(ended_on=date(2025, 1, 13), how=EndKind.REMOVED)
    assert {(t.status, t.due) for t in listing.sanction_tasks} == {
        (SanctionTaskStatus.LIFT_PENDING, date(2025, 1, 27))
    }


def test_an_ending_sets_only_the_named_sanctions_to_lift() -> None:
    applied = [*active(), sanction_applied()]
    others = {t.task_id for t in listing_of(applied).sanction_tasks} - {JSJ_PERMITS}

    ended = listing_of(applied, [listing_expired(sanctions_to_lift=(JSJ_PERMITS,))])

    lifting = {
        t.task_id
        for t in ended.sanction_tasks
        if t.status is SanctionTaskStatus.LIFT_PENDING
    }
    assert lifting == {JSJ_PERMITS}
    assert others


def test_a_review_replayed_without_its_objection_still_puts_it_under_review() -> None:
    listing = listing_of(served(), [objection_reviewed()])

    assert (listing.status, listing.objection) == (ListingStatus.UNDER_REVIEW, None)
