"""What every cases row addresses: the `/cases/{case_id}` resource, the message for a
case that does not exist and the yearly case numbers a new case gets."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path

from shared.command_table import Resource
from shared.numbering import YearlyNumbers
from shared.values import CASE_ID_PATTERN

CaseId = Annotated[str, Path(pattern=CASE_ID_PATTERN, examples=["2024-000123"])]
CASES = Resource("cases", id_param="case_id", id_type=CaseId)
NOT_FOUND = "case {id} does not exist"

# Case numbers per year, handed out without gaps: `2024-000123`.
CASE_NUMBERS = YearlyNumbers(
    table="case_numbers", entity_id=lambda year, number: f"{year}-{number:06d}"
)
