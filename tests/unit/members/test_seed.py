"""The notice's roster as a seed plan, run through the decide functions in memory."""

from __future__ import annotations

from datetime import date
from typing import Any

from services.members.domain.joint_meeting import (
    JOINT_MEETING,
    EstablishJointMeeting,
    GrantRole,
    JointMeeting,
    MeetingRole,
    establish_joint_meeting,
    grant_role,
)
from services.members.domain.person import (
    PERSON,
    AppointPerson,
    PersonStatus,
    appoint_person,
)
from services.members.domain.unit import UNIT, AdmitUnit, UnitStatus, admit_unit
from services.members.seed import SeedStep, seed_plan
from shared.domain import Aggregate, Command, Event

NOTICE_DATE = date(2017, 8, 2)


class InMemoryMembers:
    """Just enough of `execute` for the seed: load, replay, decide with outside facts,
    append."""

    def __init__(self) -> None:
        self.streams: dict[str, list[Event]] = {}

    def state(self, aggregate: Aggregate[Any, Any], entity_id: str) -> Any:
        return aggregate.replay(self.streams.get(aggregate.stream_id(entity_id), []))

    def run(self, step: SeedStep) -> list[Event]:
        state = self.state(step.aggregate, step.entity_id)
        events = self.decide(state, step.command)
        stream_id = step.aggregate.stream_id(step.entity_id)
        self.streams.setdefault(stream_id, []).extend(events)
        return events

    def decide(self, state: Any, command: Command) -> list[Any]:
        match command:
            case AdmitUnit():
                return admit_unit(state, command)
            case EstablishJointMeeting():
                return establish_joint_meeting(
                    state,
                    command,
                    lead_unit=self.state(UNIT, command.lead_unit),
                    office_unit=self.state(UNIT, command.office_unit),
                )
            case AppointPerson():
                return appoint_person(
                    state, command, unit=self.state(UNIT, command.unit_code)
                )
            case GrantRole():
                return grant_role(
                    state, command, person=self.state(PERSON, command.person_id)
                )
        raise AssertionError(f"the seed has no {type(command).__name__}")


def appointments() -> list[AppointPerson]:
    return [s.command for s in seed_plan() if isinstance(s.command, AppointPerson)]


def holders_of(role: MeetingRole) -> list[str]:
    names = {a.person_id: a.name for a in appointments()}
    return [
        names[s.command.person_id]
        for s in seed_plan()
        if isinstance(s.command, GrantRole) and s.command.role is role
    ]


def loaded() -> InMemoryMembers:
    members = InMemoryMembers()
    for step in seed_plan():
        members.run(step)
    return members


def test_the_plan_admits_units_then_establishes_then_appoints_then_grants() -> None:
    kinds = [type(step.command) for step in seed_plan()]

    order = [k for i, k in enumerate(kinds) if i == 0 or kinds[i - 1] is not k]

    assert order == [AdmitUnit, EstablishJointMeeting, AppointPerson, GrantRole]
    assert kinds.count(AdmitUnit) == 27


def test_the_roster_has_the_26_people_of_the_attachment_in_its_order() -> None:
    people = appointments()

    assert [p.person_id for p in people] == [f"2017-{n:02d}" for n in range(1, 27)]
    assert [p.name for p in people][:5] == [
        "马吉祥",
        "崔玉琦",
        "马晓春",
        "古焕昌",
        "何军",
    ]
    assert people[10].name == "马勇"
    assert (people[24].name, people[25].name) == ("高萍", "孙春玲")
    assert people[25].title == "泰宁社区公共服务中心副主任"


def test_there_is_one_convener_ma_jixiang() -> None:
    assert holders_of(MeetingRole.CONVENER) == ["马吉祥"]


def test_the_deputy_conveners_are_cui_yuqi_and_ma_xiaochun() -> None:
    assert holders_of(MeetingRole.DEPUTY_CONVENER) == ["崔玉琦", "马晓春"]


def test_ma_xiaochun_directs_the_office_and_everyone_else_is_a_member() -> None:
    members = holders_of(MeetingRole.MEMBER)

    assert holders_of(MeetingRole.OFFICE_DIRECTOR) == ["马晓春"]
    assert len(members) == 23
    assert not {"马吉祥", "崔玉琦", "马晓春"} & set(members)


def test_everything_takes_effect_on_the_day_of_the_notice() -> None:
    dates = {getattr(step.command, "effective_on", None) for step in seed_plan()}

    assert dates == {NOTICE_DATE}


def test_command_ids_are_unique_and_the_same_on_every_call() -> None:
    first = [step.command_id for step in seed_plan()]

    second = [step.command_id for step in seed_plan()]

    assert first == second
    assert len(set(first)) == len(first)


def test_the_notice_s_units_without_duties_are_kept_without_duties() -> None:
    duties = {
        s.command.code: s.command.duties
        for s in seed_plan()
        if isinstance(s.command, AdmitUnit)
    }

    assert {code for code, items in duties.items() if not items} == {
        "czj",
        "gtj",
        "scjgj",
        "zfb",
        "qzf",
    }
    assert duties["ajj"] == (
        "负责指导、监督、规范管理辖区企业的用工行为",
        "监督检查企业农民工工资支付情况",
    )


def test_the_whole_plan_runs_through_the_decide_functions() -> None:
    members = loaded()

    meeting: JointMeeting = members.state(JOINT_MEETING, "chengdong")
    assert meeting.name == "城东区农民工工资清欠工作联席会议"
    assert (meeting.lead_unit, meeting.office_unit) == ("rsj", "rsj")
    assert len(meeting.holdings) == 27
    assert [
        h.unit_code for h in meeting.holdings if h.role is MeetingRole.CONVENER
    ] == ["qzf"]
    people = [members.state(PERSON, a.person_id) for a in appointments()]
    assert {p.status for p in people} == {PersonStatus.ACTIVE}
    units = [s for s in seed_plan() if isinstance(s.command, AdmitUnit)]
    assert {members.state(UNIT, s.entity_id).status for s in units} == {
        UnitStatus.ACTIVE
    }


def test_loading_the_plan_twice_changes_nothing() -> None:
    members = loaded()

    again = [members.run(step) for step in seed_plan()]

    assert again == [[] for _ in again]
