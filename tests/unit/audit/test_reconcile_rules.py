"""The reconciliation rules over events as received: what counts as followed up."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from services.audit.completeness import SourceCopy, State, judge, source_service
from services.audit.reconcile_rules import (
    Gap,
    Received,
    Rule,
    UnitSpan,
    action_items,
    credit_candidates,
    expected_tasks,
    sanction_tasks,
    tasks_lifted,
)
from services.audit.settings import DEFAULT_SANCTION_DUTIES
from shared.operations import SourceProgressView

T0 = datetime(2024, 3, 1, tzinfo=UTC)
_positions = iter(range(1, 10_000))


def received(service: str, stream: str, event_type: str, **data: Any) -> Received:
    return Received(service, next(_positions), stream, event_type, T0, data)


def test_a_recommendation_without_a_candidate_naming_its_case_is_a_gap() -> None:
    followed = received("cases", "case-1", "CreditListingRecommended", case_id="1")
    lone = received("cases", "case-2", "CreditListingRecommended", case_id="2")
    opened = received(
        "credit", "listing-c-1", "CandidateOpened", grounds={"case_ids": ["1"]}
    )

    result = credit_candidates([followed, lone, opened])

    assert result.checked == 2
    assert result.gaps == (
        Gap(
            Rule.CREDIT_CANDIDATE,
            "cases",
            lone.position,
            "case-2",
            T0,
            "credit candidate for 2",
        ),
    )


def test_a_decision_needs_an_action_item_for_each_responsible_unit() -> None:
    tasks = [
        {"action_id": "a1", "unit_code": "rsj"},
        {"action_id": "a2", "unit_code": "jsj"},
    ]
    decision = received("meetings", "meeting-1", "DecisionRecorded", tasks=tasks)
    # An item for the wrong unit does not count.
    wrong = received("meetings", "action-a2", "ActionItemAssigned", unit_code="rsj")
    right = received("meetings", "action-a1", "ActionItemAssigned", unit_code="rsj")

    result = action_items([decision, wrong, right])

    assert [g.missing for g in result.gaps] == ["action item a2 for jsj"]


def test_every_active_unit_has_the_every_unit_duty_and_a_withdrawn_one_none() -> None:
    units = {"rsj", "jsj"}

    expected = expected_tasks({"honours": ("*",), "land": ("gtj",)}, units)

    assert expected == {("rsj", "honours"), ("jsj", "honours")}


def test_a_published_listing_misses_the_task_of_a_unit_active_when_published() -> None:
    directory = [
        UnitSpan("rsj", T0 - timedelta(days=1)),
        UnitSpan("gtj", T0 - timedelta(days=1), withdrawn_at=T0 - timedelta(hours=1)),
        UnitSpan("fy", T0 + timedelta(days=1)),
    ]
    published = received("credit", "listing-1", "ListingPublished")
    activated = received(
        "credit",
        "listing-1",
        "ListingActivated",
        sanction_tasks=[{"unit_code": "rsj", "measure": "honours_and_awards"}],
    )

    result = sanction_tasks(
        [published, activated], duties=DEFAULT_SANCTION_DUTIES, directory=directory
    )

    assert [g.missing for g in result.gaps] == [
        "sanction task integrity_grading for rsj"
    ]


def test_a_task_not_lifted_is_a_gap_only_once_its_day_to_confirm_passed() -> None:
    ended = received(
        "credit",
        "listing-1",
        "ListingExpired",
        sanctions_to_lift=["rsj-x", "fy-y"],
        lift_due="2024-03-10",
    )
    lifted = received("credit", "listing-1", "SanctionLifted", task_id="rsj-x")

    in_time = tasks_lifted([ended, lifted], today=date(2024, 3, 10))
    late = tasks_lifted([ended, lifted], today=date(2024, 3, 11))

    assert in_time.gaps == ()
    assert [g.missing for g in late.gaps] == ["sanction task fy-y lifted"]


def progress(count: int, position: int, last_hash: str | None) -> SourceProgressView:
    return SourceProgressView(
        source="/qingqian/d/cases",
        applied_count=count,
        last_position=position,
        last_hash=last_hash,
    )


def test_a_projection_matches_its_source_by_count_and_hash_at_its_last_position() -> (
    None
):
    copy = SourceCopy(count=5, hash="h5", is_complete=True)

    assert judge(progress(5, 9, "h5"), copy) == State.MATCHES
    assert judge(progress(4, 9, "h5"), copy) == State.MISMATCH
    assert judge(progress(5, 9, "other"), copy) == State.MISMATCH
    assert judge(progress(5, 9, "h5"), None) == State.PENDING
    assert judge(progress(5, 9, "h5"), SourceCopy(3, "h5", False)) == State.PENDING
    assert source_service("/qingqian/d/cases") == "cases"
