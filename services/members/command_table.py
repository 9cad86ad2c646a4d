"""Every members command: the stream it addresses, its decide function, the facts that
function needs, who may run it (the command's `permitted` roles) and its route.

Routes, the seed loader and the process manager all run commands through
`shared.command_pipeline.run` with this table, so a command is handled the same way
whoever sends it."""

from __future__ import annotations

from dataclasses import dataclass

from services.members.domain import joint_meeting, person, unit
from services.members.domain.joint_meeting import (
    JOINT_MEETING,
    ChangeRole,
    EndRole,
    EndRolesOfRelievedPerson,
    EstablishJointMeeting,
    GrantRole,
    SetLeadUnit,
    SetOfficeHost,
)
from services.members.domain.person import (
    PERSON,
    AppointPerson,
    ChangeTitle,
    MovePerson,
    RelievePerson,
)
from services.members.domain.unit import (
    UNIT,
    AdmitUnit,
    RenameUnit,
    SetUnitDuties,
    WithdrawUnit,
)
from shared.command_table import (
    CommandTable,
    FromCommand,
    FromContext,
    Resource,
    Row,
    state_of,
)
from shared.values import PersonId, UnitCode


@dataclass(frozen=True)
class MembersContext:
    """What members commands need of the running service: its district's joint
    meeting, the one stream the joint-meeting commands address."""

    joint_meeting_id: str


def _unit_code(
    command: AppointPerson | MovePerson | SetLeadUnit | SetOfficeHost,
) -> str:
    return command.unit_code


def _person_id(command: GrantRole | ChangeRole) -> str:
    return command.person_id


def _lead_unit(command: EstablishJointMeeting) -> str:
    return command.lead_unit


def _office_unit(command: EstablishJointMeeting) -> str:
    return command.office_unit


def _joint_meeting(context: MembersContext) -> str:
    return context.joint_meeting_id


# The states of other streams a decide function is given.
NAMED_UNIT = state_of("unit", UNIT, _unit_code)
NAMED_PERSON = state_of("person", PERSON, _person_id)
LEAD_UNIT = state_of("lead_unit", UNIT, _lead_unit)
OFFICE_UNIT = state_of("office_unit", UNIT, _office_unit)

UNITS = Resource("units", id_param="code", id_type=UnitCode)
PEOPLE = Resource("people", id_param="person_id", id_type=PersonId)
THE_JOINT_MEETING = Resource("joint-meeting")
ON_THE_JOINT_MEETING = FromContext(_joint_meeting)

MEMBERS_COMMANDS: CommandTable[MembersContext] = CommandTable(
    (
        Row(
            AdmitUnit,
            UNIT,
            unit.admit_unit,
            "Admit a member unit (office only). 409 if the code is taken by another unit.",
            route=UNITS.create("admit"),
            ids=FromCommand(lambda command: command.code),
        ),
        Row(
            RenameUnit,
            UNIT,
            unit.rename_unit,
            "Rename a unit (e.g. 安监局 → 应急管理局); former names stay in its history.",
            route=UNITS.step("rename"),
        ),
        Row(
            SetUnitDuties,
            UNIT,
            unit.set_unit_duties,
            "Replace a unit's duty items (notice §3).",
            route=UNITS.step("set-duties"),
        ),
        Row(
            WithdrawUnit,
            UNIT,
            unit.withdraw_unit,
            "Withdraw a unit, optionally naming its successor. 409 if it is not active.",
            route=UNITS.step("withdraw"),
        ),
        Row(
            AppointPerson,
            PERSON,
            person.appoint_person,
            "Appoint a person to an active unit. 422 if the unit is unknown or withdrawn.",
            facts=(NAMED_UNIT,),
            route=PEOPLE.create("appoint"),
            ids=FromCommand(lambda command: command.person_id),
        ),
        Row(
            ChangeTitle,
            PERSON,
            person.change_title,
            "Change a person's title.",
            route=PEOPLE.step("change-title"),
        ),
        Row(
            MovePerson,
            PERSON,
            person.move_person,
            "Move a person to another active unit with a new title.",
            facts=(NAMED_UNIT,),
            route=PEOPLE.step("move"),
        ),
        Row(
            RelievePerson,
            PERSON,
            person.relieve_person,
            "Relieve a person; their roles end the same day. 409 if already relieved.",
            route=PEOPLE.step("relieve"),
        ),
        Row(
            EstablishJointMeeting,
            JOINT_MEETING,
            joint_meeting.establish_joint_meeting,
            "Establish the joint meeting (by the seed roster only).",
            facts=(LEAD_UNIT, OFFICE_UNIT),
            ids=ON_THE_JOINT_MEETING,
        ),
        Row(
            SetLeadUnit,
            JOINT_MEETING,
            joint_meeting.set_lead_unit,
            "Make another active unit the lead unit (牵头单位).",
            facts=(NAMED_UNIT,),
            route=THE_JOINT_MEETING.step("set-lead-unit"),
            ids=ON_THE_JOINT_MEETING,
        ),
        Row(
            SetOfficeHost,
            JOINT_MEETING,
            joint_meeting.set_office_host,
            "Move the joint meeting's office to another active unit.",
            facts=(NAMED_UNIT,),
            route=THE_JOINT_MEETING.step("set-office-host"),
            ids=ON_THE_JOINT_MEETING,
        ),
        Row(
            GrantRole,
            JOINT_MEETING,
            joint_meeting.grant_role,
            "Grant a role (convener, deputy_convener, office_director, member, liaison).",
            description="Grant a role (convener, deputy_convener, office_director,"
            " member, liaison). 409 `one-convener` if someone else is convener.",
            facts=(NAMED_PERSON,),
            route=THE_JOINT_MEETING.step("grant-role"),
            ids=ON_THE_JOINT_MEETING,
        ),
        Row(
            EndRole,
            JOINT_MEETING,
            joint_meeting.end_role,
            "End a role a person holds. 409 `role-not-held` otherwise.",
            route=THE_JOINT_MEETING.step("end-role"),
            ids=ON_THE_JOINT_MEETING,
        ),
        Row(
            ChangeRole,
            JOINT_MEETING,
            joint_meeting.change_role,
            "End one role and grant another on the same day.",
            facts=(NAMED_PERSON,),
            route=THE_JOINT_MEETING.step("change-role"),
            ids=ON_THE_JOINT_MEETING,
        ),
        Row(
            EndRolesOfRelievedPerson,
            JOINT_MEETING,
            joint_meeting.end_roles_of_relieved_person,
            "End every role of a relieved person (the process manager's command).",
            ids=ON_THE_JOINT_MEETING,
        ),
    ),
    transitions=(unit.ALLOWED_AFTER, person.ALLOWED_AFTER, joint_meeting.ALLOWED_AFTER),
)
