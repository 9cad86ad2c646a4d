"""Duplicate intake: given the employer's cases on record, when a new case is received,
then it is flagged as a possible duplicate of an open one received within the window
with a worker or the project in common; the office confirms or dismisses the flag."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.cases.domain.case import CASE
from services.cases.domain.duplicate_match import (
    EarlierCase,
    PossibleDuplicateFlagged,
    possible_duplicate,
    project_key,
)
from services.cases.domain.duplicates import (
    ConfirmDuplicate,
    DismissDuplicate,
    confirm_duplicate,
    dismiss_duplicate,
)
from services.cases.domain.intake import receive_case
from services.cases.domain.lifecycle import OPEN
from services.cases.domain.particulars import Project
from services.cases.domain.state import (
    Case,
    CaseStatus,
    DuplicateReason,
    DuplicateResolution,
)
from shared.errors import InvalidInput, InvalidTransition
from tests.unit.cases import factories as f
from tests.unit.cases.test_intake import receive

WINDOW = f.LIMITS.duplicate_window_days
NEW = f.case_of(f.received())
"""The new case: the default employer, project 城东花园二期 and worker-0001."""


def flags(
    earlier: tuple[EarlierCase, ...], case: Case = NEW
) -> list[PossibleDuplicateFlagged]:
    return possible_duplicate(case, earlier, case_id=f.CASE_ID, limits=f.LIMITS)


def test_the_default_window_is_ninety_days() -> None:
    assert WINDOW == 90


def test_a_case_naming_a_worker_of_an_open_case_of_the_employer_is_flagged() -> None:
    earlier = f.earlier_case(project_name="另一个项目")

    assert flags((earlier,)) == [
        f.possible_duplicate_flagged(reasons=(DuplicateReason.SAME_WORKER,))
    ]


def test_a_case_about_the_same_project_of_the_employer_is_flagged() -> None:
    earlier = f.earlier_case(project_name=" 城东 花园二期\u3000", worker_subjects=())

    assert flags((earlier,)) == [
        f.possible_duplicate_flagged(reasons=(DuplicateReason.SAME_PROJECT,))
    ]


def test_a_receipt_flags_the_case_in_the_same_command() -> None:
    events = receive_case(
        Case(),
        receive(),
        today=f.TODAY,
        calendar=f.CALENDAR,
        limits=f.LIMITS,
        units=f.UNITS,
        case_id=f.CASE_ID,
        earlier=(f.earlier_case(),),
    )

    assert events == [f.case_received(), f.possible_duplicate_flagged()]


def test_a_case_of_the_employer_with_nothing_in_common_is_not_flagged() -> None:
    earlier = f.earlier_case(project_name="另一个项目", worker_subjects=("w-2",))

    assert flags((earlier,)) == []


def test_a_case_outside_the_window_is_not_matched() -> None:
    day = f.RECEIVED_ON - timedelta(days=WINDOW)

    assert flags((f.earlier_case(received_on=day - timedelta(days=1)),)) == []
    assert flags((f.earlier_case(received_on=day),)) != []


def test_a_case_of_another_employer_is_not_matched() -> None:
    assert flags((f.earlier_case(employer_uscc="91350100M000100Y43"),)) == []


def test_a_case_without_an_employer_code_is_matched_with_none() -> None:
    case = f.case_of(f.received(employer=f.employer(uscc=None)))

    assert flags((f.earlier_case(),), case) == []


@pytest.mark.parametrize(
    "status",
    [
        CaseStatus.REJECTED,
        CaseStatus.TRANSFERRED_OUT,
        CaseStatus.CANCELLED,
        CaseStatus.CLOSED,
    ],
)
def test_a_case_no_longer_open_is_not_matched(status: CaseStatus) -> None:
    assert flags((f.earlier_case(status=status),)) == []


def test_the_case_is_linked_to_the_earliest_matching_case() -> None:
    first = f.earlier_case(case_id="2024-000050", received_on=date(2024, 1, 10))
    second = f.earlier_case(case_id="2024-000100", received_on=date(2024, 2, 5))

    assert [e.of_case_id for e in flags((second, first))] == ["2024-000050"]


def test_a_case_is_not_its_own_duplicate() -> None:
    assert flags((f.earlier_case(case_id=f.CASE_ID),)) == []


def test_a_flagged_case_shows_what_it_may_duplicate() -> None:
    case = f.case_of(f.flagged())

    assert case.possible_duplicate_of == f.EARLIER_CASE_ID
    assert case.is_duplicate_pending


def test_a_confirmed_duplicate_is_refused_and_owes_nothing_in_the_totals() -> None:
    case = f.case_of(f.flagged())

    events = confirm_duplicate(
        case, ConfirmDuplicate(confirmed_on=f.TODAY), today=f.TODAY
    )

    assert events == [
        f.duplicate_confirmed(),
        f.case_rejected(rejected_on=f.TODAY, reason="duplicate of case 2024-000100"),
    ]
    after = CASE.replay([*f.flagged(), *events])
    assert after.status is CaseStatus.REJECTED
    assert after.duplicate_resolution is DuplicateResolution.CONFIRMED
    assert not after.is_arrears
    assert after.deadlines == ()


def test_a_dismissed_flag_leaves_the_case_going_on() -> None:
    case = f.case_of(f.flagged())
    command = DismissDuplicate(dismissed_on=f.TODAY, reason="另一批工人")

    events = dismiss_duplicate(case, command, today=f.TODAY)

    assert events == [f.duplicate_dismissed()]
    after = CASE.replay([*f.flagged(), *events])
    assert after.status is CaseStatus.RECEIVED
    assert not after.is_duplicate_pending
    assert after.is_arrears


def test_a_case_not_flagged_cannot_be_confirmed_a_duplicate() -> None:
    with pytest.raises(InvalidTransition):
        confirm_duplicate(NEW, ConfirmDuplicate(confirmed_on=f.TODAY), today=f.TODAY)


def test_a_dismissed_flag_cannot_be_confirmed_after_all() -> None:
    case = f.case_of(f.flagged(), [f.duplicate_dismissed()])

    with pytest.raises(InvalidTransition):
        confirm_duplicate(case, ConfirmDuplicate(confirmed_on=f.TODAY), today=f.TODAY)


def test_an_accepted_case_is_not_confirmed_a_duplicate_but_may_be_cleared() -> None:
    case = f.case_of(f.flagged(), [f.case_accepted()])
    dismiss = DismissDuplicate(dismissed_on=f.TODAY, reason="另一批工人")

    with pytest.raises(InvalidTransition):
        confirm_duplicate(case, ConfirmDuplicate(confirmed_on=f.TODAY), today=f.TODAY)
    assert dismiss_duplicate(case, dismiss, today=f.TODAY) == [f.duplicate_dismissed()]


def test_a_confirmed_duplicate_cannot_be_dismissed() -> None:
    case = f.case_of(f.flagged(), [f.duplicate_confirmed()])

    with pytest.raises(InvalidTransition):
        dismiss_duplicate(
            case, DismissDuplicate(dismissed_on=f.TODAY, reason="x"), today=f.TODAY
        )


_USCCS = st.sampled_from([f.VALID_USCC, "91350100M000100Y43"])
_PROJECTS = st.sampled_from(["城东花园二期", " 城东花园 二期 ", "城东花园三期", None])
_SUBJECTS = st.lists(st.sampled_from(["worker-0001", "w-2", "w-3"]), unique=True)


@given(
    uscc=_USCCS,
    days_apart=st.integers(-200, 200),
    status=st.sampled_from(list(CaseStatus)),
    project_name=_PROJECTS,
    subjects=_SUBJECTS,
    new_project=st.sampled_from(["城东花园二期", "城东花园三期", None]),
)
def test_a_case_is_flagged_exactly_when_the_rule_holds(
    uscc: str,
    days_apart: int,
    status: CaseStatus,
    project_name: str | None,
    subjects: list[str],
    new_project: str | None,
) -> None:
    new = NEW.model_copy(
        update={"project": Project(name=new_project) if new_project else None}
    )
    earlier = f.earlier_case(
        employer_uscc=uscc,
        status=status,
        received_on=f.RECEIVED_ON + timedelta(days=days_apart),
        project_name=project_name,
        worker_subjects=tuple(subjects),
    )

    flagged = flags((earlier,), new)

    same_worker = "worker-0001" in subjects
    same_project = new_project is not None and project_key(project_name) == new_project
    holds = (
        uscc == f.VALID_USCC
        and abs(days_apart) <= WINDOW
        and status in OPEN
        and (same_worker or same_project)
    )
    assert bool(flagged) == holds
    if flagged:
        reasons = flagged[0].reasons
        assert (DuplicateReason.SAME_WORKER in reasons) == same_worker
        assert (DuplicateReason.SAME_PROJECT in reasons) == same_project


def test_a_flagged_case_keeps_why_it_was_flagged() -> None:
    case = f.case_of(f.flagged())

    assert case.duplicate_reasons == (
        DuplicateReason.SAME_WORKER,
        DuplicateReason.SAME_PROJECT,
    )
    assert case.duplicate_resolution is None


def test_a_case_not_flagged_cannot_be_cleared_of_a_flag() -> None:
    with pytest.raises(InvalidTransition):
        dismiss_duplicate(
            NEW, DismissDuplicate(dismissed_on=f.TODAY, reason="x"), today=f.TODAY
        )


@pytest.mark.parametrize(
    ("day", "rule"),
    [
        (f.TODAY + timedelta(days=1), "not_in_future"),
        (f.RECEIVED_ON - timedelta(days=1), "not_before_receipt"),
    ],
)
def test_a_flag_is_resolved_on_a_day_after_the_receipt_and_not_in_the_future(
    day: date, rule: str
) -> None:
    case = f.case_of(f.flagged())

    with pytest.raises(InvalidInput) as confirmed:
        confirm_duplicate(case, ConfirmDuplicate(confirmed_on=day), today=f.TODAY)
    with pytest.raises(InvalidInput) as dismissed:
        dismiss_duplicate(
            case, DismissDuplicate(dismissed_on=day, reason="x"), today=f.TODAY
        )

    assert (confirmed.value.field, confirmed.value.rule) == ("confirmed_on", rule)
    assert (dismissed.value.field, dismissed.value.rule) == ("dismissed_on", rule)


def test_a_flag_is_resolved_on_the_day_of_receipt() -> None:
    case = f.case_of(f.flagged())

    confirmed = confirm_duplicate(
        case, ConfirmDuplicate(confirmed_on=f.RECEIVED_ON), today=f.TODAY
    )

    assert confirmed[0] == f.duplicate_confirmed(confirmed_on=f.RECEIVED_ON)
