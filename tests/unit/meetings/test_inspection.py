"""Joint inspections: while scheduled or once held, an inspection records its
findings, numbered; a finding of wage arrears names the employer (its credit code
checked unless the office gives a reason) and active units, and goes to cases."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from services.meetings.domain.inspection import RaiseFinding, raise_finding
from services.meetings.domain.lifecycle import MeetingStatus
from services.meetings.domain.meeting import MeetingEvent
from services.meetings.domain.proposal import MeetingKind
from shared.errors import InvalidInput, InvalidTransition, RuleViolated
from tests.unit.meetings.factories import (
    HELD_ON,
    INVALID_USCC,
    TODAY,
    UNITS,
    VALID_USCC,
    arrears_found,
    finding_recorded,
    held,
    inspection_finding_raised,
    meeting_of,
    proposed,
    scheduled,
)

INSPECTION = MeetingKind.INSPECTION
FINDING = RaiseFinding(
    found_on=HELD_ON, description="工地未设维权信息告示牌", unit_code="jsj"
)
ARREARS = RaiseFinding(
    found_on=HELD_ON,
    description="拖欠十二名农民工三个月工资",
    arrears=arrears_found(),
    suggested_lead_unit="rsj",
)


def finding(
    history: list[MeetingEvent], command: RaiseFinding, **facts: Any
) -> list[MeetingEvent]:
    given: dict[str, Any] = {"today": TODAY, "units": UNITS}
    return raise_finding(meeting_of(history), command, **(given | facts))


@pytest.mark.parametrize("history", [scheduled(INSPECTION), held(INSPECTION)])
def test_an_inspection_records_what_it_found_while_it_runs_or_after(
    history: list[MeetingEvent],
) -> None:
    events = finding(history, FINDING)

    assert events == [finding_recorded()]
    assert meeting_of(history, events).findings[0].unit_code == "jsj"


def test_a_finding_of_arrears_goes_to_cases_with_its_suggested_lead_unit() -> None:
    events = finding(held(INSPECTION), ARREARS)

    assert events == [inspection_finding_raised()]
    found = meeting_of(held(INSPECTION), events).findings[0]
    assert (found.arrears, found.suggested_lead_unit) == (arrears_found(), "rsj")


def test_findings_are_numbered_in_turn() -> None:
    history = [*held(INSPECTION), finding_recorded()]

    events = finding(history, ARREARS)

    assert events == [inspection_finding_raised(finding_id="f2")]
    assert [f.finding_id for f in meeting_of(history, events).findings] == ["f1", "f2"]


def test_a_finding_of_arrears_keeps_the_unit_it_concerns() -> None:
    command = ARREARS.model_copy(update={"unit_code": "jsj"})

    assert finding(held(INSPECTION), command) == [
        inspection_finding_raised(unit_code="jsj")
    ]


@pytest.mark.parametrize("kind", [MeetingKind.PLENARY, MeetingKind.SPECIAL])
def test_only_an_inspection_has_findings(kind: MeetingKind) -> None:
    with pytest.raises(RuleViolated) as refused:
        finding(held(kind), FINDING)

    assert refused.value.code == "findings-only-at-inspections"


def test_a_proposed_inspection_has_no_findings_yet() -> None:
    with pytest.raises(InvalidTransition) as refused:
        finding(proposed(INSPECTION), FINDING)

    assert refused.value.current == MeetingStatus.PROPOSED


@pytest.mark.parametrize(
    ("day", "rule"),
    [(date(2024, 2, 29), "not_before_proposal"), (date(2024, 4, 2), "not_in_future")],
)
def test_a_finding_is_dated_from_the_proposal_to_today(day: date, rule: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        finding(held(INSPECTION), FINDING.model_copy(update={"found_on": day}))

    assert (refused.value.field, refused.value.rule) == ("found_on", rule)


@pytest.mark.parametrize(
    ("command", "field"),
    [
        (FINDING.model_copy(update={"unit_code": "wlj"}), "unit_code"),
        (
            ARREARS.model_copy(update={"suggested_lead_unit": "wlj"}),
            "suggested_lead_unit",
        ),
        (
            ARREARS.model_copy(
                update={"arrears": arrears_found(territorial_unit="sq-wlj")}
            ),
            "arrears.territorial_unit",
        ),
    ],
)
def test_the_units_a_finding_names_are_active(
    command: RaiseFinding, field: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        finding(held(INSPECTION), command)

    assert (refused.value.field, refused.value.rule) == (field, "unit_active")


def test_a_lead_unit_is_suggested_only_for_arrears() -> None:
    command = FINDING.model_copy(update={"suggested_lead_unit": "rsj"})

    with pytest.raises(InvalidInput) as refused:
        finding(held(INSPECTION), command)

    assert (refused.value.field, refused.value.rule) == (
        "suggested_lead_unit",
        "lead_unit_only_for_arrears",
    )


def test_the_employers_credit_code_is_checked() -> None:
    command = ARREARS.model_copy(
        update={"arrears": arrears_found(employer_uscc=INVALID_USCC)}
    )

    with pytest.raises(InvalidInput) as refused:
        finding(held(INSPECTION), command)

    assert (refused.value.field, refused.value.rule) == (
        "arrears.employer_uscc",
        "uscc_checksum",
    )


def test_a_failing_credit_code_is_kept_with_a_reason() -> None:
    arrears = arrears_found(
        employer_uscc=INVALID_USCC, uscc_override_reason="营业执照所载代码"
    )

    events = finding(held(INSPECTION), ARREARS.model_copy(update={"arrears": arrears}))

    assert events == [inspection_finding_raised(arrears=arrears)]


def test_the_credit_code_is_kept_without_spaces_or_dashes() -> None:
    spaced = f"{VALID_USCC[:6]} {VALID_USCC[6:12]}-{VALID_USCC[12:]}"
    command = ARREARS.model_copy(
        update={"arrears": arrears_found(employer_uscc=spaced)}
    )

    events = finding(held(INSPECTION), command)

    assert events == [inspection_finding_raised()]


def test_an_employer_without_a_credit_code_is_not_checked() -> None:
    arrears = arrears_found(employer_uscc=None)

    events = finding(held(INSPECTION), ARREARS.model_copy(update={"arrears": arrears}))

    assert events == [inspection_finding_raised(arrears=arrears)]
