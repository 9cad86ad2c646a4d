"""The joint meeting and its roles: given events, when a command, then events or a refusal."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from services.members.domain.joint_meeting import (
    JOINT_MEETING,
    ChangeRole,
    EndRole,
    EndRolesOfRelievedPerson,
    EstablishJointMeeting,
    GrantRole,
    Holding,
    JointMeeting,
    JointMeetingEvent,
    LeadUnitSet,
    MeetingRole,
    OfficeHostSet,
    SetLeadUnit,
    SetOfficeHost,
    change_role,
    end_role,
    end_roles_of_relieved_person,
    establish_joint_meeting,
    grant_role,
    set_lead_unit,
    set_office_host,
)
from services.members.domain.person import PERSON, Person
from services.members.domain.unit import UNIT
from shared.domain import Command, Role
from shared.errors import InvalidInput, InvalidTransition, RuleViolated
from tests.unit.members.factories import (
    FOUNDED,
    LATER,
    active_person,
    active_unit,
    joint_meeting_established,
    person_appointed,
    person_relieved,
    role_ended,
    role_granted,
    unit_admitted,
    unit_withdrawn,
)

CONVENER = MeetingRole.CONVENER
DEPUTY = MeetingRole.DEPUTY_CONVENER
DIRECTOR = MeetingRole.OFFICE_DIRECTOR
MEMBER = MeetingRole.MEMBER

# 马吉祥, the convener of the notice, sits for the district government.
MA_JIXIANG = active_person(
    name="马吉祥", unit_code="qzf", title="区委常委、区政府副区长"
)
WITHDRAWN_UNIT = UNIT.replay([unit_admitted(), unit_withdrawn()])


def established(*events: JointMeetingEvent) -> JointMeeting:
    return JOINT_MEETING.replay([joint_meeting_established(), *events])


def establish(**overrides: object) -> EstablishJointMeeting:
    fields: dict[str, object] = {
        "name": "城东区农民工工资清欠工作联席会议",
        "lead_unit": "rsj",
        "office_unit": "rsj",
        "effective_on": FOUNDED,
    }
    return EstablishJointMeeting.model_validate(fields | overrides)


def grant(
    person_id: str = "2017-01", role: MeetingRole = CONVENER, *, on: date = FOUNDED
) -> GrantRole:
    return GrantRole(person_id=person_id, role=role, effective_on=on)


def end(person_id: str = "2017-01", role: MeetingRole = CONVENER) -> EndRole:
    return EndRole(
        person_id=person_id, role=role, effective_on=LATER, reason="left office"
    )


def change(from_role: MeetingRole, to_role: MeetingRole) -> ChangeRole:
    return ChangeRole(
        person_id="2017-01", from_role=from_role, to_role=to_role, effective_on=LATER
    )


def test_the_joint_meeting_stream_is_named_after_the_district() -> None:
    assert JOINT_MEETING.stream_id("chengdong") == "jointmeeting-chengdong"


def test_the_joint_meeting_is_established_with_an_active_lead_and_office_unit() -> None:
    meeting = JOINT_MEETING.replay([])

    events = establish_joint_meeting(
        meeting, establish(), lead_unit=active_unit(), office_unit=active_unit()
    )

    assert events == [joint_meeting_established()]


def test_establishing_the_meeting_again_with_the_same_data_changes_nothing() -> None:
    meeting = established(role_granted())

    events = establish_joint_meeting(
        meeting, establish(), lead_unit=active_unit(), office_unit=active_unit()
    )

    assert events == []


def test_the_meeting_cannot_be_established_again_with_different_data() -> None:
    meeting = established()

    with pytest.raises(InvalidTransition) as refused:
        establish_joint_meeting(
            meeting,
            establish(office_unit="zfb"),
            lead_unit=active_unit(),
            office_unit=active_unit(),
        )

    assert refused.value.current == "established"


@pytest.mark.parametrize("field", ["lead_unit", "office_unit"])
def test_the_meeting_is_led_and_hosted_only_by_active_units(field: str) -> None:
    units = {"lead_unit": active_unit(), "office_unit": active_unit()}
    units[field] = WITHDRAWN_UNIT

    with pytest.raises(InvalidInput) as refused:
        establish_joint_meeting(JOINT_MEETING.replay([]), establish(), **units)

    assert (refused.value.field, refused.value.rule) == (field, "unit_active")


@pytest.mark.parametrize(
    "decide",
    [
        lambda m: grant_role(m, grant(), person=MA_JIXIANG),
        lambda m: end_role(m, end()),
        lambda m: change_role(m, change(CONVENER, DEPUTY), person=MA_JIXIANG),
        lambda m: set_lead_unit(
            m, SetLeadUnit(unit_code="fgj", effective_on=LATER), unit=active_unit()
        ),
        lambda m: set_office_host(
            m, SetOfficeHost(unit_code="fgj", effective_on=LATER), unit=active_unit()
        ),
    ],
    ids=["grant", "end", "change", "lead-unit", "office-host"],
)
def test_nothing_happens_in_a_meeting_not_yet_established(
    decide: Callable[[JointMeeting], list[JointMeetingEvent]],
) -> None:
    meeting = JOINT_MEETING.replay([])

    with pytest.raises(InvalidTransition) as refused:
        decide(meeting)

    assert (refused.value.current, refused.value.allowed) == (
        "new",
        (EstablishJointMeeting,),
    )


def test_an_active_person_is_granted_a_role_for_the_unit_they_sit_for() -> None:
    meeting = established()

    events = grant_role(meeting, grant(), person=MA_JIXIANG)

    assert events == [role_granted(unit_code="qzf")]
    assert established(*events).holdings == (
        Holding(person_id="2017-01", role=CONVENER, unit_code="qzf", since=FOUNDED),
    )


@pytest.mark.parametrize(
    "person",
    [
        pytest.param(PERSON.replay([]), id="new"),
        pytest.param(
            PERSON.replay([person_appointed(), person_relieved()]), id="relieved"
        ),
    ],
)
def test_only_an_active_person_is_granted_a_role(person: Person) -> None:
    meeting = established()

    with pytest.raises(InvalidInput) as refused:
        grant_role(meeting, grant(), person=person)

    assert (refused.value.field, refused.value.rule) == ("person_id", "person_active")


def test_there_is_one_convener_at_a_time() -> None:
    meeting = established(role_granted(person_id="2017-01"))

    with pytest.raises(RuleViolated) as refused:
        grant_role(meeting, grant("2017-02"), person=active_person())

    assert refused.value.code == "one-convener"


def test_a_new_convener_is_granted_once_the_old_one_s_role_has_ended() -> None:
    meeting = established(role_granted(person_id="2017-01"), role_ended())

    events = grant_role(meeting, grant("2017-27", on=LATER), person=active_person())

    assert events == [
        role_granted(person_id="2017-27", unit_code="rsj", effective_on=LATER)
    ]


def test_there_is_one_office_director_at_a_time() -> None:
    meeting = established(role_granted(person_id="2017-03", role=DIRECTOR))

    with pytest.raises(RuleViolated) as refused:
        grant_role(meeting, grant("2017-13", DIRECTOR), person=active_person())

    assert refused.value.code == "one-office-director"


def test_there_may_be_several_deputy_conveners() -> None:
    meeting = established(role_granted(person_id="2017-02", role=DEPUTY))

    events = grant_role(meeting, grant("2017-03", DEPUTY), person=active_person())

    assert events == [role_granted(person_id="2017-03", role=DEPUTY, unit_code="rsj")]


def test_a_person_may_hold_several_roles() -> None:
    meeting = established(role_granted(person_id="2017-03", role=DEPUTY))

    events = grant_role(meeting, grant("2017-03", DIRECTOR), person=active_person())

    assert events == [role_granted(person_id="2017-03", role=DIRECTOR, unit_code="rsj")]


def test_a_person_cannot_hold_the_same_role_twice() -> None:
    meeting = established(role_granted(unit_code="qzf"))

    with pytest.raises(RuleViolated) as refused:
        grant_role(meeting, grant(on=LATER), person=MA_JIXIANG)

    assert refused.value.code == "role-already-held"


def test_granting_the_same_holding_again_changes_nothing() -> None:
    meeting = established(role_granted(unit_code="qzf"))

    events = grant_role(meeting, grant(), person=MA_JIXIANG)

    assert events == []


def test_a_held_role_ends() -> None:
    meeting = established(role_granted())

    events = end_role(meeting, end())

    assert events == [role_ended()]
    assert established(role_granted(), *events).holdings == ()


def test_a_role_not_held_cannot_end() -> None:
    meeting = established(role_granted(person_id="2017-01"))

    with pytest.raises(RuleViolated) as refused:
        end_role(meeting, end("2017-02"))

    assert refused.value.code == "role-not-held"


def test_a_role_cannot_end_before_it_began() -> None:
    meeting = established(role_granted(effective_on=LATER))

    with pytest.raises(RuleViolated) as refused:
        end_role(
            meeting,
            EndRole(
                person_id="2017-01", role=CONVENER, effective_on=FOUNDED, reason="x"
            ),
        )

    assert refused.value.code == "end-before-start"


def test_a_role_changes_by_ending_one_and_granting_the_other_the_same_day() -> None:
    meeting = established(role_granted(unit_code="qzf"))

    events = change_role(meeting, change(CONVENER, DEPUTY), person=MA_JIXIANG)

    assert events == [
        role_ended(reason="changed to deputy_convener"),
        role_granted(role=DEPUTY, unit_code="qzf", effective_on=LATER),
    ]


def test_a_role_cannot_change_into_itself() -> None:
    meeting = established(role_granted())

    with pytest.raises(RuleViolated) as refused:
        change_role(meeting, change(CONVENER, CONVENER), person=MA_JIXIANG)

    assert refused.value.code == "role-unchanged"


def test_a_role_not_held_cannot_change() -> None:
    meeting = established(role_granted(role=MEMBER))

    with pytest.raises(RuleViolated) as refused:
        change_role(meeting, change(DEPUTY, CONVENER), person=MA_JIXIANG)

    assert refused.value.code == "role-not-held"


def test_a_role_cannot_change_into_one_the_person_already_holds() -> None:
    meeting = established(role_granted(role=DEPUTY), role_granted(role=DIRECTOR))

    with pytest.raises(RuleViolated) as refused:
        change_role(meeting, change(DEPUTY, DIRECTOR), person=MA_JIXIANG)

    assert refused.value.code == "role-already-held"


def test_a_role_change_keeps_one_convener_at_a_time() -> None:
    meeting = established(
        role_granted(person_id="2017-02"),
        role_granted(person_id="2017-01", role=DEPUTY),
    )

    with pytest.raises(RuleViolated) as refused:
        change_role(meeting, change(DEPUTY, CONVENER), person=MA_JIXIANG)

    assert refused.value.code == "one-convener"


def test_every_role_of_a_relieved_person_ends() -> None:
    meeting = established(
        role_granted(person_id="2017-03", role=DEPUTY),
        role_granted(person_id="2017-03", role=DIRECTOR),
        role_granted(person_id="2017-04", role=MEMBER),
    )

    events = end_roles_of_relieved_person(
        meeting, EndRolesOfRelievedPerson(person_id="2017-03", effective_on=LATER)
    )

    assert events == [
        role_ended(person_id="2017-03", role=DEPUTY, reason="person relieved"),
        role_ended(person_id="2017-03", role=DIRECTOR, reason="person relieved"),
    ]


def test_ending_the_roles_of_a_relieved_person_who_held_none_changes_nothing() -> None:
    meeting = established(role_granted(person_id="2017-04", role=MEMBER))

    events = end_roles_of_relieved_person(
        meeting, EndRolesOfRelievedPerson(person_id="2017-03", effective_on=LATER)
    )

    assert events == []


def test_the_lead_unit_changes_to_another_active_unit() -> None:
    meeting = established()

    events = set_lead_unit(
        meeting, SetLeadUnit(unit_code="fgj", effective_on=LATER), unit=active_unit()
    )

    assert events == [LeadUnitSet(unit_code="fgj", effective_on=LATER)]
    assert established(*events).lead_unit == "fgj"


def test_the_lead_unit_is_only_an_active_unit() -> None:
    meeting = established()

    with pytest.raises(InvalidInput) as refused:
        set_lead_unit(
            meeting,
            SetLeadUnit(unit_code="fgj", effective_on=LATER),
            unit=WITHDRAWN_UNIT,
        )

    assert (refused.value.field, refused.value.rule) == ("unit_code", "unit_active")


def test_setting_the_lead_unit_the_meeting_already_has_is_refused() -> None:
    meeting = established()

    with pytest.raises(RuleViolated) as refused:
        set_lead_unit(
            meeting,
            SetLeadUnit(unit_code="rsj", effective_on=LATER),
            unit=active_unit(),
        )

    assert refused.value.code == "lead-unit-unchanged"


def test_the_office_moves_to_another_active_unit() -> None:
    meeting = established()

    events = set_office_host(
        meeting, SetOfficeHost(unit_code="fgj", effective_on=LATER), unit=active_unit()
    )

    assert events == [OfficeHostSet(unit_code="fgj", effective_on=LATER)]
    assert established(*events).office_unit == "fgj"


def test_the_office_is_hosted_only_by_an_active_unit() -> None:
    meeting = established()

    with pytest.raises(InvalidInput) as refused:
        set_office_host(
            meeting,
            SetOfficeHost(unit_code="fgj", effective_on=LATER),
            unit=WITHDRAWN_UNIT,
        )

    assert (refused.value.field, refused.value.rule) == ("unit_code", "unit_active")


def test_setting_the_office_host_the_meeting_already_has_is_refused() -> None:
    meeting = established()

    with pytest.raises(RuleViolated) as refused:
        set_office_host(
            meeting,
            SetOfficeHost(unit_code="rsj", effective_on=LATER),
            unit=active_unit(),
        )

    assert refused.value.code == "office-host-unchanged"


def test_only_the_system_ends_the_roles_of_a_relieved_person() -> None:
    assert EndRolesOfRelievedPerson.permitted == frozenset({Role.SYSTEM})


@pytest.mark.parametrize(
    "command",
    [EstablishJointMeeting, SetLeadUnit, SetOfficeHost, GrantRole, EndRole, ChangeRole],
)
def test_joint_meeting_commands_are_run_by_the_office(command: type[Command]) -> None:
    assert command.permitted == frozenset({Role.OFFICE})


def test_the_meeting_keeps_the_day_it_was_established() -> None:
    assert established().established_on == FOUNDED


def test_a_role_ends_on_the_day_it_began() -> None:
    meeting = established(role_granted(effective_on=LATER))
    on_the_first_day = EndRole(
        person_id="2017-01", role=CONVENER, effective_on=LATER, reason="x"
    )

    assert end_role(meeting, on_the_first_day) == [
        role_ended(effective_on=LATER, reason="x")
    ]
