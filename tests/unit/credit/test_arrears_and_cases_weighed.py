"""Which employer's cases a listing's payment and new arrears are weighed on: given the
listings' streams and the cases credit heard of, when the facts `has_new_arrears` and
`payment_on_record` are gathered and a step is decided with them, then a person's
listing answers for its employer's new arrears (rules.md §3.1.1 condition 3), and a
listing opened by hand weighs only the employer's cases still owing at its decision."""

from __future__ import annotations

from datetime import date

import pytest

from services.credit.command_facts import HAS_NEW_ARREARS, PAYMENT_ON_RECORD
from services.credit.command_table import CREDIT_COMMANDS
from services.credit.domain.aggregate import LISTING, ListingEvent, allowed_steps
from services.credit.domain.early_removal import (
    DecideEarlyRemoval,
    EarlyRemovalRefused,
    PaymentOnRecord,
    RefusalReason,
    arrears_uscc,
    decide_early_removal,
    is_owing_on,
)
from services.credit.domain.payment_evidence import (
    PaymentEvidenceRecorded,
    RecordPaymentEvidence,
    record_payment_evidence,
)
from shared.errors import RuleViolated
from tests.unit.credit import factories as f
from tests.unit.credit.recorded_outside import CaseOutcome, Outside

DECIDED_ON = f.DECIDED_ON
DECIDE = DecideEarlyRemoval(decided_on=date(2025, 1, 13))
APPLIED = f.early_removal_applied()


def person_listing(*, employer_listing_id: str | None) -> list[ListingEvent]:
    """A person's listing, active, decided with its employer's (or without one)."""
    return [
        *f.lapsed(subject=f.person_subject(), grounds=f.grounds(case_ids=())),
        f.listing_decided(employer_listing_id=employer_listing_id),
        f.listing_published(),
        f.listing_activated(),
    ]


def a_case(**overrides: object) -> CaseOutcome:
    fields: dict[str, object] = {
        "case_id": "2024-000200",
        "uscc": f.VALID_USCC,
        "received_on": date(2024, 9, 2),
    }
    return CaseOutcome(**(fields | overrides))  # type: ignore[arg-type]


# --- a person's listing and its employer's new arrears -----------------------------


async def test_a_persons_listing_answers_for_its_employers_new_arrears() -> None:
    # Given a person's listing decided with its employer's listing, and a case against
    # the employer received after the decision
    history = [*person_listing(employer_listing_id=f.EMPLOYER_LISTING_ID), APPLIED]
    outside = Outside()
    outside.streams[LISTING.stream_id(f.EMPLOYER_LISTING_ID)] = f.active()
    outside.streams[LISTING.stream_id(f.PERSON_LISTING_ID)] = history
    outside.cases.append(a_case())

    # When the person's application is decided with the arrears cases know of
    scope = outside.scope(f.PERSON_LISTING_ID, DECIDE)
    has_new_arrears = await HAS_NEW_ARREARS.provide(scope)
    events = decide_early_removal(
        LISTING.replay(history),
        DECIDE,
        today=DECIDE.decided_on,
        calendar=f.CALENDAR,
        limits=f.LIMITS,
        has_new_arrears=has_new_arrears,
        payment_on_record=PaymentOnRecord(),
    )

    # Then the employer's new arrears refuse it
    assert has_new_arrears is True
    assert isinstance(events[0], EarlyRemovalRefused)
    assert RefusalReason.NEW_ARREARS in events[0].reasons


async def test_a_persons_listing_without_new_employer_cases_has_no_new_arrears() -> (
    None
):
    outside = Outside()
    outside.streams[LISTING.stream_id(f.EMPLOYER_LISTING_ID)] = f.active()
    outside.streams[LISTING.stream_id(f.PERSON_LISTING_ID)] = person_listing(
        employer_listing_id=f.EMPLOYER_LISTING_ID
    )
    outside.cases.append(a_case(received_on=date(2024, 3, 1)))  # before the decision

    scope = outside.scope(f.PERSON_LISTING_ID, DECIDE)

    assert await HAS_NEW_ARREARS.provide(scope) is False


