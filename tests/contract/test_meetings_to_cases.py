"""cases reads meetings' inspection findings, and meetings reads which case a finding
became: each side's inbound models parse what the other writes."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from services.cases.domain.intake import CaseReceived as CasesCaseReceived
from services.cases.inbound_events import InspectionFindingRaised as CasesReadFinding
from services.meetings.domain.inspection import (
    ArrearsFound,
    InspectionFindingRaised,
    Sector,
)
from services.meetings.inbound_events import CaseReceived as MeetingsReadCase
from tests.unit.cases.factories import case_received


def test_cases_reads_an_inspection_finding_raised_in_meetings() -> None:
    produced = InspectionFindingRaised(
        finding_id="f1",
        found_on=date(2024, 1, 15),
        description="某项目拖欠农民工工资",
        arrears=ArrearsFound(
            employer_name="青海某劳务有限公司",
            employer_uscc="9111000071093123XX",
            uscc_override_reason="as on the business licence",
            sector=Sector.CONSTRUCTION,
            project_name="城东某安置房项目",
            workers_count=36,
            months_owed=4,
            amount_owed=Decimal("412000.00"),
            territorial_unit="sq-huochezhan",
        ),
        suggested_lead_unit="rsj",
    )

    read = CasesReadFinding.model_validate(produced.model_dump(mode="json"))

    assert (read.finding_id, read.arrears.amount_owed, read.arrears.sector) == (
        "f1",
        Decimal("412000.00"),
        "construction",
    )
    assert read.arrears.uscc_override_reason == "as on the business licence"
    assert read.suggested_lead_unit == "rsj"


def test_meetings_reads_the_finding_a_received_case_names() -> None:
    produced = case_received().model_copy(
        update={"source_reference": "meeting-2024-003/f1"}
    )
    assert isinstance(produced, CasesCaseReceived)

    read = MeetingsReadCase.model_validate(produced.model_dump(mode="json"))

    assert read.source_reference == "meeting-2024-003/f1"
