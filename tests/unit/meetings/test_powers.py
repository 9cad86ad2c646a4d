"""The convener's and deputy conveners' powers come from the members roster on the day,
never from a token: only the convener on the roster approves or declines a special
meeting, the convener or a deputy on the roster on the day of approval approves
minutes, and the office (by its token) or a convener schedules and cancels."""

from __future__ import annotations

import pytest

from services.meetings.domain.approval import (
    ApproveMeeting,
    DeclineMeeting,
    approve_meeting,
    decline_meeting,
)
from services.meetings.domain.cancellation import CancelMeeting, cancel_meeting
from services.meetings.domain.meeting import MeetingEvent
from services.meetings.domain.minutes import ApproveMinutes, approve_minutes
from services.meetings.domain.powers import ROSTER_RULE, Powers
from services.meetings.domain.proposal import MeetingKind
from services.meetings.domain.scheduling import ScheduleMeeting, schedule_meeting
from shared.errors import NotPermitted
from tests.unit.meetings.factories import (
    AMENDED_ON,
    APPROVED_ON,
    CONVENER_ID,
    CONVENER_POWERS,
    DEPUTY_ID,
    HELD_ON,
    MINUTES_APPROVED_ON,
    OFFICE_POWERS,
    SENT_ON,
    TODAY,
    held,
    meeting_approved,
    meeting_cancelled,
    meeting_declined,
    meeting_of,
    meeting_scheduled,
    minutes_amended,
    minutes_approved,
    minutes_drafted,
    powers,
    proposed,
)

SPECIAL = MeetingKind.SPECIAL
APPROVE = ApproveMeeting(approved_on=APPROVED_ON, note="同意")
DECLINE = DeclineMeeting(declined_on=APPROVED_ON, reason="并入全体会议")
APPROVE_MINUTES = ApproveMinutes(approved_on=MINUTES_APPROVED_ON)
CANCEL = CancelMeeting(cancelled_on=SENT_ON, reason="防汛工作冲突")
SCHEDULE = ScheduleMeeting(
    scheduled_on=HELD_ON, place="区政府三楼会议室", chair_person_id=CONVENER_ID
)
# Someone whose token says `convener` (the verifier drops it) but the roster says member.
CLAIMS_CONVENER = powers("2017-09", roster=frozenset({"member"}))
DEPUTY = powers(DEPUTY_ID, roster=frozenset({"deputy_convener"}))
UNIT_STAFF = powers("jsj-staff", roster=frozenset(), token=frozenset({"unit_staff"}))


def amended_minutes() -> list[MeetingEvent]:
    return [*held(), minutes_drafted(), minutes_amended(amended_on=AMENDED_ON)]


def test_the_convener_on_the_roster_approves_a_special_meeting() -> None:
    meeting = meeting_of(proposed(SPECIAL))

    events = approve_meeting(meeting, APPROVE, today=TODAY, powers=CONVENER_POWERS)

    assert events == [meeting_approved()]


def test_the_convener_on_the_roster_declines_a_special_meeting() -> None:
    meeting = meeting_of(proposed(SPECIAL))

    events = decline_meeting(meeting, DECLINE, today=TODAY, powers=CONVENER_POWERS)

    assert events == [meeting_declined()]


@pytest.mark.parametrize(
    "who", [CLAIMS_CONVENER, DEPUTY, OFFICE_POWERS, UNIT_STAFF], ids=lambda p: p.person
)
def test_only_the_convener_on_the_roster_approves_or_declines(who: Powers) -> None:
    meeting = meeting_of(proposed(SPECIAL))
    with pytest.raises(NotPermitted) as approving:
        approve_meeting(meeting, APPROVE, today=TODAY, powers=who)
    with pytest.raises(NotPermitted) as declining:
        decline_meeting(meeting, DECLINE, today=TODAY, powers=who)

    assert ROSTER_RULE in approving.value.detail
    assert f"{who.person} is not" in approving.value.detail
    assert "the convener on the members roster on 2024-04-01" in declining.value.detail


def test_a_convener_whose_role_ended_before_the_day_approves_nothing() -> None:
    former = powers(CONVENER_ID, roster=frozenset(), on=MINUTES_APPROVED_ON)

    with pytest.raises(NotPermitted) as refused:
        approve_minutes(
            meeting_of(amended_minutes()), APPROVE_MINUTES, today=TODAY, powers=former
        )

    assert "on 2024-03-29" in refused.value.detail
    assert ROSTER_RULE in refused.value.detail


@pytest.mark.parametrize("who", [CONVENER_POWERS, DEPUTY], ids=lambda p: p.person)
def test_the_convener_or_a_deputy_on_the_roster_approves_minutes(who: Powers) -> None:
    events = approve_minutes(
        meeting_of(amended_minutes()), APPROVE_MINUTES, today=TODAY, powers=who
    )

    assert events == [minutes_approved(revision=2)]


@pytest.mark.parametrize("who", [CLAIMS_CONVENER, OFFICE_POWERS, UNIT_STAFF])
def test_no_one_else_approves_minutes(who: Powers) -> None:
    with pytest.raises(NotPermitted) as refused:
        approve_minutes(
            meeting_of(amended_minutes()), APPROVE_MINUTES, today=TODAY, powers=who
        )

    assert "convener or deputy convener on the members roster" in refused.value.detail


@pytest.mark.parametrize("who", [OFFICE_POWERS, CONVENER_POWERS])
def test_the_office_or_the_convener_cancels_a_meeting(who: Powers) -> None:
    events = cancel_meeting(meeting_of(proposed()), CANCEL, today=TODAY, powers=who)

    assert events == [meeting_cancelled()]


@pytest.mark.parametrize("who", [CLAIMS_CONVENER, DEPUTY, UNIT_STAFF])
def test_no_one_else_cancels_a_meeting(who: Powers) -> None:
    with pytest.raises(NotPermitted) as refused:
        cancel_meeting(meeting_of(proposed()), CANCEL, today=TODAY, powers=who)

    assert "Only the office or the convener on the members roster" in (
        refused.value.detail
    )


@pytest.mark.parametrize("who", [OFFICE_POWERS, CONVENER_POWERS, DEPUTY])
def test_the_office_or_a_convener_on_the_roster_schedules(who: Powers) -> None:
    events = schedule_meeting(
        meeting_of(proposed()),
        SCHEDULE,
        today=TODAY,
        chair_roles=frozenset({"convener"}),
        powers=who,
    )

    assert events == [meeting_scheduled()]


@pytest.mark.parametrize("who", [CLAIMS_CONVENER, UNIT_STAFF])
def test_no_one_else_schedules(who: Powers) -> None:
    with pytest.raises(NotPermitted):
        schedule_meeting(
            meeting_of(proposed()),
            SCHEDULE,
            today=TODAY,
            chair_roles=frozenset({"convener"}),
            powers=who,
        )
