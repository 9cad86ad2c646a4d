"""Lifting a construction measure weighs the listing's payment as early removal does
(`early_removal.paid_in_full`): given the listing's and the measure's streams and the
cases credit heard of, when the fact `measure_payment` is gathered and the measure is
lifted, then it is lifted on the payment on record — the office's payment evidence for
a listing no case covers — or refused (409 `payment-not-on-record`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import pytest

from services.credit.domain.aggregate import LISTING, ListingEvent
from services.credit.domain.construction_measures import (
    MEASURE,
    ConstructionMeasureLifted,
    ConstructionMeasureRecorded,
    LiftConstructionMeasure,
    MeasureEvent,
    MeasureKind,
    lift_construction_measure,
    payment_for_measure,
)
from services.credit.domain.early_removal import PaymentOnRecord, paid_in_full
from services.credit.domain.listing import Listing
from services.credit.measure_facts import MEASURE_PAYMENT
from shared.duties import Acting, Duty
from shared.errors import RuleViolated
from tests.unit.credit import factories as f
from tests.unit.credit.recorded_outside import CaseOutcome, Outside

MEASURE_ID = "2024-000009"
LIFTED_ON = date(2024, 7, 3)
LIFT = LiftConstructionMeasure(lifted_on=LIFTED_ON, reference="东建复字〔2024〕1号")
JSJ = Acting.unit_of("jsj", Duty.CONSTRUCTION)
BY_HAND = f.grounds(case_ids=())
EVIDENCE = f.payment_evidence_recorded(paid_on=date(2024, 7, 1))


def stop_work_order(**tied_to: str | None) -> ConstructionMeasureRecorded:
    return ConstructionMeasureRecorded(
        kind=MeasureKind.STOP_WORK_ORDER,
        unit_code="jsj",
        listing_id=tied_to.get("listing_id", f.LISTING_ID),
        case_id=tied_to.get("case_id"),
        taken_on=date(2024, 5, 28),
        basis="保障农民工工资支付条例第五十五条",
        reference="东建停字〔2024〕3号",
        is_standing=True,
    )


async def when_lifted(outside: Outside) -> list[MeasureEvent]:
    """Gather `measure_payment` as the command table does, then lift the measure."""
    payment = await MEASURE_PAYMENT.provide(outside.scope(MEASURE_ID, LIFT))
    recorded = outside.streams[MEASURE.stream_id(MEASURE_ID)]
    measure = MEASURE.replay(e for e in recorded if isinstance(e, MeasureEvent))
    return lift_construction_measure(
        measure, LIFT, today=LIFTED_ON, acting=JSJ, measure_payment=payment
    )


def outside_with(
    listing: Sequence[ListingEvent], measure: ConstructionMeasureRecorded
) -> Outside:
    return Outside(
        streams={
            LISTING.stream_id(f.LISTING_ID): listing,
            MEASURE.stream_id(MEASURE_ID): [measure],
        }
    )


async def test_a_measure_on_a_listing_no_case_covers_is_lifted_on_its_evidence() -> (
    None
):
    # Given a listing opened by hand without a case, no case of its employer known to
    # credit, the office's payment evidence of 1 July, and a stop-work order on it
    outside = outside_with([*f.active(grounds=BY_HAND), EVIDENCE], stop_work_order())

    # When the bureau lifts the order on 3 July
    events = await when_lifted(outside)

    # Then it is lifted on the payment the evidence records
    assert events == [
        ConstructionMeasureLifted(
            lifted_on=LIFTED_ON,
            reference=LIFT.reference,
            paid_in_full_on=date(2024, 7, 1),
        )
    ]


async def test_without_evidence_such_a_measure_stays_in_force() -> None:
    outside = outside_with(f.active(grounds=BY_HAND), stop_work_order())

    with pytest.raises(RuleViolated) as refused:
        await when_lifted(outside)

    assert refused.value.code == "payment-not-on-record"


async def test_a_listing_with_a_case_still_owing_is_lifted_only_on_the_case() -> None:
    # Given a listing of a case that still owes, and evidence somehow on the listing
    outside = outside_with([*f.active(), EVIDENCE], stop_work_order())
    outside.cases.append(
        CaseOutcome("2024-000123", f.VALID_USCC, received_on=date(2024, 3, 1))
    )

    # When lifted, then cases' record decides, not the evidence
    with pytest.raises(RuleViolated) as refused:
        await when_lifted(outside)

    assert refused.value.code == "payment-not-on-record"


async def test_a_measure_on_a_case_is_lifted_on_that_case_being_paid() -> None:
    outside = outside_with([], stop_work_order(listing_id=None, case_id="2024-000123"))
    outside.cases.append(
        CaseOutcome(
            "2024-000123",
            f.VALID_USCC,
            received_on=date(2024, 3, 1),
            cleared_on=date(2024, 6, 20),
        )
    )

    events = await when_lifted(outside)

    assert [e.paid_in_full_on for e in events] == [date(2024, 6, 20)]  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("listing", "record"),
    [
        (LISTING.replay([*f.active(grounds=BY_HAND), EVIDENCE]), PaymentOnRecord()),
        (LISTING.replay(f.active(grounds=BY_HAND)), PaymentOnRecord()),
        (
            LISTING.replay([*f.active(), EVIDENCE]),
            PaymentOnRecord(case_ids=("2024-000123",), paid_in_full_on=None),
        ),
        (
            LISTING.replay(f.active()),
            PaymentOnRecord(
                case_ids=("2024-000123",), paid_in_full_on=date(2024, 6, 20)
            ),
        ),
    ],
    ids=["evidence", "nothing", "case-owing", "case-paid"],
)
def test_a_measure_weighs_a_listing_as_early_removal_does(
    listing: Listing, record: PaymentOnRecord
) -> None:
    assert payment_for_measure(listing, record).paid_in_full_on == paid_in_full(
        listing, record
    )
