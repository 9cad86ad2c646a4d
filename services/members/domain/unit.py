"""Member units: admitted, renamed, given duties, withdrawn (stream `unit-<code>`)."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Final, assert_never

from pydantic import BaseModel

from shared.dates import BusinessDate
from shared.domain import Aggregate, Command, Event
from shared.errors import InvalidInput, InvalidTransition, RuleViolated
from shared.values import Name, Text, UnitCode


class UnitKind(StrEnum):
    """What kind of body a member unit is."""

    BUREAU = "bureau"
    POLICE = "police"
    COURT = "court"
    TOWN = "town"
    COMMUNITY = "community"
    UNION = "union"
    GOVERNMENT = "government"


class UnitStatus(StrEnum):
    """Where a unit is in its life; a stream with no events is a NEW unit."""

    NEW = "new"
    ACTIVE = "active"
    WITHDRAWN = "withdrawn"


class Unit(BaseModel, frozen=True):
    """成员单位: a member unit of the joint meeting, as it stands now."""

    status: UnitStatus = UnitStatus.NEW
    name_zh: str = ""
    name_en: str = ""
    kind: UnitKind | None = None
    duties: tuple[str, ...] = ()
    admitted_on: date | None = None
    succeeded_by: str | None = None


class UnitAdmitted(Event):
    name_zh: str
    name_en: str
    kind: UnitKind
    duties: tuple[str, ...]
    effective_on: date


class UnitRenamed(Event):
    name_zh: str
    name_en: str
    effective_on: date
    reason: str


class UnitDutiesSet(Event):
    duties: tuple[str, ...]
    effective_on: date


class UnitWithdrawn(Event):
    reason: str
    effective_on: date
    succeeded_by: str | None


UnitEvent = UnitAdmitted | UnitRenamed | UnitDutiesSet | UnitWithdrawn


class AdmitUnit(Command):
    code: UnitCode
    name_zh: Name
    name_en: Name
    kind: UnitKind
    duties: tuple[Text, ...] = ()
    effective_on: BusinessDate


class RenameUnit(Command):
    name_zh: Name
    name_en: Name
    effective_on: BusinessDate
    reason: Text


class SetUnitDuties(Command):
    duties: tuple[Text, ...]
    effective_on: BusinessDate


class WithdrawUnit(Command):
    reason: Text
    effective_on: BusinessDate
    succeeded_by: UnitCode | None = None


# The commands each status allows (`allowed` in a refusal; the command table names
# them by their verbs).
ALLOWED_AFTER: Final[dict[UnitStatus, tuple[type[Command], ...]]] = {
    UnitStatus.NEW: (AdmitUnit,),
    UnitStatus.ACTIVE: (RenameUnit, SetUnitDuties, WithdrawUnit),
    UnitStatus.WITHDRAWN: (),
}


def evolve(unit: Unit, event: UnitEvent) -> Unit:
    match event:
        case UnitAdmitted():
            return Unit(
                status=UnitStatus.ACTIVE,
                name_zh=event.name_zh,
                name_en=event.name_en,
                kind=event.kind,
                duties=event.duties,
                admitted_on=event.effective_on,
            )
        case UnitRenamed(name_zh=name_zh, name_en=name_en):
            return unit.model_copy(update={"name_zh": name_zh, "name_en": name_en})
        case UnitDutiesSet(duties=duties):
            return unit.model_copy(update={"duties": duties})
        case UnitWithdrawn(succeeded_by=succeeded_by):
            return unit.model_copy(
                update={"status": UnitStatus.WITHDRAWN, "succeeded_by": succeeded_by}
            )
        case _:
            assert_never(event)


def admit_unit(unit: Unit, command: AdmitUnit) -> list[UnitEvent]:
    """Only a new unit is admitted; the same admission again changes nothing."""
    admitted = UnitAdmitted(
        name_zh=command.name_zh,
        name_en=command.name_en,
        kind=command.kind,
        duties=command.duties,
        effective_on=command.effective_on,
    )
    if unit.status is UnitStatus.NEW:
        return [admitted]
    # Loading the seed roster again must be a no-op, not an error.
    if unit == evolve(Unit(), admitted):
        return []
    raise _refused(unit, "admitted again with different data")


def rename_unit(unit: Unit, command: RenameUnit) -> list[UnitEvent]:
    """Only an active unit is renamed, to a name it does not already have; the old
    name stays in the log (e.g. 安监局 → 应急管理局)."""
    if unit.status is not UnitStatus.ACTIVE:
        raise _refused(unit, "renamed")
    if (command.name_zh, command.name_en) == (unit.name_zh, unit.name_en):
        raise RuleViolated("name-unchanged", "The unit already has this name.")
    return [
        UnitRenamed(
            name_zh=command.name_zh,
            name_en=command.name_en,
            effective_on=command.effective_on,
            reason=command.reason,
        )
    ]


def set_unit_duties(unit: Unit, command: SetUnitDuties) -> list[UnitEvent]:
    """Only an active unit's duties are set, and only to a different list."""
    if unit.status is not UnitStatus.ACTIVE:
        raise _refused(unit, "given duties")
    if command.duties == unit.duties:
        raise RuleViolated("duties-unchanged", "The unit already has these duties.")
    return [UnitDutiesSet(duties=command.duties, effective_on=command.effective_on)]


def withdraw_unit(unit: Unit, command: WithdrawUnit) -> list[UnitEvent]:
    """Only an active unit is withdrawn; its history stays in the log."""
    if unit.status is not UnitStatus.ACTIVE:
        raise _refused(unit, "withdrawn")
    return [
        UnitWithdrawn(
            reason=command.reason,
            effective_on=command.effective_on,
            succeeded_by=command.succeeded_by,
        )
    ]


def require_active_unit(unit: Unit, *, field: str, code: str) -> None:
    """Refuses, as invalid input naming `field`, a unit that is not an active member."""
    if unit.status is not UnitStatus.ACTIVE:
        raise InvalidInput(
            field=field,
            rule="unit_active",
            detail=f"Unit {code} is {unit.status}, not an active member unit.",
        )


def _refused(unit: Unit, what: str) -> InvalidTransition:
    return InvalidTransition(
        current=unit.status,
        allowed=ALLOWED_AFTER[unit.status],
        detail=f"The unit is {unit.status} and cannot be {what}.",
    )


UNIT: Aggregate[Unit, UnitEvent] = Aggregate(
    category="unit", initial=Unit(), evolve=evolve, events=UnitEvent
)
