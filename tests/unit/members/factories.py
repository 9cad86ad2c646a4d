"""Events of the members service with defaults, to build histories in tests."""

from __future__ import annotations

from datetime import date
from typing import Any

from services.members.domain.joint_meeting import (
    JointMeetingEstablished,
    LeadUnitSet,
    MeetingRole,
    OfficeHostSet,
    RoleEnded,
    RoleGranted,
)
from services.members.domain.person import (
    PERSON,
    Person,
    PersonAppointed,
    PersonMoved,
    PersonRelieved,
    PersonTitleChanged,
)
from services.members.domain.unit import (
    UNIT,
    Unit,
    UnitAdmitted,
    UnitDutiesSet,
    UnitKind,
    UnitRenamed,
    UnitWithdrawn,
)

FOUNDED = date(2017, 8, 2)
LATER = date(2019, 3, 1)


def unit_admitted(**overrides: Any) -> UnitAdmitted:
    defaults: dict[str, Any] = {
        "name_zh": "区安全生产监督管理局",
        "name_en": "Chengdong District Work Safety Supervision Bureau",
        "kind": UnitKind.BUREAU,
        "duties": ("监督检查企业农民工工资支付情况",),
        "effective_on": FOUNDED,
    }
    return UnitAdmitted(**(defaults | overrides))


def unit_renamed(**overrides: Any) -> UnitRenamed:
    defaults: dict[str, Any] = {
        "name_zh": "区应急管理局",
        "name_en": "Chengdong District Emergency Management Bureau",
        "effective_on": LATER,
        "reason": "institutional reform",
    }
    return UnitRenamed(**(defaults | overrides))


def unit_duties_set(**overrides: Any) -> UnitDutiesSet:
    defaults: dict[str, Any] = {
        "duties": ("负责指导、监督、规范管理辖区企业的用工行为",),
        "effective_on": LATER,
    }
    return UnitDutiesSet(**(defaults | overrides))


def unit_withdrawn(**overrides: Any) -> UnitWithdrawn:
    defaults: dict[str, Any] = {
        "reason": "merged",
        "effective_on": LATER,
        "succeeded_by": None,
    }
    return UnitWithdrawn(**(defaults | overrides))


def person_appointed(**overrides: Any) -> PersonAppointed:
    defaults: dict[str, Any] = {
        "name": "赵云靖",
        "unit_code": "rsj",
        "title": "区人力资源和社会保障局副局长",
        "effective_on": FOUNDED,
    }
    return PersonAppointed(**(defaults | overrides))


def person_title_changed(**overrides: Any) -> PersonTitleChanged:
    defaults: dict[str, Any] = {
        "title": "区人力资源和社会保障局局长",
        "effective_on": LATER,
    }
    return PersonTitleChanged(**(defaults | overrides))


def person_moved(**overrides: Any) -> PersonMoved:
    defaults: dict[str, Any] = {
        "unit_code": "jsj",
        "title": "区建设局副局长",
        "effective_on": LATER,
    }
    return PersonMoved(**(defaults | overrides))


def person_relieved(**overrides: Any) -> PersonRelieved:
    defaults: dict[str, Any] = {"reason": "retired", "effective_on": LATER}
    return PersonRelieved(**(defaults | overrides))


def joint_meeting_established(**overrides: Any) -> JointMeetingEstablished:
    defaults: dict[str, Any] = {
        "name": "城东区农民工工资清欠工作联席会议",
        "lead_unit": "rsj",
        "office_unit": "rsj",
        "effective_on": FOUNDED,
    }
    return JointMeetingEstablished(**(defaults | overrides))


def lead_unit_set(**overrides: Any) -> LeadUnitSet:
    defaults: dict[str, Any] = {"unit_code": "fgj", "effective_on": LATER}
    return LeadUnitSet(**(defaults | overrides))


def office_host_set(**overrides: Any) -> OfficeHostSet:
    defaults: dict[str, Any] = {"unit_code": "fgj", "effective_on": LATER}
    return OfficeHostSet(**(defaults | overrides))


def role_granted(**overrides: Any) -> RoleGranted:
    defaults: dict[str, Any] = {
        "person_id": "2017-01",
        "role": MeetingRole.CONVENER,
        "unit_code": "qzf",
        "effective_on": FOUNDED,
    }
    return RoleGranted(**(defaults | overrides))


def role_ended(**overrides: Any) -> RoleEnded:
    defaults: dict[str, Any] = {
        "person_id": "2017-01",
        "role": MeetingRole.CONVENER,
        "effective_on": LATER,
        "reason": "left office",
    }
    return RoleEnded(**(defaults | overrides))


def active_unit(**overrides: Any) -> Unit:
    """A unit admitted with `unit_admitted(**overrides)`."""
    return UNIT.replay([unit_admitted(**overrides)])


def active_person(**overrides: Any) -> Person:
    """A person appointed with `person_appointed(**overrides)`."""
    return PERSON.replay([person_appointed(**overrides)])
