"""Who applies which sanction: the proposed mapping of rules.md §3.1.5 on the seed's
unit codes, and one task per unit and measure for the units active now."""

from __future__ import annotations

from datetime import date

from services.credit.domain.sanctions import (
    EVERY_UNIT,
    SanctionDuty,
    SanctionMeasure,
    SanctionTask,
    default_sanction_duties,
    sanction_tasks_for,
)
from tests.unit.credit.factories import DUTIES, SANCTION_DUE, UNITS

M = SanctionMeasure


def task(unit_code: str, measure: SanctionMeasure) -> SanctionTask:
    return SanctionTask(
        task_id=f"{unit_code}-{measure}",
        unit_code=unit_code,
        measure=measure,
        due=SANCTION_DUE,
    )


def test_the_default_duties_are_the_proposed_mapping_on_the_seed_units() -> None:
    assert default_sanction_duties() == (
        SanctionDuty(measure=M.CONSTRUCTION_PERMIT_AND_BIDDING, unit_code="jsj"),
        SanctionDuty(measure=M.MARKET_ACCESS, unit_code="jsj"),
        SanctionDuty(measure=M.PROJECT_APPROVAL_AND_CREDIT, unit_code="fgj"),
        SanctionDuty(measure=M.PROCUREMENT_AND_FUNDING, unit_code="czj"),
        SanctionDuty(measure=M.LAND_SUPPLY, unit_code="gtj"),
        SanctionDuty(measure=M.MARKET_ACCESS, unit_code="scjgj"),
        SanctionDuty(measure=M.CRIMINAL_INVESTIGATION, unit_code="gafj"),
        SanctionDuty(measure=M.COURT_ENFORCEMENT, unit_code="fy"),
        SanctionDuty(measure=M.INTEGRITY_GRADING, unit_code="rsj"),
        SanctionDuty(measure=M.HONOURS_AND_AWARDS, unit_code=EVERY_UNIT),
    )


def test_the_measures_cover_the_eight_areas_and_the_local_ones() -> None:
    assert [m.value for m in SanctionMeasure] == [
        "construction_permit_and_bidding",
        "project_approval_and_credit",
        "procurement_and_funding",
        "land_supply",
        "market_access",
        "court_enforcement",
        "criminal_investigation",
        "integrity_grading",
        "honours_and_awards",
        "tax_incentives",
        "financing",
        "travel",
    ]


def test_every_active_unit_with_a_duty_gets_a_task_per_measure() -> None:
    tasks = sanction_tasks_for(DUTIES, UNITS, due=SANCTION_DUE)

    assert tasks == (
        task("czj", M.HONOURS_AND_AWARDS),
        task("czj", M.PROCUREMENT_AND_FUNDING),
        task("fgj", M.HONOURS_AND_AWARDS),
        task("fgj", M.PROJECT_APPROVAL_AND_CREDIT),
        task("fy", M.COURT_ENFORCEMENT),
        task("fy", M.HONOURS_AND_AWARDS),
        task("gafj", M.CRIMINAL_INVESTIGATION),
        task("gafj", M.HONOURS_AND_AWARDS),
        task("gtj", M.HONOURS_AND_AWARDS),
        task("gtj", M.LAND_SUPPLY),
        task("jsj", M.CONSTRUCTION_PERMIT_AND_BIDDING),
        task("jsj", M.HONOURS_AND_AWARDS),
        task("jsj", M.MARKET_ACCESS),
        task("rsj", M.HONOURS_AND_AWARDS),
        task("rsj", M.INTEGRITY_GRADING),
        task("scjgj", M.HONOURS_AND_AWARDS),
        task("scjgj", M.MARKET_ACCESS),
        task("xfj", M.HONOURS_AND_AWARDS),
    )


def test_a_unit_not_active_gets_no_task_even_with_a_duty() -> None:
    units = {"jsj": "区建设局", "sq-dongguan": "东关社区"}

    tasks = sanction_tasks_for(DUTIES, units, due=SANCTION_DUE)

    assert tasks == (
        task("jsj", M.CONSTRUCTION_PERMIT_AND_BIDDING),
        task("jsj", M.HONOURS_AND_AWARDS),
        task("jsj", M.MARKET_ACCESS),
        task("sq-dongguan", M.HONOURS_AND_AWARDS),
    )


def test_a_renamed_unit_keeps_its_code_and_so_its_duty() -> None:
    renamed = {"jsj": "区住房和城乡建设局"}

    assert sanction_tasks_for(DUTIES, renamed, due=SANCTION_DUE) == sanction_tasks_for(
        DUTIES, {"jsj": "区建设局"}, due=SANCTION_DUE
    )


def test_a_unit_named_for_a_measure_that_every_unit_has_gets_one_task() -> None:
    duties = (
        SanctionDuty(measure=M.HONOURS_AND_AWARDS, unit_code="jsj"),
        SanctionDuty(measure=M.HONOURS_AND_AWARDS, unit_code=EVERY_UNIT),
    )

    tasks = sanction_tasks_for(duties, {"jsj": "区建设局"}, due=SANCTION_DUE)

    assert tasks == (task("jsj", M.HONOURS_AND_AWARDS),)


def test_no_duties_or_no_units_give_no_tasks() -> None:
    assert sanction_tasks_for((), UNITS, due=date(2024, 6, 5)) == ()
    assert sanction_tasks_for(DUTIES, {}, due=date(2024, 6, 5)) == ()
