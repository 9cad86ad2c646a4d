"""Every service's unit directory reads members' unit events: the kernel's inbound
models parse what members writes."""

from __future__ import annotations

from datetime import date

from services.members.domain.unit import UnitAdmitted as MembersUnitAdmitted
from services.members.domain.unit import UnitKind
from services.members.domain.unit import UnitRenamed as MembersUnitRenamed
from services.members.domain.unit import UnitWithdrawn as MembersUnitWithdrawn
from shared.unit_directory import (
    MEMBER_UNIT_EVENTS,
    UnitAdmitted,
    UnitRenamed,
    UnitWithdrawn,
)


def test_the_unit_directory_reads_a_unit_admitted_by_members() -> None:
    produced = MembersUnitAdmitted(
        name_zh="区建设局",
        name_en="Construction Bureau",
        kind=UnitKind.BUREAU,
        duties=("监管",),
        effective_on=date(2017, 8, 2),
    )

    read = UnitAdmitted.model_validate(produced.model_dump(mode="json"))

    assert (read.name_zh, read.name_en, read.kind) == (
        "区建设局",
        "Construction Bureau",
        "bureau",
    )


def test_the_unit_directory_reads_renamed_and_withdrawn_units() -> None:
    renamed = MembersUnitRenamed(
        name_zh="区应急管理局",
        name_en="Emergency Management Bureau",
        effective_on=date(2019, 3, 1),
        reason="机构改革",
    )
    withdrawn = MembersUnitWithdrawn(
        reason="合并", effective_on=date(2019, 3, 1), succeeded_by="yjglj"
    )

    assert (
        UnitRenamed.model_validate(renamed.model_dump(mode="json")).name_zh
        == "区应急管理局"
    )
    assert (
        UnitWithdrawn.model_validate(withdrawn.model_dump(mode="json")).succeeded_by
        == "yjglj"
    )


def test_the_event_type_names_the_directory_follows_are_the_ones_members_writes() -> (
    None
):
    assert set(MEMBER_UNIT_EVENTS) == {
        MembersUnitAdmitted.event_type(),
        MembersUnitRenamed.event_type(),
        MembersUnitWithdrawn.event_type(),
    }
