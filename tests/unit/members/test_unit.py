"""Member units: given events, when a command, then events or a refusal."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from services.members.domain.unit import (
    UNIT,
    AdmitUnit,
    RenameUnit,
    SetUnitDuties,
    Unit,
    UnitAdmitted,
    UnitDutiesSet,
    UnitKind,
    UnitStatus,
    UnitWithdrawn,
    WithdrawUnit,
    admit_unit,
    rename_unit,
    set_unit_duties,
    withdraw_unit,
)
from shared.domain import Command, Role
from shared.errors import InvalidTransition, RuleViolated
from tests.unit.members.factories import (
    FOUNDED,
    LATER,
    unit_admitted,
    unit_duties_set,
    unit_renamed,
    unit_withdrawn,
)


def admit(**overrides: object) -> AdmitUnit:
    fields: dict[str, object] = {
        "code": "ajj",
        "name_zh": "区安全生产监督管理局",
        "name_en": "Chengdong District Work Safety Supervision Bureau",
        "kind": UnitKind.BUREAU,
        "duties": ("监督检查企业农民工工资支付情况",),
        "effective_on": FOUNDED,
    }
    return AdmitUnit.model_validate(fields | overrides)


def rename(**overrides: object) -> RenameUnit:
    fields: dict[str, object] = {
        "name_zh": "区应急管理局",
        "name_en": "Chengdong District Emergency Management Bureau",
        "effective_on": LATER,
        "reason": "institutional reform",
    }
    return RenameUnit.model_validate(fields | overrides)


def test_a_unit_stream_is_named_after_its_code() -> None:
    assert UNIT.stream_id("rsj") == "unit-rsj"


def test_a_new_unit_is_admitted_with_its_names_kind_and_duties() -> None:
    unit = UNIT.replay([])

    events = admit_unit(unit, admit())

    assert events == [unit_admitted()]


def test_admitting_an_active_unit_again_with_the_same_data_changes_nothing() -> None:
    unit = UNIT.replay([unit_admitted()])

    events = admit_unit(unit, admit())

    assert events == []


def test_an_active_unit_cannot_be_admitted_again_with_different_data() -> None:
    unit = UNIT.replay([unit_admitted()])

    with pytest.raises(InvalidTransition) as refused:
        admit_unit(unit, admit(name_en="Work Safety Bureau"))

    assert refused.value.current == UnitStatus.ACTIVE
    assert refused.value.allowed == (RenameUnit, SetUnitDuties, WithdrawUnit)


def test_a_withdrawn_unit_cannot_be_admitted_again() -> None:
    unit = UNIT.replay([unit_admitted(), unit_withdrawn()])

    with pytest.raises(InvalidTransition) as refused:
        admit_unit(unit, admit())

    assert refused.value.current == UnitStatus.WITHDRAWN
    assert refused.value.allowed == ()


@pytest.mark.parametrize("code", ["RSJ", "r", "1rsj", "rsj_", "人社局", "a" * 41])
def test_a_unit_code_is_a_lowercase_ascii_slug(code: str) -> None:
    with pytest.raises(ValidationError) as refused:
        admit(code=code)

    assert refused.value.errors()[0]["loc"] == ("code",)


@pytest.mark.parametrize("duty", ["", "   "])
def test_a_duty_item_is_never_empty(duty: str) -> None:
    with pytest.raises(ValidationError) as refused:
        SetUnitDuties(
            duties=("监督检查企业农民工工资支付情况", duty), effective_on=LATER
        )

    assert refused.value.errors()[0]["loc"] == ("duties", 1)


def test_an_active_unit_is_renamed() -> None:
    unit = UNIT.replay([unit_admitted()])

    events = rename_unit(unit, rename())

    assert events == [unit_renamed()]


def test_a_rename_keeps_the_old_name_in_the_history() -> None:
    admitted = unit_admitted()
    unit = UNIT.replay([admitted])

    history = [admitted, *rename_unit(unit, rename())]

    assert UNIT.replay(history).name_zh == "区应急管理局"
    assert UNIT.replay(history[:1]).name_zh == "区安全生产监督管理局"


def test_renaming_a_unit_to_the_names_it_has_is_refused() -> None:
    unit = UNIT.replay([unit_admitted()])

    with pytest.raises(RuleViolated) as refused:
        rename_unit(
            unit,
            rename(
                name_zh="区安全生产监督管理局",
                name_en="Chengdong District Work Safety Supervision Bureau",
            ),
        )

    assert refused.value.code == "name-unchanged"


@pytest.mark.parametrize(
    ("history", "status"),
    [
        ([], UnitStatus.NEW),
        ([unit_admitted(), unit_withdrawn()], UnitStatus.WITHDRAWN),
    ],
)
def test_only_an_active_unit_is_renamed(
    history: list[UnitAdmitted | UnitWithdrawn], status: UnitStatus
) -> None:
    unit = UNIT.replay(history)

    with pytest.raises(InvalidTransition) as refused:
        rename_unit(unit, rename())

    assert refused.value.current == status


def test_an_active_unit_is_given_new_duties() -> None:
    unit = UNIT.replay([unit_admitted()])
    duties = ("负责指导、监督、规范管理辖区企业的用工行为",)

    events = set_unit_duties(unit, SetUnitDuties(duties=duties, effective_on=LATER))

    assert events == [UnitDutiesSet(duties=duties, effective_on=LATER)]
    assert UNIT.replay([unit_admitted(), *events]).duties == duties


def test_a_unit_can_be_left_with_no_duties() -> None:
    unit = UNIT.replay([unit_admitted()])

    events = set_unit_duties(unit, SetUnitDuties(duties=(), effective_on=LATER))

    assert events == [unit_duties_set(duties=())]


def test_setting_the_duties_a_unit_already_has_is_refused() -> None:
    unit = UNIT.replay([unit_admitted()])

    with pytest.raises(RuleViolated) as refused:
        set_unit_duties(
            unit,
            SetUnitDuties(
                duties=("监督检查企业农民工工资支付情况",), effective_on=LATER
            ),
        )

    assert refused.value.code == "duties-unchanged"


def test_only_an_active_unit_is_given_duties() -> None:
    unit = UNIT.replay([unit_admitted(), unit_withdrawn()])

    with pytest.raises(InvalidTransition) as refused:
        set_unit_duties(unit, SetUnitDuties(duties=("做好工作",), effective_on=LATER))

    assert refused.value.current == UnitStatus.WITHDRAWN


def test_an_active_unit_is_withdrawn_naming_its_successor() -> None:
    unit = UNIT.replay([unit_admitted()])

    events = withdraw_unit(
        unit, WithdrawUnit(reason="merged", effective_on=LATER, succeeded_by="yjglj")
    )

    assert events == [
        UnitWithdrawn(reason="merged", effective_on=LATER, succeeded_by="yjglj")
    ]
    assert UNIT.replay([unit_admitted(), *events]) == Unit(
        status=UnitStatus.WITHDRAWN,
        name_zh="区安全生产监督管理局",
        name_en="Chengdong District Work Safety Supervision Bureau",
        kind=UnitKind.BUREAU,
        duties=("监督检查企业农民工工资支付情况",),
        admitted_on=FOUNDED,
        succeeded_by="yjglj",
    )


def test_a_withdrawn_unit_cannot_be_withdrawn_again() -> None:
    unit = UNIT.replay([unit_admitted(), unit_withdrawn()])

    with pytest.raises(InvalidTransition) as refused:
        withdraw_unit(
            unit, WithdrawUnit(reason="merged", effective_on=date(2020, 1, 1))
        )

    assert refused.value.current == UnitStatus.WITHDRAWN


def test_a_new_unit_cannot_be_withdrawn() -> None:
    unit = UNIT.replay([])

    with pytest.raises(InvalidTransition) as refused:
        withdraw_unit(unit, WithdrawUnit(reason="merged", effective_on=LATER))

    assert (refused.value.current, refused.value.allowed) == ("new", (AdmitUnit,))


def test_a_successor_code_is_a_unit_code() -> None:
    with pytest.raises(ValidationError) as refused:
        WithdrawUnit(reason="merged", effective_on=LATER, succeeded_by="应急管理局")

    assert refused.value.errors()[0]["loc"] == ("succeeded_by",)


@pytest.mark.parametrize(
    "command", [AdmitUnit, RenameUnit, SetUnitDuties, WithdrawUnit]
)
def test_unit_commands_are_run_by_the_office(command: type[Command]) -> None:
    assert command.permitted == frozenset({Role.OFFICE})


def test_a_renamed_unit_keeps_both_its_new_names() -> None:
    unit = UNIT.replay([unit_admitted(), unit_renamed()])

    assert (unit.name_zh, unit.name_en) == (
        "区应急管理局",
        "Chengdong District Emergency Management Bureau",
    )
