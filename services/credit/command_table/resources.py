"""What the credit rows address: the `/listings/{listing_id}` and
`/construction-measures/{measure_id}` resources, the message for a listing that does
not exist and the yearly numbers of listings opened by hand and of measures."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path

from shared.command_table import Resource
from shared.numbering import YearlyNumbers
from shared.values import LISTING_ID_PATTERN

LISTING_NUMBERS = YearlyNumbers(
    table="listing_numbers",
    entity_id=lambda year, number: f"m-{year}-{number:06d}",
)
"""Listings opened by hand, numbered per year without gaps: `m-2024-000007`."""

MEASURE_NUMBERS = YearlyNumbers(
    table="measure_numbers",
    entity_id=lambda year, number: f"{year}-{number:06d}",
)
"""The construction bureau's measures, numbered per year: `measure-2026-000001`."""

MeasureIdPath = Annotated[
    str, Path(pattern=r"^[0-9]{4}-[0-9]{6}$", examples=["2026-000001"])
]
MEASURES = Resource(
    "construction-measures", id_param="measure_id", id_type=MeasureIdPath
)

ListingIdPath = Annotated[
    str, Path(pattern=LISTING_ID_PATTERN, examples=["c-2024-000123"])
]
LISTINGS = Resource("listings", id_param="listing_id", id_type=ListingIdPath)
MISSING = "listing {id} does not exist"
