"""Handing a complaint over: given nothing, when the petitions bureau, the trade union
or the office for them hands a complaint over, then it is received as a case with the
unit's source and reference number, or refused."""

from __future__ import annotations

from decimal import Decimal

import pytest

from services.cases.domain.case import CASE
from services.cases.domain.duplicate_match import EarlierCase
from services.cases.domain.handover import (
    ComplaintHandedOver,
    HandOverComplaint,
    hand_over_complaint,
)
from services.cases.domain.intake import ReceiptEvent
from services.cases.domain.particulars import CaseSource, Sector
from services.cases.domain.state import Case, CaseStatus
from shared.domain import Role
from shared.duties import Acting, Duty
from shared.errors import InvalidInput, InvalidTransition, NotPermitted
from tests.unit.cases.factories import (
    CALENDAR,
    CASE_ID,
    INVALID_USCC,
    LIMITS,
    RECEIVED_ON,
    TODAY,
    UNITS,
    case_received,
    complaint_handed_over,
    earlier_case,
    employer,
    possible_duplicate_flagged,
    project,
    received,
    worker_details,
)

XFJ = Acting.unit_of("xfj", Duty.PETITIONS)
ZGH = Acting.unit_of("zgh", Duty.UNION)
JSJ = Acting.unit_of("jsj", Duty.CONSTRUCTION)
REFERENCE = "信访〔2024〕12号"


def hand_over(**overrides: object) -> HandOverComplaint:
    fields: dict[str, object] = {
        "sector": Sector.CONSTRUCTION,
        "employer": employer(),
        "project": project(),
        "workers_count": 1,
        "workers": (worker_details(),),
        "months_owed": 4,
        "amount_owed": Decimal("12000.00"),
        "territorial_unit": "yjkz",
        "summary": "四个月工资未付",
        "received_on": RECEIVED_ON,
        "unit_reference": REFERENCE,
    }
    return HandOverComplaint.model_validate(fields | overrides)


def handed_over(
    command: HandOverComplaint,
    acting: Acting,
    *,
    case: Case | None = None,
    earlier: tuple[EarlierCase, ...] = (),
) -> list[ReceiptEvent | ComplaintHandedOver]:
    return hand_over_complaint(
        case or Case(),
        command,
        acting=acting,
        today=TODAY,
        calendar=CALENDAR,
        limits=LIMITS,
        units=UNITS,
        case_id=CASE_ID,
        earlier=earlier,
    )


def test_the_office_and_units_staff_may_hand_over() -> None:
    assert HandOverComplaint.permitted == {Role.OFFICE, Role.UNIT_STAFF}


def test_the_petitions_bureau_hands_over_a_petition() -> None:
    events = handed_over(hand_over(), XFJ)

    assert events == [
        case_received(source=CaseSource.PETITION_HANDOVER),
        complaint_handed_over(handed_over_by="xfj", unit_reference=REFERENCE),
    ]


def test_the_trade_union_hands_over_a_union_report() -> None:
    events = handed_over(hand_over(unit_reference="工会〔2024〕3号"), ZGH)

    assert events == [
        case_received(source=CaseSource.UNION_REPORT),
        complaint_handed_over(handed_over_by="zgh", unit_reference="工会〔2024〕3号"),
    ]


def test_a_handed_over_case_records_who_handed_it_over() -> None:
    case = CASE.replay(handed_over(hand_over(), XFJ))

    assert (case.status, case.source) == (
        CaseStatus.RECEIVED,
        CaseSource.PETITION_HANDOVER,
    )
    assert (case.handed_over_by, case.unit_reference) == ("xfj", REFERENCE)


def test_a_unit_without_the_duty_cannot_hand_over() -> None:
    with pytest.raises(NotPermitted) as refused:
        handed_over(hand_over(), JSJ)

    assert "petitions, union" in str(refused.value)


def test_the_petitions_bureau_cannot_hand_over_a_union_report() -> None:
    with pytest.raises(NotPermitted):
        handed_over(hand_over(source=CaseSource.UNION_REPORT), XFJ)


def test_a_unit_hands_over_only_its_own_complaints() -> None:
    with pytest.raises(NotPermitted):
        handed_over(hand_over(handed_over_by="zgh"), XFJ)


def test_the_office_must_say_which_source() -> None:
    with pytest.raises(InvalidInput) as refused:
        handed_over(hand_over(handed_over_by="xfj"), Acting.office())

    assert (refused.value.field, refused.value.rule) == ("source", "hand_over_source")


def test_the_office_must_name_the_unit_handing_over() -> None:
    command = hand_over(source=CaseSource.UNION_REPORT)

    with pytest.raises(InvalidInput) as refused:
        handed_over(command, Acting.office())

    assert refused.value.field == "handed_over_by"


def test_the_office_names_an_active_unit() -> None:
    command = hand_over(source=CaseSource.UNION_REPORT, handed_over_by="zzz")

    with pytest.raises(InvalidInput) as refused:
        handed_over(command, Acting.office())

    assert refused.value.field == "handed_over_by"


@pytest.mark.parametrize(
    ("source", "unit"),
    [(CaseSource.PETITION_HANDOVER, "gafj"), (CaseSource.UNION_REPORT, "xfj")],
)
def test_the_office_hands_over_only_for_the_unit_whose_duty_it_is(
    source: CaseSource, unit: str
) -> None:
    command = hand_over(source=source, handed_over_by=unit)

    with pytest.raises(InvalidInput) as refused:
        handed_over(command, Acting.office())

    assert (refused.value.field, refused.value.rule) == (
        "handed_over_by",
        "hand_over_unit_holds_duty",
    )


def test_the_office_hands_over_for_a_unit() -> None:
    command = hand_over(source=CaseSource.PETITION_HANDOVER, handed_over_by="xfj")

    events = handed_over(command, Acting.office())

    assert events == [
        case_received(source=CaseSource.PETITION_HANDOVER),
        complaint_handed_over(),
    ]


def test_a_source_other_than_a_hand_over_is_refused_by_its_shape() -> None:
    with pytest.raises(ValueError, match="source"):
        hand_over(source=CaseSource.COMPLAINT)


def test_a_hand_over_has_the_checks_of_intake() -> None:
    command = hand_over(employer=employer(uscc=INVALID_USCC))

    with pytest.raises(InvalidInput) as refused:
        handed_over(command, XFJ)

    assert (refused.value.field, refused.value.rule) == (
        "employer.uscc",
        "uscc_checksum",
    )


def test_a_hand_over_cannot_reuse_a_case() -> None:
    with pytest.raises(InvalidTransition):
        handed_over(hand_over(), XFJ, case=CASE.replay(received()))


def test_a_hand_over_of_an_open_case_is_flagged_as_its_possible_duplicate() -> None:
    events = handed_over(hand_over(), ZGH, earlier=(earlier_case(),))

    assert events == [
        case_received(source=CaseSource.UNION_REPORT),
        complaint_handed_over(handed_over_by="zgh"),
        possible_duplicate_flagged(),
    ]
