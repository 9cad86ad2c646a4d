"""What the log recorded under older, laxer rules still loads: the rules newer than the
log hold input only (`RECORDED` is the context `Aggregate.decode` reads events with)."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from pydantic import TypeAdapter, ValidationError

from services.cases.domain.case import CASE
from services.meetings.domain.meeting import MEETING
from shared.amounts import Money
from shared.dates import BusinessDate
from shared.values import RECORDED, Name, Text, Uscc
from tests.unit.cases.factories import case_received
from tests.unit.meetings.factories import decision_recorded


@pytest.mark.parametrize(
    ("value_type", "recorded"),
    [
        (Text, "x" * 5000),
        (Name, "第一行\n第二行"),
        (Uscc, "<script>alert(1)</script>"),
        (BusinessDate, "9999-12-31"),
        (Money, "-0"),
    ],
    ids=["long-text", "two-line-name", "any-code", "far-date", "minus-zero"],
)
def test_a_value_refused_as_input_loads_when_recorded(
    value_type: Any, recorded: str
) -> None:
    adapter: TypeAdapter[Any] = TypeAdapter(value_type)

    with pytest.raises(ValidationError):
        adapter.validate_python(recorded)
    assert adapter.validate_python(recorded, context=RECORDED) is not None


def test_a_case_received_with_an_overridden_text_as_its_code_still_loads() -> None:
    data = case_received().model_dump(mode="json")
    data["employer"] |= {"uscc": "<script>", "name": "公司" * 150}

    event = CASE.decode("CaseReceived", 1, data)

    assert event.model_dump(mode="json")["employer"]["uscc"] == "<script>"


def test_a_decision_with_a_task_due_in_9999_still_loads() -> None:
    data = decision_recorded().model_dump(mode="json")
    data["tasks"][0]["due"] = "9999-12-31"

    event = MEETING.decode_json("DecisionRecorded", 1, json.dumps(data))

    assert event.model_dump(mode="json")["tasks"][0]["due"] == "9999-12-31"


def test_money_recorded_as_minus_zero_loads_as_zero() -> None:
    assert TypeAdapter(Money).validate_python("-0", context=RECORDED) == Decimal(0)
