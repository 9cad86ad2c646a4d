"""The construction bureau's own measures against a listed employer or a case's:
recorded under the next number of their year, and lifted once paid."""

from __future__ import annotations

from typing import Any

from services.credit.command_facts import TODAY, CreditContext
from services.credit.command_table.resources import MEASURE_NUMBERS, MEASURES
from services.credit.domain import construction_measures
from services.credit.domain.construction_measures import (
    MEASURE,
    LiftConstructionMeasure,
    RecordConstructionMeasure,
)
from services.credit.measure_facts import ACTING, MEASURE_PAYMENT, MEASURE_TARGET
from shared.command_table import Numbered, Row


def _taken_in(command: RecordConstructionMeasure) -> int:
    return command.taken_on.year


ROWS: tuple[Row[Any, CreditContext], ...] = (
    Row(
        RecordConstructionMeasure,
        MEASURE,
        construction_measures.record_construction_measure,
        "The construction bureau (or the office for it) records a measure it "
        "took — stop-work order, permit refused, qualification inspection "
        "failed, market access or bidding restricted — tied to a published "
        "listing or a case.",
        facts=(TODAY, ACTING, MEASURE_TARGET),
        route=MEASURES.create("record-construction-measure"),
        ids=Numbered(MEASURE_NUMBERS, _taken_in),
    ),
    Row(
        LiftConstructionMeasure,
        MEASURE,
        construction_measures.lift_construction_measure,
        "Lift a stop-work order (or a case's restriction) once cases recorded "
        "the employer's full payment.",
        facts=(TODAY, ACTING, MEASURE_PAYMENT),
        route=MEASURES.step("lift"),
        not_found="construction measure {id} does not exist",
    ),
)
