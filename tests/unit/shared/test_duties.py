"""Which unit holds which duty, and who may record a duty's act."""

from __future__ import annotations

from pathlib import Path

import pytest

from shared.auth import Actor
from shared.domain import Role
from shared.duties import Acting, Duty, DutyUnits, require_duty, unit_for
from shared.errors import NotPermitted
from shared.settings import DistrictSettings

DISTRICT = Path(__file__).parents[3] / "deploy" / "district.toml"


def test_the_district_file_names_the_2017_rosters_duty_units() -> None:
    units = DistrictSettings.load(DISTRICT).duty_units
    assert units.of("gafj") == {Duty.POLICE}
    assert units.of("fy") == {Duty.COURT}
    assert units.of("xfj") == {Duty.PETITIONS}
    assert units.of("zgh") == {Duty.UNION}
    assert units.of("jsj") == {Duty.CONSTRUCTION}
    assert units.of("rsj") == {Duty.LABOUR_INSPECTION}
    assert units.of("sq-dongguan") == frozenset()


def test_a_bad_unit_code_in_the_duty_table_is_refused() -> None:
    with pytest.raises(ValueError, match="police"):
        DutyUnits.model_validate({"police": ["NOT A CODE"]})


def test_a_unit_holding_the_duty_may_record_it() -> None:
    require_duty(Acting.unit_of("gafj", Duty.POLICE), Duty.POLICE)
    require_duty(Acting.unit_of("fy", Duty.COURT), Duty.POLICE, Duty.COURT)


def test_the_office_may_record_any_units_act() -> None:
    require_duty(Acting.office(), Duty.COURT)


def test_another_unit_may_not() -> None:
    with pytest.raises(NotPermitted, match=r"jsj.*\(police\)"):
        require_duty(Acting.unit_of("jsj", Duty.CONSTRUCTION), Duty.POLICE)


@pytest.mark.parametrize(
    ("roles", "is_office"),
    [
        ({Role.OFFICE}, True),
        ({Role.SYSTEM}, True),
        ({Role.UNIT_STAFF}, False),
        ({Role.CONVENER, Role.UNIT_STAFF}, False),
    ],
)
def test_acting_of_a_token(roles: set[Role], is_office: bool) -> None:
    actor = Actor(person="p-1", unit="gafj", roles=frozenset(roles))
    acting = Acting.of(actor, DutyUnits())
    assert acting.is_office is is_office
    assert acting.duties == {Duty.POLICE}
    assert acting.unit == "gafj"


def test_an_act_is_recorded_for_the_unit_holding_the_duty() -> None:
    units = DutyUnits(construction=("jsj", "jsj2"))
    own = Acting.of(
        Actor(person="p", unit="jsj2", roles=frozenset({Role.UNIT_STAFF})), units
    )
    office = Acting.of(
        Actor(person="o", unit="rsj", roles=frozenset({Role.OFFICE})), units
    )
    assert unit_for(own, Duty.CONSTRUCTION) == "jsj2"
    assert unit_for(office, Duty.CONSTRUCTION) == "jsj"
    assert unit_for(office, Duty.LABOUR_INSPECTION) == "rsj"
