"""The police record their own acts: given a case transferred to them, when their staff
(or the office) record filing or declining, with their document number, or flag an
incident or an absconded employer, then events; staff of another unit are refused.
Police answers and flags recorded before they carried a number still load."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from services.cases.domain.case import CASE
from services.cases.domain.escalation import (
    FlagEmployerAbsconded,
    FlagMassIncident,
    flag_employer_absconded,
    flag_mass_incident,
)
from services.cases.domain.police_answer import (
    RecordPoliceDeclining,
    RecordPoliceFiling,
    record_police_declining,
    record_police_filing,
)
from services.cases.domain.state import CriminalStatus
from shared.domain import Command, Role
from shared.duties import Acting
from shared.errors import NotPermitted
from tests.unit.cases.factories import (
    CASE_ID,
    CONSTRUCTION,
    COURT,
    DECLINING_NUMBER,
    FILING_NUMBER,
    LIMITS,
    OFFICE,
    POLICE,
    TODAY,
    case_of,
    case_transferred_to_police,
    employer_absconded_flagged,
    investigating,
    overdue,
    police_declined,
    police_filed,
    reconsideration_requested,
    referral_approved,
    referral_proposed,
)

TRANSFERRED = [
    *overdue(),
    referral_proposed(),
    referral_approved(),
    case_transferred_to_police(),
]
FILE = RecordPoliceFiling(filed_on=date(2024, 4, 26), document_number=FILING_NUMBER)
DECLINE = RecordPoliceDeclining(
    declined_on=date(2024, 4, 26),
    reason="不符合立案条件",
    document_number=DECLINING_NUMBER,
)
ABSCONDED = FlagEmployerAbsconded(
    flagged_on=date(2024, 3, 20), document_number="东公(治)字〔2024〕3号"
)


@pytest.mark.parametrize(
    "command",
    [
        RecordPoliceFiling,
        RecordPoliceDeclining,
        FlagMassIncident,
        FlagEmployerAbsconded,
    ],
)
def test_the_office_and_unit_staff_may_send_the_polices_acts(
    command: type[Command],
) -> None:
    assert command.permitted == {Role.OFFICE, Role.UNIT_STAFF}


@pytest.mark.parametrize("acting", [POLICE, OFFICE], ids=["gafj", "office"])
def test_the_police_or_the_office_record_the_filing_with_its_number(
    acting: Acting,
) -> None:
    events = record_police_filing(
        case_of(TRANSFERRED), FILE, today=TODAY, acting=acting
    )

    assert events == [police_filed(document_number=FILING_NUMBER)]
    assert case_of(TRANSFERRED, events).criminal is CriminalStatus.POLICE_FILED


@pytest.mark.parametrize("acting", [CONSTRUCTION, COURT], ids=["jsj", "fy"])
def test_another_unit_may_not_record_the_polices_answer(acting: Acting) -> None:
    with pytest.raises(NotPermitted, match="police"):
        record_police_filing(case_of(TRANSFERRED), FILE, today=TODAY, acting=acting)
    with pytest.raises(NotPermitted, match="police"):
        record_police_declining(
            case_of(TRANSFERRED), DECLINE, today=TODAY, limits=LIMITS, acting=acting
        )


def test_the_police_record_their_declining_with_its_number() -> None:
    events = record_police_declining(
        case_of(TRANSFERRED), DECLINE, today=TODAY, limits=LIMITS, acting=POLICE
    )

    assert events == [police_declined(document_number=DECLINING_NUMBER)]


def test_the_police_answer_a_reconsideration_themselves() -> None:
    reconsidering = [*TRANSFERRED, police_declined(), reconsideration_requested()]
    again = DECLINE.model_copy(update={"declined_on": date(2024, 4, 30)})

    events = record_police_declining(
        case_of(reconsidering), again, today=TODAY, limits=LIMITS, acting=POLICE
    )

    assert len(events) == 1
    assert events[0].model_dump(
        include={"is_after_reconsideration", "document_number"}
    ) == {
        "is_after_reconsideration": True,
        "document_number": DECLINING_NUMBER,
    }


def test_a_police_answer_needs_its_document_number() -> None:
    with pytest.raises(ValidationError, match="document_number"):
        RecordPoliceFiling.model_validate({"filed_on": "2024-04-26"})


@pytest.mark.parametrize("number", ["", "   ", "x" * 65, "立字<script>", "15\n号"])
def test_a_document_number_is_a_short_line_of_its_characters(number: str) -> None:
    with pytest.raises(ValidationError, match="document_number"):
        RecordPoliceFiling(filed_on=date(2024, 4, 26), document_number=number)


@pytest.mark.parametrize(
    "number",
    [FILING_NUMBER, "（2024）东0102执1234号", "GA-2024/15", "东公（刑）立字[2024]15号"],
)
def test_printed_document_numbers_are_taken(number: str) -> None:
    assert (
        RecordPoliceFiling(
            filed_on=date(2024, 4, 26), document_number=number
        ).document_number
        == number
    )


def test_the_police_flag_an_absconded_employer_with_their_number() -> None:
    events = flag_employer_absconded(
        case_of(investigating()), ABSCONDED, today=TODAY, acting=POLICE
    )

    assert events == [
        employer_absconded_flagged(document_number="东公(治)字〔2024〕3号")
    ]


def test_the_police_flag_a_mass_incident_another_unit_may_not() -> None:
    command = FlagMassIncident(flagged_on=date(2024, 4, 15), note="聚集讨薪")

    events = flag_mass_incident(
        case_of(investigating()), command, today=TODAY, case_id=CASE_ID, acting=POLICE
    )

    assert case_of(investigating(), events).is_mass_incident
    with pytest.raises(NotPermitted):
        flag_mass_incident(
            case_of(investigating()),
            command,
            today=TODAY,
            case_id=CASE_ID,
            acting=CONSTRUCTION,
        )
    with pytest.raises(NotPermitted):
        flag_employer_absconded(
            case_of(investigating()), ABSCONDED, today=TODAY, acting=CONSTRUCTION
        )


@pytest.mark.parametrize(
    ("event_type", "data"),
    [
        ("PoliceFiled", {"filed_on": "2024-04-26"}),
        (
            "PoliceDeclined",
            {
                "declined_on": "2024-04-26",
                "reason": "不符合立案条件",
                "is_after_reconsideration": False,
                "request_by": {"due": "2024-04-29", "is_provisional": False},
            },
        ),
        ("MassIncidentFlagged", {"flagged_on": "2024-04-15", "note": ""}),
        ("EmployerAbscondedFlagged", {"flagged_on": "2024-03-20", "note": ""}),
    ],
)
def test_an_event_recorded_before_document_numbers_loads_without_one(
    event_type: str, data: dict[str, object]
) -> None:
    event = CASE.decode(event_type, 1, data)

    assert event.schema_version == 2
    assert event.model_dump()["document_number"] is None
