"""Early removal on credit repair: given an active listing, when the employer applies
and the office decides, then the listing is removed only when it paid in full during
the listing, on record in cases, 6 whole months passed from that payment to the
application, no new arrears came and it committed in writing; otherwise refused with
every condition not met."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from pydantic import ValidationError

from services.credit.domain.aggregate import ListingEvent
from services.credit.domain.early_removal import (
    ApplyForEarlyRemoval,
    DecideEarlyRemoval,
    EarlyRemovalEvent,
    PaymentOnRecord,
    RefusalReason,
    apply_for_early_removal,
    decide_early_removal,
)
from services.credit.domain.ending import ExpireListing, RevokeListing
from services.credit.domain.listing import ListingStatus
from services.credit.domain.publication import PublishListing
from shared.domain import Role
from shared.errors import InvalidInput, InvalidTransition, RuleViolated
from tests.unit.credit.factories import (
    CALENDAR,
    LIMITS,
    active,
    early_removal_applied,
    early_removal_granted,
    early_removal_refused,
    listed,
    listing_of,
)

APPLY = ApplyForEarlyRemoval(
    applied_on=date(2025, 1, 6),
    paid_on=date(2024, 7, 1),
    commitment_text="本单位承诺今后按时足额支付农民工工资",
)
DECIDE = DecideEarlyRemoval(decided_on=date(2025, 1, 13))
DECIDED_ON = date(2025, 1, 13)
CASES = ("2024-000001",)


def on_record(paid_in_full_on: date | None) -> PaymentOnRecord:
    return PaymentOnRecord(case_ids=CASES, paid_in_full_on=paid_in_full_on)


def applied(
    history: list[ListingEvent],
    command: ApplyForEarlyRemoval = APPLY,
    *,
    has_new_arrears: bool = False,
    record: PaymentOnRecord | None = None,
) -> list[EarlyRemovalEvent]:
    return apply_for_early_removal(
        listing_of(history),
        command,
        today=command.applied_on,
        has_new_arrears=has_new_arrears,
        payment_on_record=record or on_record(command.paid_on),
    )


def decided(
    history: list[ListingEvent], *, has_new_arrears: bool = False, **facts: Any
) -> list[EarlyRemovalEvent]:
    # Unless a test says otherwise, cases recorded the payment the employer declared.
    application = listing_of(history).early_removal
    given: dict[str, Any] = {
        "today": DECIDED_ON,
        "calendar": CALENDAR,
        "limits": LIMITS,
        "payment_on_record": on_record(application.paid_on if application else None),
    }
    return decide_early_removal(
        listing_of(history), DECIDE, has_new_arrears=has_new_arrears, **(given | facts)
    )


def test_the_office_records_the_application_and_decides() -> None:
    assert ApplyForEarlyRemoval.permitted == {Role.OFFICE}
    assert DecideEarlyRemoval.permitted == {Role.OFFICE}


def test_the_employer_applies_with_its_payment_and_commitment() -> None:
    events = applied(active())

    assert events == [early_removal_applied()]


def test_the_application_records_new_arrears_known_when_it_was_made() -> None:
    events = applied(active(), has_new_arrears=True)

    assert events == [early_removal_applied(has_new_arrears=True)]


def test_one_application_awaits_a_decision_at_a_time() -> None:
    with pytest.raises(RuleViolated) as refused:
        applied([*active(), early_removal_applied()])

    assert refused.value.code == "early-removal-pending"


def test_after_a_refusal_the_employer_may_apply_again() -> None:
    history = [*active(), early_removal_applied(), early_removal_refused()]

    events = applied(history)

    assert events == [early_removal_applied()]


def test_a_listing_not_yet_active_is_not_removed_early() -> None:
    with pytest.raises(InvalidTransition) as refused:
        applied(listed())

    assert refused.value.current == ListingStatus.LISTED
    assert refused.value.allowed == (PublishListing, ExpireListing, RevokeListing)


def test_a_payment_after_the_application_is_refused() -> None:
    with pytest.raises(ValidationError):
        ApplyForEarlyRemoval(applied_on=date(2025, 1, 6), paid_on=date(2025, 1, 7))


def test_an_application_is_not_dated_before_the_decision() -> None:
    early = APPLY.model_copy(update={"applied_on": date(2024, 5, 17)})

    with pytest.raises(InvalidInput) as refused:
        applied(active(), early)

    assert (refused.value.field, refused.value.rule) == (
        "applied_on",
        "not_before_decision",
    )


def test_all_conditions_met_remove_the_listing_and_lift_every_sanction() -> None:
    events = decided([*active(), early_removal_applied()])

    assert events == [early_removal_granted()]
    assert listing_of(active(), events).status is ListingStatus.REMOVED


def test_there_is_nothing_to_decide_without_an_application() -> None:
    with pytest.raises(RuleViolated) as refused:
        decided(active())

    assert refused.value.code == "no-early-removal-application"


@pytest.mark.parametrize(
    ("application", "has_new_arrears", "reasons"),
    [
        (
            {"paid_on": None},
            False,
            (RefusalReason.NOT_PAID,),
        ),
        (
            {"paid_on": date(2024, 7, 7)},
            False,
            (RefusalReason.TOO_SOON_AFTER_CORRECTION,),
        ),
        ({"has_new_arrears": True}, False, (RefusalReason.NEW_ARREARS,)),
        ({}, True, (RefusalReason.NEW_ARREARS,)),
        (
            {"commitment_text": ""},
            False,
            (RefusalReason.NO_WRITTEN_COMMITMENT,),
        ),
        (
            {"paid_on": None, "commitment_text": ""},
            True,
            (
                RefusalReason.NOT_PAID,
                RefusalReason.NEW_ARREARS,
                RefusalReason.NO_WRITTEN_COMMITMENT,
            ),
        ),
    ],
    ids=[
        "not-paid",
        "too-soon",
        "new-arrears-at-application",
        "new-arrears-since",
        "no-commitment",
        "several",
    ],
)
def test_a_condition_not_met_refuses_removal_naming_it(
    application: dict[str, Any],
    has_new_arrears: bool,
    reasons: tuple[RefusalReason, ...],
) -> None:
    history = [*active(), early_removal_applied(**application)]

    events = decided(history, has_new_arrears=has_new_arrears)

    assert events == [early_removal_refused(reasons=reasons)]
    assert listing_of(history, events).status is ListingStatus.ACTIVE


def test_five_months_and_thirty_days_after_the_payment_is_too_soon() -> None:
    # 15 June + 5 months = 15 November, + 29 days = 14 December: a day short.
    history = [
        *active(),
        early_removal_applied(paid_on=date(2024, 6, 15), applied_on=date(2024, 12, 14)),
    ]

    events = decided(history, today=DECIDED_ON)

    assert events == [
        early_removal_refused(reasons=(RefusalReason.TOO_SOON_AFTER_CORRECTION,))
    ]


def test_six_months_to_the_day_after_the_payment_is_enough() -> None:
    history = [
        *active(),
        early_removal_applied(paid_on=date(2024, 6, 15), applied_on=date(2024, 12, 15)),
    ]

    events = decided(history)

    assert events == [early_removal_granted()]


def test_six_months_after_31_may_is_the_last_day_of_november() -> None:
    history = [
        *active(),
        early_removal_applied(paid_on=date(2024, 5, 31), applied_on=date(2024, 11, 30)),
    ]

    events = decided(history)

    assert events == [early_removal_granted()]


def test_the_months_are_counted_to_the_application_not_to_the_decision() -> None:
    history = [
        *active(),
        early_removal_applied(paid_on=date(2024, 7, 8), applied_on=date(2025, 1, 6)),
    ]

    events = decided(history)

    assert events == [
        early_removal_refused(reasons=(RefusalReason.TOO_SOON_AFTER_CORRECTION,))
    ]


def test_the_districts_waiting_months_apply() -> None:
    limits = LIMITS.model_copy(update={"early_removal_min_months": 12})
    history = [*active(), early_removal_applied()]

    events = decided(history, limits=limits)

    assert events == [
        early_removal_refused(reasons=(RefusalReason.TOO_SOON_AFTER_CORRECTION,))
    ]


def test_a_removal_is_not_decided_before_the_application() -> None:
    history = [*active(), early_removal_applied(applied_on=date(2025, 1, 14))]

    with pytest.raises(InvalidInput) as refused:
        decided(history, today=date(2025, 1, 14))

    assert (refused.value.field, refused.value.rule) == (
        "decided_on",
        "not_before_application",
    )


# The payment must be on record in cases, in full, during the listing (issue 14).


def test_a_declared_payment_before_the_listing_decision_is_refused() -> None:
    before = APPLY.model_copy(update={"paid_on": date(2024, 5, 19)})

    with pytest.raises(RuleViolated) as refused:
        applied(active(), before, record=on_record(date(2024, 5, 19)))

    assert refused.value.code == "payment-before-listing"


def test_a_payment_on_the_decision_day_is_during_the_listing() -> None:
    on_the_day = APPLY.model_copy(update={"paid_on": date(2024, 5, 20)})

    events = applied(active(), on_the_day)

    assert events == [early_removal_applied(paid_on=date(2024, 5, 20))]


def test_a_declared_payment_cases_never_recorded_is_refused() -> None:
    with pytest.raises(RuleViolated) as refused:
        applied(active(), record=on_record(None))

    assert refused.value.code == "payment-not-on-record"
    assert "2024-000001" in refused.value.detail


def test_a_full_payment_recorded_after_the_declared_day_is_not_on_record() -> None:
    with pytest.raises(RuleViolated) as refused:
        applied(active(), record=on_record(date(2024, 7, 2)))

    assert refused.value.code == "payment-not-on-record"


def test_a_listing_whose_cases_were_cleared_before_the_decision_is_not_repaired() -> (
    None
):
    with pytest.raises(RuleViolated) as refused:
        applied(active(), record=on_record(date(2024, 5, 1)))

    assert refused.value.code == "payment-before-listing"


def test_an_earlier_recorded_payment_within_the_listing_is_accepted() -> None:
    events = applied(active(), record=on_record(date(2024, 6, 1)))

    assert events == [early_removal_applied()]


def test_without_a_declared_payment_the_record_is_not_asked() -> None:
    unpaid = APPLY.model_copy(update={"paid_on": None})

    events = applied(active(), unpaid, record=on_record(None))

    assert events == [early_removal_applied(paid_on=None)]


def test_a_payment_no_longer_in_full_on_record_refuses_removal() -> None:
    # A later order to pay found more owed: cases no longer show the case cleared.
    history = [*active(), early_removal_applied()]

    events = decided(history, payment_on_record=on_record(None))

    assert events == [early_removal_refused(reasons=(RefusalReason.NOT_PAID,))]


def test_an_application_of_old_whose_payment_preceded_the_listing_is_refused() -> None:
    history = [*active(), early_removal_applied(paid_on=date(2024, 3, 1))]

    events = decided(history, payment_on_record=on_record(date(2024, 3, 1)))

    assert events == [early_removal_refused(reasons=(RefusalReason.NOT_PAID,))]


def test_the_months_run_from_the_recorded_full_payment() -> None:
    # Declared 1 July, but cases recorded the last payment on 6 July 2024: 6 months
    # from then end on 6 January 2025, after an application of 5 January.
    history = [
        *active(),
        early_removal_applied(paid_on=date(2024, 7, 6), applied_on=date(2025, 1, 5)),
    ]

    events = decided(history, payment_on_record=on_record(date(2024, 7, 6)))

    assert events == [
        early_removal_refused(reasons=(RefusalReason.TOO_SOON_AFTER_CORRECTION,))
    ]
