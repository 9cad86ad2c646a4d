"""Payment evidence for a listing no case covers: given an active listing opened by
hand without a case, when the office records the evidence of full payment it checked,
then that payment is on record for early removal; where cases hold the arrears, their
record is the only one."""

from __future__ import annotations

from datetime import date

import pytest

from services.credit.domain.aggregate import ListingEvent
from services.credit.domain.early_removal import (
    ApplyForEarlyRemoval,
    PaymentOnRecord,
    apply_for_early_removal,
    paid_in_full,
)
from services.credit.domain.listing import Listing, PaymentEvidence
from services.credit.domain.payment_evidence import (
    PaymentEvidenceRecorded,
    RecordPaymentEvidence,
    record_payment_evidence,
)
from shared.domain import Role
from shared.errors import InvalidInput, InvalidTransition, RuleViolated
from tests.unit.credit.factories import (
    active,
    grounds,
    listed,
    listing_of,
    payment_evidence_recorded,
)

NO_CASE = PaymentOnRecord()
EVIDENCE = RecordPaymentEvidence(
    paid_on=date(2024, 7, 1),
    evidence="银行转账凭证 No. 0012345（工资足额支付）",
    verified_by="劳动保障监察大队 王五",
)
APPLY = ApplyForEarlyRemoval(
    applied_on=date(2025, 1, 6), paid_on=date(2024, 7, 1), commitment_text="承诺"
)


def by_hand(*more: ListingEvent) -> Listing:
    return listing_of(active(grounds=grounds(case_ids=())), more)


def test_the_office_records_it() -> None:
    assert RecordPaymentEvidence.permitted == {Role.OFFICE}


def test_the_office_records_evidence_for_a_listing_no_case_covers() -> None:
    events = record_payment_evidence(
        by_hand(), EVIDENCE, today=date(2024, 7, 2), payment_on_record=NO_CASE
    )

    assert events == [payment_evidence_recorded()]
    assert paid_in_full(by_hand(*events), NO_CASE) == date(2024, 7, 1)


def test_where_the_grounds_name_cases_their_record_is_the_record() -> None:
    with pytest.raises(RuleViolated) as refused:
        record_payment_evidence(
            listing_of(active()),
            EVIDENCE,
            today=date(2024, 7, 2),
            payment_on_record=NO_CASE,
        )

    assert refused.value.code == "payment-recorded-in-cases"
    assert "grounds" in refused.value.detail


def test_where_cases_know_the_employers_cases_their_record_is_the_record() -> None:
    record = PaymentOnRecord(case_ids=("2024-000009",))

    with pytest.raises(RuleViolated) as refused:
        record_payment_evidence(
            by_hand(), EVIDENCE, today=date(2024, 7, 2), payment_on_record=record
        )

    assert refused.value.code == "payment-recorded-in-cases"
    assert "2024-000009" in refused.value.detail


def test_a_payment_before_the_decision_is_not_evidence_of_repair() -> None:
    early = EVIDENCE.model_copy(update={"paid_on": date(2024, 5, 19)})

    with pytest.raises(InvalidInput) as refused:
        record_payment_evidence(
            by_hand(), early, today=date(2024, 7, 2), payment_on_record=NO_CASE
        )

    assert refused.value.rule == "not_before_decision"


def test_a_listing_not_active_takes_no_evidence() -> None:
    with pytest.raises(InvalidTransition):
        record_payment_evidence(
            listing_of(listed(grounds=grounds(case_ids=()))),
            EVIDENCE,
            today=date(2024, 7, 2),
            payment_on_record=NO_CASE,
        )


def test_with_evidence_on_record_the_employer_may_apply() -> None:
    listing = by_hand(payment_evidence_recorded())

    events = apply_for_early_removal(
        listing,
        APPLY,
        today=APPLY.applied_on,
        has_new_arrears=False,
        payment_on_record=NO_CASE,
    )

    assert len(events) == 1


def test_without_evidence_or_a_case_no_payment_is_on_record() -> None:
    with pytest.raises(RuleViolated) as refused:
        apply_for_early_removal(
            by_hand(),
            APPLY,
            today=APPLY.applied_on,
            has_new_arrears=False,
            payment_on_record=NO_CASE,
        )

    assert refused.value.code == "payment-not-on-record"


def test_evidence_does_not_stand_in_for_a_case_that_still_owes() -> None:
    listing = by_hand(payment_evidence_recorded())
    owing = PaymentOnRecord(case_ids=("2024-000009",), paid_in_full_on=None)

    assert paid_in_full(listing, owing) is None


def test_the_listing_holds_the_evidence_and_who_checked_it() -> None:
    events = record_payment_evidence(
        by_hand(), EVIDENCE, today=date(2024, 7, 2), payment_on_record=NO_CASE
    )

    assert by_hand(*events).payment_evidence == PaymentEvidence(
        paid_on=EVIDENCE.paid_on,
        evidence=EVIDENCE.evidence,
        verified_by=EVIDENCE.verified_by,
    )


def test_a_later_record_replaces_the_earlier() -> None:
    later = payment_evidence_recorded(paid_on=date(2024, 8, 1), verified_by="李四")

    listing = by_hand(payment_evidence_recorded(), later)

    assert listing.payment_evidence == PaymentEvidence(**dict(later))


@pytest.mark.parametrize(
    ("paid_on", "recorded"),
    [(date(2024, 7, 2), True), (date(2024, 7, 3), False)],
    ids=["today", "tomorrow"],
)
def test_a_payment_is_dated_today_at_the_latest(paid_on: date, recorded: bool) -> None:
    command = EVIDENCE.model_copy(update={"paid_on": paid_on})

    def when() -> list[PaymentEvidenceRecorded]:
        return record_payment_evidence(
            by_hand(), command, today=date(2024, 7, 2), payment_on_record=NO_CASE
        )

    if recorded:
        assert when() == [payment_evidence_recorded(paid_on=paid_on)]
    else:
        with pytest.raises(InvalidInput) as refused:
            when()
        assert (refused.value.field, refused.value.rule) == (
            "paid_on",
            "not_in_future",
        )


def test_a_payment_on_the_decision_day_is_evidence() -> None:
    listing = by_hand()
    assert listing.decision is not None
    command = EVIDENCE.model_copy(update={"paid_on": listing.decision.decided_on})

    events = record_payment_evidence(
        listing, command, today=date(2024, 7, 2), payment_on_record=NO_CASE
    )

    assert len(events) == 1


def test_the_refusal_names_every_case_that_holds_the_record() -> None:
    record = PaymentOnRecord(case_ids=("2024-000009", "2024-000012"))

    with pytest.raises(RuleViolated) as refused:
        record_payment_evidence(
            by_hand(), EVIDENCE, today=date(2024, 7, 2), payment_on_record=record
        )

    assert "(2024-000009, 2024-000012)" in refused.value.detail
