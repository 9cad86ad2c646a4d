"""Yearly counters name their table in SQL: only a plain identifier is taken."""

from __future__ import annotations

import pytest

from shared.numbering import YearlyNumbers


def test_a_counter_table_must_be_a_plain_name() -> None:
    with pytest.raises(ValueError, match="plain table name"):
        YearlyNumbers(table="x; DROP TABLE events", entity_id=lambda y, n: f"{y}-{n}")


def test_the_next_number_statement_names_the_table_and_makes_the_entity_id() -> None:
    numbers = YearlyNumbers(table="case_numbers", entity_id=lambda y, n: f"{y}-{n:06d}")

    assert "INSERT INTO case_numbers " in numbers.next_number
    assert "case_numbers.last + 1" in numbers.next_number
    assert numbers.entity_id(2024, 123) == "2024-000123"
