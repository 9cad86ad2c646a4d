"""Which member unit holds which duty of the notice's §3 (东区政〔2017〕104号), so a unit's
staff can record its own acts: the police their filing, the court its enforcement, the
petitions bureau and the trade union their hand-overs, the construction bureau its
stop-work orders. The codes are the district's (`[duty_units]` in `deploy/district.toml`);
the defaults are the 2017 roster's."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict

from shared.domain import Role
from shared.errors import NotPermitted
from shared.values import UnitCode

if TYPE_CHECKING:  # shared.auth reads the settings, which hold the duty units
    from shared.auth import Actor


class Duty(StrEnum):
    """A duty the notice gives one unit (or a few), named for what the unit records."""

    LABOUR_INSPECTION = "labour_inspection"
    POLICE = "police"
    COURT = "court"
    PETITIONS = "petitions"
    UNION = "union"
    CONSTRUCTION = "construction"


class DutyUnits(BaseModel):
    """The unit codes holding each duty (东区政〔2017〕104号 §3): 人社局, 公安分局, 法院,
    信访局, 总工会, 建设局."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    labour_inspection: tuple[UnitCode, ...] = ("rsj",)
    police: tuple[UnitCode, ...] = ("gafj",)
    court: tuple[UnitCode, ...] = ("fy",)
    petitions: tuple[UnitCode, ...] = ("xfj",)
    union: tuple[UnitCode, ...] = ("zgh",)
    construction: tuple[UnitCode, ...] = ("jsj",)

    def units(self, duty: Duty) -> tuple[str, ...]:
        """The codes of the units holding the duty."""
        codes: tuple[str, ...] = getattr(self, duty.value)
        return codes

    def of(self, unit: str) -> frozenset[Duty]:
        """The duties the unit holds."""
        return frozenset(d for d in Duty if unit in self.units(d))


# The office keeps the record for every unit and may still enter a unit's act on its
# behalf (a paper receipt arrives at the office); the service itself acts for no one.
_ON_BEHALF = frozenset({Role.OFFICE, Role.SYSTEM})


@dataclass(frozen=True)
class Acting:
    """Who runs a command, as a decide function needs it: the unit, whether they act as
    the office (or the service itself), and the duties their unit holds."""

    unit: str
    is_office: bool
    duties: frozenset[Duty]
    duty_units: DutyUnits = field(default_factory=DutyUnits)

    @classmethod
    def of(cls, actor: Actor, duty_units: DutyUnits) -> Acting:
        """The acting unit of a token's actor."""
        return cls(
            unit=actor.unit,
            is_office=actor.has_any(_ON_BEHALF),
            duties=duty_units.of(actor.unit),
            duty_units=duty_units,
        )

    @classmethod
    def office(cls, unit: str = "rsj") -> Acting:
        """The office acting (tests, the seed)."""
        return cls(unit=unit, is_office=True, duties=frozenset())

    @classmethod
    def unit_of(cls, unit: str, *duties: Duty) -> Acting:
        """A unit's staff acting, holding those duties."""
        return cls(unit=unit, is_office=False, duties=frozenset(duties))


def unit_for(acting: Acting, duty: Duty) -> str:
    """The unit an act of that duty is recorded for: the acting unit when it holds the
    duty, else (the office entering it on the unit's behalf) the first unit holding it."""
    if duty in acting.duties:
        return acting.unit
    holders = acting.duty_units.units(duty)
    return holders[0] if holders else acting.unit


def require_duty(acting: Acting, *duties: Duty) -> None:
    """The office, or staff of a unit holding one of the duties; 403 `unit-duty` names
    the duties otherwise."""
    if acting.is_office or acting.duties & set(duties):
        return
    names = ", ".join(d.value for d in duties)
    raise NotPermitted(
        f"unit {acting.unit} does not hold the duty ({names}) this step records; "
        "the office or that unit records it"
    )
