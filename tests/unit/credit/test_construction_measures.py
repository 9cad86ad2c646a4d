"""The construction bureau's own measures: given what credit knows of the listing or
case, when the bureau (or the office) records a measure or lifts it, then the events
— or the refusal naming the rule."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from pydantic import ValidationError

from services.credit.domain.construction_measures import (
    MEASURE,
    ConstructionMeasure,
    ConstructionMeasureLifted,
    ConstructionMeasureRecorded,
    LiftConstructionMeasure,
    MeasureEvent,
    MeasureKind,
    MeasureStatus,
    MeasureTarget,
    RecordConstructionMeasure,
    is_standing,
    lift_construction_measure,
    record_construction_measure,
)
from services.credit.domain.early_removal import PaymentOnRecord
from services.credit.domain.listing import ListingStatus
from shared.domain import Role
from shared.duties import Acting, Duty
from shared.errors import InvalidInput, InvalidTransition, NotPermitted, RuleViolated

TODAY = date(2024, 6, 3)
TAKEN_ON = date(2024, 5, 28)
JSJ = Acting.unit_of("jsj", Duty.CONSTRUCTION)
FY = Acting.unit_of("fy", Duty.COURT)
ACTIVE_LISTING = MeasureTarget(listing_status=ListingStatus.ACTIVE)
KNOWN_CASE = MeasureTarget(is_case_known=True)


def record(**overrides: Any) -> RecordConstructionMeasure:
    fields: dict[str, Any] = {
        "kind": MeasureKind.STOP_WORK_ORDER,
        "taken_on": TAKEN_ON,
        "listing_id": "c-2024-000001",
        "basis": "保障农民工工资支付条例第五十五条",
        "reference": "东建停字〔2024〕3号",
    }
    return RecordConstructionMeasure(**(fields | overrides))


def recorded(**overrides: Any) -> ConstructionMeasureRecorded:
    fields: dict[str, Any] = {
        "kind": MeasureKind.STOP_WORK_ORDER,
        "unit_code": "jsj",
        "listing_id": "c-2024-000001",
        "case_id": None,
        "taken_on": TAKEN_ON,
        "basis": "保障农民工工资支付条例第五十五条",
        "reference": "东建停字〔2024〕3号",
        "is_standing": True,
    }
    return ConstructionMeasureRecorded(**(fields | overrides))


def when_recorded(
    command: RecordConstructionMeasure,
    *,
    acting: Acting = JSJ,
    target: MeasureTarget = ACTIVE_LISTING,
    history: tuple[MeasureEvent, ...] = (),
) -> list[MeasureEvent]:
    return record_construction_measure(
        MEASURE.replay(history),
        command,
        today=TODAY,
        acting=acting,
        measure_target=target,
    )


LIFT = LiftConstructionMeasure(
    lifted_on=date(2024, 6, 3), reference="东建复字〔2024〕1号"
)


def when_lifted(
    history: tuple[MeasureEvent, ...],
    *,
    paid_in_full_on: date | None = date(2024, 6, 1),
    acting: Acting = JSJ,
    command: LiftConstructionMeasure = LIFT,
) -> list[MeasureEvent]:
    return lift_construction_measure(
        MEASURE.replay(history),
        command,
        today=TODAY,
        acting=acting,
        measure_payment=PaymentOnRecord(
            case_ids=("2024-000001",), paid_in_full_on=paid_in_full_on
        ),
    )


def test_the_bureau_and_the_office_record_measures() -> None:
    assert RecordConstructionMeasure.permitted == {Role.OFFICE, Role.UNIT_STAFF}
    assert LiftConstructionMeasure.permitted == {Role.OFFICE, Role.UNIT_STAFF}


def test_the_bureau_records_a_stop_work_order_on_a_published_listing() -> None:
    events = when_recorded(record())

    assert events == [recorded()]
    assert MEASURE.replay(events).status is MeasureStatus.IN_FORCE


def test_the_office_records_it_for_the_bureau() -> None:
    # The measure is the construction bureau's, whoever enters it.
    events = when_recorded(record(), acting=Acting.office())

    assert events == [recorded(unit_code="jsj")]


def test_a_unit_without_the_construction_duty_may_not() -> None:
    with pytest.raises(NotPermitted) as refused:
        when_recorded(record(), acting=FY)

    assert "construction" in str(refused.value)


@pytest.mark.parametrize(
    "status", [ListingStatus.CANDIDATE, ListingStatus.LISTED, ListingStatus.EXPIRED]
)
def test_a_listing_not_published_and_in_force_takes_no_measure(
    status: ListingStatus,
) -> None:
    with pytest.raises(RuleViolated) as refused:
        when_recorded(record(), target=MeasureTarget(listing_status=status))

    assert refused.value.code == "listing-not-in-force"


def test_a_published_listing_takes_one() -> None:
    target = MeasureTarget(listing_status=ListingStatus.PUBLISHED)

    assert when_recorded(record(), target=target) == [recorded()]


def test_an_unknown_listing_is_refused_naming_the_field() -> None:
    with pytest.raises(InvalidInput) as refused:
        when_recorded(record(), target=MeasureTarget())

    assert (refused.value.field, refused.value.rule) == ("listing_id", "listing_known")


def test_a_measure_on_a_case_credit_knows() -> None:
    command = record(listing_id=None, case_id="2024-000007")

    events = when_recorded(command, target=KNOWN_CASE)

    assert events == [recorded(listing_id=None, case_id="2024-000007")]


def test_an_unknown_case_is_refused_naming_the_field() -> None:
    command = record(listing_id=None, case_id="2024-000007")

    with pytest.raises(InvalidInput) as refused:
        when_recorded(command, target=MeasureTarget())

    assert (refused.value.field, refused.value.rule) == ("case_id", "case_known")


@pytest.mark.parametrize(
    "tie",
    [{}, {"listing_id": "c-2024-000001", "case_id": "2024-000007"}],
    ids=["neither", "both"],
)
def test_a_measure_is_tied_to_exactly_one_case_or_listing(tie: dict[str, Any]) -> None:
    fields: dict[str, Any] = {
        "kind": MeasureKind.PERMIT_REFUSED,
        "taken_on": TAKEN_ON,
        "basis": "条例",
        "reference": "号",
    }
    with pytest.raises(ValidationError):
        RecordConstructionMeasure(**fields, **tie)


def test_a_measure_is_not_dated_after_today() -> None:
    with pytest.raises(InvalidInput) as refused:
        when_recorded(record(taken_on=date(2024, 6, 4)))

    assert (refused.value.field, refused.value.rule) == ("taken_on", "not_in_future")


def test_a_measure_is_recorded_once() -> None:
    with pytest.raises(InvalidTransition):
        when_recorded(record(), history=(recorded(),))


@pytest.mark.parametrize(
    ("kind", "on_listing", "standing"),
    [
        (MeasureKind.STOP_WORK_ORDER, True, True),
        (MeasureKind.STOP_WORK_ORDER, False, True),
        (MeasureKind.MARKET_ACCESS_RESTRICTED, False, True),
        (MeasureKind.BIDDING_RESTRICTED, False, True),
        (MeasureKind.MARKET_ACCESS_RESTRICTED, True, False),
        (MeasureKind.BIDDING_RESTRICTED, True, False),
        (MeasureKind.PERMIT_REFUSED, False, False),
        (MeasureKind.QUALIFICATION_INSPECTION_FAILED, True, False),
    ],
)
def test_which_measures_stand_until_lifted(
    kind: MeasureKind, on_listing: bool, standing: bool
) -> None:
    assert is_standing(kind, is_tied_to_listing=on_listing) is standing


def test_a_refused_permit_is_recorded_and_stays_so() -> None:
    events = when_recorded(record(kind=MeasureKind.PERMIT_REFUSED))

    assert MEASURE.replay(events).status is MeasureStatus.RECORDED
    with pytest.raises(InvalidTransition):
        when_lifted(tuple(events))


def test_a_stop_work_order_is_lifted_once_the_employer_paid_in_full() -> None:
    events = when_lifted((recorded(),))

    assert events == [
        ConstructionMeasureLifted(
            lifted_on=date(2024, 6, 3),
            reference="东建复字〔2024〕1号",
            paid_in_full_on=date(2024, 6, 1),
        )
    ]
    state = MEASURE.replay([recorded(), *events])
    assert (state.status, state.lifted_on) == (MeasureStatus.LIFTED, date(2024, 6, 3))


@pytest.mark.parametrize("paid", [None, date(2024, 6, 4)], ids=["never", "later"])
def test_without_full_payment_on_record_by_then_it_stays(paid: date | None) -> None:
    command = LIFT.model_copy(update={"lifted_on": date(2024, 6, 3)})

    with pytest.raises(RuleViolated) as refused:
        when_lifted((recorded(),), paid_in_full_on=paid, command=command)

    assert refused.value.code == "payment-not-on-record"


def test_it_is_not_lifted_before_it_was_taken() -> None:
    command = LIFT.model_copy(update={"lifted_on": date(2024, 5, 27)})

    with pytest.raises(InvalidInput) as refused:
        when_lifted((recorded(),), paid_in_full_on=date(2024, 5, 1), command=command)

    assert refused.value.rule == "not_before_measure"


def test_only_the_bureau_or_the_office_lifts_it() -> None:
    with pytest.raises(NotPermitted):
        when_lifted((recorded(),), acting=FY)


def test_a_lifted_order_is_not_lifted_again() -> None:
    lifted = when_lifted((recorded(),))

    with pytest.raises(InvalidTransition) as refused:
        when_lifted((recorded(), *lifted))

    assert refused.value.current == MeasureStatus.LIFTED


def test_a_measure_with_no_events_is_new() -> None:
    assert MEASURE.replay([]) == ConstructionMeasure()


def test_a_recorded_measure_holds_what_the_bureau_did() -> None:
    command = record(listing_id=None, case_id="2024-000007")

    events = when_recorded(command, acting=Acting.office(), target=KNOWN_CASE)

    assert MEASURE.replay(events) == ConstructionMeasure(
        status=MeasureStatus.IN_FORCE,
        kind=MeasureKind.STOP_WORK_ORDER,
        unit_code="jsj",
        listing_id=None,
        case_id="2024-000007",
        taken_on=TAKEN_ON,
        reference="东建停字〔2024〕3号",
    )


@pytest.mark.parametrize("kind", list(MeasureKind))
@pytest.mark.parametrize("on_listing", [True, False], ids=["listing", "case"])
def test_the_recorded_measure_says_whether_it_stands(
    kind: MeasureKind, on_listing: bool
) -> None:
    tie: dict[str, Any] = (
        {} if on_listing else {"listing_id": None, "case_id": "2024-000007"}
    )
    target = ACTIVE_LISTING if on_listing else KNOWN_CASE

    events = when_recorded(record(kind=kind, **tie), target=target)

    standing = is_standing(kind, is_tied_to_listing=on_listing)
    assert events == [recorded(kind=kind, is_standing=standing, **tie)]
    status = MeasureStatus.IN_FORCE if standing else MeasureStatus.RECORDED
    assert MEASURE.replay(events).status is status


def test_a_measure_is_dated_today_at_the_latest() -> None:
    events = when_recorded(record(taken_on=TODAY))

    assert events == [recorded(taken_on=TODAY)]


def test_a_measure_recorded_twice_names_what_it_allows() -> None:
    with pytest.raises(InvalidTransition) as refused:
        when_recorded(record(), history=(recorded(),))

    assert refused.value.current == MeasureStatus.IN_FORCE
    assert refused.value.allowed == (LiftConstructionMeasure,)


def test_it_is_lifted_on_the_day_the_employer_paid_in_full() -> None:
    events = when_lifted((recorded(),), paid_in_full_on=LIFT.lifted_on)

    assert events == [
        ConstructionMeasureLifted(
            lifted_on=LIFT.lifted_on,
            reference=LIFT.reference,
            paid_in_full_on=LIFT.lifted_on,
        )
    ]


def test_it_is_lifted_on_the_day_it_was_taken() -> None:
    command = LIFT.model_copy(update={"lifted_on": TAKEN_ON})

    events = when_lifted((recorded(),), paid_in_full_on=TAKEN_ON, command=command)

    assert MEASURE.replay([recorded(), *events]).lifted_on == TAKEN_ON


def test_it_is_not_lifted_on_a_later_day_than_today() -> None:
    command = LIFT.model_copy(update={"lifted_on": TODAY + timedelta(days=1)})

    with pytest.raises(InvalidInput) as refused:
        when_lifted((recorded(),), command=command)

    assert (refused.value.field, refused.value.rule) == ("lifted_on", "not_in_future")
