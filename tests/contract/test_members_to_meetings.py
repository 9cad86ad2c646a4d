"""meetings reads members' people and joint-meeting roles: its inbound models parse what
members writes."""

from __future__ import annotations

from datetime import date

from services.meetings import inbound_events as read
from services.members.domain.joint_meeting import MeetingRole, RoleEnded, RoleGranted
from services.members.domain.person import PersonAppointed, PersonMoved


def test_meetings_reads_a_role_granted_and_ended_by_members() -> None:
    granted = RoleGranted(
        person_id="2017-02",
        role=MeetingRole.DEPUTY_CONVENER,
        unit_code="zfb",
        effective_on=date(2017, 8, 2),
    )
    ended = RoleEnded(
        person_id="2017-02",
        role=MeetingRole.DEPUTY_CONVENER,
        effective_on=date(2020, 3, 1),
        reason="工作调动",
    )

    got = read.RoleGranted.model_validate(granted.model_dump(mode="json"))
    lost = read.RoleEnded.model_validate(ended.model_dump(mode="json"))

    assert (got.person_id, got.role, got.unit_code, got.effective_on) == (
        "2017-02",
        "deputy_convener",
        "zfb",
        date(2017, 8, 2),
    )
    assert (lost.role, lost.effective_on) == ("deputy_convener", date(2020, 3, 1))


def test_meetings_reads_people_appointed_and_moved_by_members() -> None:
    appointed = PersonAppointed(
        name="马吉祥", unit_code="qzf", title="副区长", effective_on=date(2017, 8, 2)
    )
    moved = PersonMoved(unit_code="zfb", title="主任", effective_on=date(2019, 1, 1))

    person = read.PersonAppointed.model_validate(appointed.model_dump(mode="json"))
    move = read.PersonMoved.model_validate(moved.model_dump(mode="json"))

    assert (person.name, person.unit_code, move.unit_code) == ("马吉祥", "qzf", "zfb")