def test_the_uscc_weighed_is_the_employers_own_or_its_employer_listings() -> None:
    employer = LISTING.replay(f.active())
    person = LISTING.replay(person_listing(employer_listing_id=f.EMPLOYER_LISTING_ID))

    assert arrears_uscc(employer, None) == f.VALID_USCC
    assert arrears_uscc(person, employer) == f.VALID_USCC
    assert arrears_uscc(person, None) is None


# --- a listing opened by hand weighs only the cases still owing at its decision ----


@pytest.mark.parametrize(
    ("cleared_on", "voided_on", "owing"),
    [
        (None, None, True),
        (date(2024, 5, 21), None, True),
        (DECIDED_ON, None, False),
        (date(2021, 6, 1), None, False),
        (None, date(2024, 4, 1), False),
    ],
    ids=["unpaid", "cleared-after", "cleared-that-day", "cleared-years-before", "void"],
)
def test_a_case_owes_at_the_decision_unless_cleared_by_then_or_voided(
    cleared_on: date | None, voided_on: date | None, owing: bool
) -> None:
    assert is_owing_on(DECIDED_ON, cleared_on=cleared_on, voided_on=voided_on) is owing


BY_HAND = f.active(grounds=f.grounds(case_ids=()))
"""A listing opened by hand without a case, active."""


def by_hand_outside(*cases: CaseOutcome) -> Outside:
    return Outside(streams={LISTING.stream_id(f.LISTING_ID): BY_HAND}, cases=[*cases])


async def record_of(outside: Outside) -> PaymentOnRecord:
    return await PAYMENT_ON_RECORD.provide(outside.scope(f.LISTING_ID, DECIDE))


async def test_a_case_cleared_years_before_leaves_the_listing_to_its_evidence() -> None:
    # Given a listing opened by hand whose employer had a case cleared in 2021
    outside = by_hand_outside(
        a_case(received_on=date(2021, 3, 1), cleared_on=date(2021, 6, 1))
    )
    listing = LISTING.replay(BY_HAND)
    record = await record_of(outside)
    command = RecordPaymentEvidence(
        paid_on=date(2024, 7, 1), evidence="银行转账凭证", verified_by="王五"
    )

    # When the office records the evidence of payment
    events = record_payment_evidence(
        listing, command, today=date(2024, 7, 2), payment_on_record=record
    )

    # Then the old case is not weighed, the evidence is taken, and it was offered
    assert record == PaymentOnRecord()
    assert [type(e) for e in events] == [PaymentEvidenceRecorded]
    assert "record-payment-evidence" in CREDIT_COMMANDS.verbs(
        allowed_steps(listing, record)
    )


async def test_a_case_still_owing_at_the_decision_holds_the_payment() -> None:
    # Given a listing opened by hand whose employer's case, received before the
    # decision, was cleared after it
    outside = by_hand_outside(
        a_case(received_on=date(2024, 3, 1), cleared_on=date(2024, 6, 20)),
        # a complaint rejected before the listing: no arrears of it
        a_case(
            case_id="2021-000001",
            received_on=date(2021, 3, 1),
            voided_on=date(2021, 4, 1),
        ),
    )
    listing = LISTING.replay(BY_HAND)

    # When the payment on record is gathered
    record = await record_of(outside)

    # Then that case alone is weighed, its clearing is the payment, and evidence is
    # neither offered nor taken
    assert record == PaymentOnRecord(
        case_ids=("2024-000200",), paid_in_full_on=date(2024, 6, 20)
    )
    assert "record-payment-evidence" not in CREDIT_COMMANDS.verbs(
        allowed_steps(listing, record)
    )
    with pytest.raises(RuleViolated) as refused:
        record_payment_evidence(
            listing,
            RecordPaymentEvidence(
                paid_on=date(2024, 7, 1), evidence="凭证", verified_by="王五"
            ),
            today=date(2024, 7, 2),
            payment_on_record=record,
        )
    assert refused.value.code == "payment-recorded-in-cases"
