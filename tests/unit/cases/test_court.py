"""The court records its own acts: given a case the agency applied to enforce, when the
court (or the office) records acceptance, preservation, advance execution or the
outcome, then events or a refusal; what it realised counts as recovered."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.cases.command_table import COMMANDS
from services.cases.domain.case import CaseEvent, allowed_steps
from services.cases.domain.court import (
    EnforcementOutcomeRecorded,
    RecordAdvanceExecution,
    RecordEnforcementAccepted,
    RecordEnforcementOutcome,
    RecordPropertyPreservation,
    record_advance_execution,
    record_enforcement_accepted,
    record_enforcement_outcome,
    record_property_preservation,
)
from services.cases.domain.state import CaseStatus
from shared.duties import Acting, Duty
from shared.errors import InvalidInput, InvalidTransition, NotPermitted, RuleViolated
from tests.unit.cases.factories import (
    CONSTRUCTION,
    COURT,
    COURT_NUMBER,
    OFFICE,
    POLICE,
    TODAY,
    advance_execution_ordered,
    arrears_cleared,
    case_of,
    decided,
    enforcement_accepted,
    enforcement_outcome_recorded,
    enforcing,
    fine_enforcement_applied,
    fine_paid,
    heard,
    ordered,
    overdue,
    penalty_decided,
    property_preservation_ordered,
)

ACCEPTED = [*enforcing(), enforcement_accepted()]
ACCEPT = RecordEnforcementAccepted(
    accepted_on=date(2024, 5, 2), document_number=COURT_NUMBER
)
PRESERVE = RecordPropertyPreservation(
    ordered_on=date(2024, 5, 3),
    document_number=COURT_NUMBER,
    description="冻结被执行人银行存款12000元",
)


def outcome(
    realised: str = "5000.00",
    *,
    on: date = date(2024, 5, 6),
    is_concluded: bool = False,
) -> RecordEnforcementOutcome:
    return RecordEnforcementOutcome(
        decided_on=on,
        amount_realised=Decimal(realised),
        document_number=COURT_NUMBER,
        is_concluded=is_concluded,
    )


@pytest.mark.parametrize("acting", [COURT, OFFICE], ids=["court", "office"])
def test_the_court_or_the_office_records_the_acceptance_with_its_number(
    acting: Acting,
) -> None:
    events = record_enforcement_accepted(
        case_of(enforcing()), ACCEPT, today=TODAY, acting=acting
    )

    assert events == [enforcement_accepted()]
    court = case_of(enforcing(), events).court
    assert court is not None
    assert court.accepted_on == date(2024, 5, 2)
    assert court.document_numbers == (COURT_NUMBER,)


@pytest.mark.parametrize("acting", [POLICE, CONSTRUCTION], ids=["gafj", "jsj"])
def test_another_unit_may_not_record_the_courts_acts(acting: Acting) -> None:
    with pytest.raises(NotPermitted, match="court"):
        record_enforcement_accepted(
            case_of(enforcing()), ACCEPT, today=TODAY, acting=acting
        )
    with pytest.raises(NotPermitted):
        record_enforcement_outcome(
            case_of(ACCEPTED), outcome(), today=TODAY, acting=acting
        )


def test_a_unit_that_holds_the_court_duty_under_another_code_may() -> None:
    court = Acting.unit_of("fy-xq", Duty.COURT)

    events = record_enforcement_accepted(
        case_of(enforcing()), ACCEPT, today=TODAY, acting=court
    )

    assert events == [enforcement_accepted()]


def test_court_steps_are_taken_only_under_court_enforcement() -> None:
    with pytest.raises(InvalidTransition) as refused:
        record_enforcement_accepted(
            case_of(overdue()), ACCEPT, today=TODAY, acting=COURT
        )

    assert refused.value.current == CaseStatus.OVERDUE
    with pytest.raises(InvalidTransition):
        record_property_preservation(
            case_of(overdue()), PRESERVE, today=TODAY, acting=COURT
        )


def test_the_court_accepts_an_application_once() -> None:
    with pytest.raises(RuleViolated) as refused:
        record_enforcement_accepted(
            case_of(ACCEPTED), ACCEPT, today=TODAY, acting=COURT
        )

    assert refused.value.code == "enforcement-already-accepted"


def test_the_acceptance_is_not_before_the_application_nor_in_the_future() -> None:
    before = ACCEPT.model_copy(update={"accepted_on": date(2024, 4, 28)})
    future = ACCEPT.model_copy(update={"accepted_on": date(2024, 5, 7)})

    with pytest.raises(InvalidInput) as early:
        record_enforcement_accepted(
            case_of(enforcing()), before, today=TODAY, acting=COURT
        )
    with pytest.raises(InvalidInput) as late:
        record_enforcement_accepted(
            case_of(enforcing()), future, today=TODAY, acting=COURT
        )

    assert (early.value.field, early.value.rule) == (
        "accepted_on",
        "not_before_application",
    )
    assert (late.value.field, late.value.rule) == ("accepted_on", "not_in_future")


def test_property_may_be_preserved_before_the_acceptance_not_before_the_application() -> (
    None
):
    events = record_property_preservation(
        case_of(enforcing()), PRESERVE, today=TODAY, acting=COURT
    )
    early = PRESERVE.model_copy(update={"ordered_on": date(2024, 4, 26)})

    assert events == [property_preservation_ordered()]
    assert case_of(enforcing(), events).court.preservations == 1  # type: ignore[union-attr]
    with pytest.raises(InvalidInput) as refused:
        record_property_preservation(
            case_of(enforcing()), early, today=TODAY, acting=COURT
        )
    assert refused.value.rule == "not_before_application"


def test_an_advance_execution_is_recorded_but_recovers_nothing() -> None:
    command = RecordAdvanceExecution(
        ordered_on=date(2024, 5, 3),
        document_number=COURT_NUMBER,
        amount=Decimal("3000.00"),
    )

    events = record_advance_execution(
        case_of(ACCEPTED), command, today=TODAY, acting=OFFICE
    )

    assert events == [advance_execution_ordered(amount=Decimal("3000.00"))]
    case = case_of(ACCEPTED, events)
    assert case.amount_recovered == 0
    assert case.court is not None
    assert case.court.advance_executions == 1


def test_what_the_court_realised_adds_to_what_is_recovered() -> None:
    events = record_enforcement_outcome(
        case_of(ACCEPTED), outcome(), today=TODAY, acting=COURT
    )

    assert events == [enforcement_outcome_recorded()]
    case = case_of(ACCEPTED, events)
    assert case.amount_recovered == Decimal("5000.00")
    assert case.amount_still_owed == Decimal("7000.00")
    assert case.court is not None
    assert case.court.amount_realised == Decimal("5000.00")


def test_realising_the_rest_clears_the_arrears() -> None:
    events = record_enforcement_outcome(
        case_of(ACCEPTED),
        outcome("12000.00", is_concluded=True),
        today=TODAY,
        acting=COURT,
    )

    assert events == [
        enforcement_outcome_recorded(
            amount_realised=Decimal("12000.00"), is_concluded=True
        ),
        arrears_cleared(
            cleared_on=date(2024, 5, 6), amount_recovered=Decimal("12000.00")
        ),
    ]
    assert case_of(ACCEPTED, events).amount_still_owed == 0


@given(st.lists(st.integers(0, 2_000_000), min_size=1, max_size=6))
def test_realised_amounts_add_up_and_what_is_owed_never_goes_below_zero(
    cents: list[int],
) -> None:
    history = list(ACCEPTED)
    for amount in cents:
        realised = str(Decimal(amount) / 100)
        history += record_enforcement_outcome(
            case_of(history), outcome(realised), today=TODAY, acting=COURT
        )

    case = case_of(history)
    total = sum((Decimal(c) / 100 for c in cents), Decimal(0))
    assert case.amount_recovered == total
    assert case.amount_still_owed == max(Decimal(0), Decimal("12000.00") - total)


def test_an_outcome_needs_the_acceptance_first() -> None:
    with pytest.raises(RuleViolated) as refused:
        record_enforcement_outcome(
            case_of(enforcing()), outcome(), today=TODAY, acting=COURT
        )

    assert refused.value.code == "enforcement-not-accepted"


def test_an_outcome_is_not_before_the_acceptance_nor_in_the_future() -> None:
    with pytest.raises(InvalidInput) as early:
        record_enforcement_outcome(
            case_of(ACCEPTED), outcome(on=date(2024, 5, 1)), today=TODAY, acting=COURT
        )
    with pytest.raises(InvalidInput) as late:
        record_enforcement_outcome(
            case_of(ACCEPTED), outcome(on=date(2024, 5, 7)), today=TODAY, acting=COURT
        )

    assert (early.value.field, early.value.rule) == (
        "decided_on",
        "not_before_acceptance",
    )
    assert late.value.rule == "not_in_future"


def test_a_concluded_enforcement_takes_no_more_acts() -> None:
    concluded = [*ACCEPTED, enforcement_outcome_recorded(is_concluded=True)]

    with pytest.raises(RuleViolated) as refused:
        record_enforcement_outcome(
            case_of(concluded), outcome(), today=TODAY, acting=COURT
        )
    with pytest.raises(RuleViolated):
        record_property_preservation(
            case_of(concluded), PRESERVE, today=TODAY, acting=OFFICE
        )

    assert refused.value.code == "court-enforcement-concluded"
    court = case_of(concluded).court
    assert court is not None
    assert court.concluded_on == date(2024, 5, 6)


def test_a_realised_amount_is_never_negative() -> None:
    with pytest.raises(ValueError, match="amount_realised"):
        outcome("-1.00")


# A fine sent to the court (行政处罚法 art. 72): the court acts on it as on the arrears.

FINE_SENT = [*decided(), fine_enforcement_applied(applied_on=date(2024, 5, 20))]
AFTER = date(2024, 5, 31)


def test_the_court_accepts_a_fine_sent_to_it_whatever_the_cases_status() -> None:
    # Given an ordered case whose unpaid fine was sent to the court on 05-20, when the
    # court accepts, then its acceptance is recorded on a court record of that day.
    case = case_of(FINE_SENT)
    accept = ACCEPT.model_copy(update={"accepted_on": date(2024, 5, 21)})

    events = record_enforcement_accepted(case, accept, today=AFTER, acting=COURT)

    assert case.status is CaseStatus.ORDERED_TO_PAY
    assert case.court is not None
    assert case.court.applied_on == date(2024, 5, 20)
    assert events == [enforcement_accepted(accepted_on=date(2024, 5, 21))]
    assert "record-enforcement-accepted" in [
        COMMANDS.row(c).verb for c in allowed_steps(case, today=AFTER)
    ]


def test_the_court_does_not_act_on_a_fine_before_it_was_sent() -> None:
    with pytest.raises(InvalidInput) as refused:
        record_enforcement_accepted(
            case_of(FINE_SENT), ACCEPT, today=AFTER, acting=COURT
        )

    assert refused.value.rule == "not_before_application"


def test_what_a_fines_enforcement_realises_is_no_wages_recovered() -> None:
    accepted = [*FINE_SENT, enforcement_accepted(accepted_on=date(2024, 5, 21))]

    events = record_enforcement_outcome(
        case_of(accepted),
        outcome("20000.00", on=date(2024, 5, 22)),
        today=AFTER,
        acting=COURT,
    )

    assert [type(e) for e in events] == [type(enforcement_outcome_recorded())]
    case = case_of(accepted, events)
    assert case.amount_recovered == Decimal(0)
    assert case.court is not None
    assert case.court.amount_realised == Decimal("20000.00")


def test_the_court_no_longer_acts_once_the_fine_was_paid() -> None:
    paid = [*FINE_SENT, fine_paid(paid_on=date(2024, 5, 22))]

    with pytest.raises(InvalidTransition):
        record_property_preservation(case_of(paid), PRESERVE, today=AFTER, acting=COURT)
    assert "record-property-preservation" not in [
        COMMANDS.row(c).verb for c in allowed_steps(case_of(paid), today=AFTER)
    ]


def _verbs(case_history: list[CaseEvent], today: date = TODAY) -> list[str | None]:
    return [
        COMMANDS.row(c).verb for c in allowed_steps(case_of(case_history), today=today)
    ]


def test_an_outcome_is_offered_once_the_court_accepted_until_it_concluded() -> None:
    concluded = [*ACCEPTED, enforcement_outcome_recorded(is_concluded=True)]

    assert "record-enforcement-outcome" not in _verbs(enforcing())
    assert "record-enforcement-accepted" in _verbs(enforcing())
    assert "record-enforcement-outcome" in _verbs(ACCEPTED)
    assert "record-enforcement-accepted" not in _verbs(ACCEPTED)
    assert "record-enforcement-outcome" not in _verbs(concluded)


@pytest.mark.parametrize(
    ("ordered_on", "rule"),
    [
        (date(2024, 4, 28), "not_before_application"),
        (date(2024, 5, 7), "not_in_future"),
    ],
)
def test_an_advance_execution_is_not_before_the_application_nor_in_the_future(
    ordered_on: date, rule: str
) -> None:
    command = RecordAdvanceExecution(
        ordered_on=ordered_on, document_number=COURT_NUMBER
    )

    with pytest.raises(InvalidInput) as refused:
        record_advance_execution(
            case_of(enforcing()), command, today=TODAY, acting=COURT
        )

    assert (refused.value.field, refused.value.rule) == ("ordered_on", rule)


def test_an_advance_execution_may_be_ordered_on_the_day_of_the_application() -> None:
    command = RecordAdvanceExecution(
        ordered_on=date(2024, 4, 29), document_number=COURT_NUMBER
    )

    events = record_advance_execution(
        case_of(enforcing()), command, today=TODAY, acting=COURT
    )

    assert events == [
        advance_execution_ordered(ordered_on=date(2024, 4, 29), amount=None)
    ]


def test_a_fine_sent_after_the_arrears_enforcement_concluded_opens_a_new_record() -> (
    None
):
    # Given a case whose arrears the court enforced and concluded, and whose fine was
    # decided, when the unpaid fine is sent to the court, then a new court record
    # starts on that day; sent while the arrears' one is open, it joins that one.
    penalised = [*enforcing(), *heard()[len(ordered()) :], penalty_decided()]
    concluded = [*penalised, enforcement_accepted(), outcome_concluded()]
    sent = fine_enforcement_applied(applied_on=date(2024, 5, 20))

    fresh = case_of(concluded, [sent]).court
    joined = case_of(penalised, [enforcement_accepted(), sent]).court

    assert fresh is not None
    assert (fresh.applied_on, fresh.accepted_on, fresh.concluded_on) == (
        date(2024, 5, 20),
        None,
        None,
    )
    assert joined is not None
    assert (joined.applied_on, joined.accepted_on) == (
        date(2024, 4, 29),
        date(2024, 5, 2),
    )


def outcome_concluded() -> EnforcementOutcomeRecorded:
    return enforcement_outcome_recorded(is_concluded=True)


def test_more_realised_once_the_arrears_were_cleared_clears_nothing_again() -> None:
    # Given arrears the court realised in full, its enforcement not concluded, when
    # it realises more (the compensation decided), then only the outcome is recorded.
    cleared = [
        *ACCEPTED,
        enforcement_outcome_recorded(amount_realised=Decimal("12000.00")),
        arrears_cleared(
            cleared_on=date(2024, 5, 6), amount_recovered=Decimal("12000.00")
        ),
    ]

    events = record_enforcement_outcome(
        case_of(cleared), outcome("500.00"), today=TODAY, acting=COURT
    )

    assert events == [enforcement_outcome_recorded(amount_realised=Decimal("500.00"))]


def test_a_preservation_is_not_dated_in_the_future() -> None:
    future = PRESERVE.model_copy(update={"ordered_on": date(2024, 5, 7)})

    with pytest.raises(InvalidInput) as refused:
        record_property_preservation(
            case_of(enforcing()), future, today=TODAY, acting=COURT
        )

    assert (refused.value.field, refused.value.rule) == ("ordered_on", "not_in_future")
