"""Chair delegation (rules.md §4.3: a plenary is "chaired by CONV or a delegated
deputy"): only the convener on the roster on the day delegates a plenary's chair, to
a person who is a deputy convener on the meeting's date; a deputy convener schedules
and holds a plenary in the chair only once the chair is delegated to him."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from services.meetings.domain.delegation import (
    ChairDelegationRevoked,
    DelegateChair,
    RevokeChairDelegation,
    delegate_chair,
    revoke_chair_delegation,
)
from services.meetings.domain.holding import HoldMeeting, MeetingHeld, hold_meeting
from services.meetings.domain.lifecycle import MeetingStatus
from services.meetings.domain.meeting import Meeting, MeetingEvent
from services.meetings.domain.powers import Powers
from services.meetings.domain.proposal import MeetingKind
from services.meetings.domain.scheduling import ScheduleMeeting, schedule_meeting
from shared.errors import InvalidInput, InvalidTransition, NotPermitted, RuleViolated
from tests.unit.meetings.factories import (
    CONVENER_ID,
    CONVENER_POWERS,
    DEPUTY_ID,
    HELD_ON,
    OFFICE_POWERS,
    PROPOSED_ON,
    SENT_ON,
    TODAY,
    chair_delegated,
    chair_delegation_revoked,
    held,
    meeting_cancelled,
    meeting_of,
    meeting_proposed,
    meeting_scheduled,
    powers,
    proposed,
    scheduled,
)

DEPUTY = "deputy_convener"
DELEGATE = DelegateChair(deputy_person_id=DEPUTY_ID, delegated_on=SENT_ON)
OTHER_DEPUTY = "2017-02"


def delegating(
    meeting: Meeting,
    command: DelegateChair = DELEGATE,
    *,
    who: Powers = CONVENER_POWERS,
    deputy_roles: frozenset[str] = frozenset({DEPUTY}),
) -> list[MeetingEvent]:
    return delegate_chair(
        meeting, command, today=TODAY, powers=who, deputy_roles=deputy_roles
    )


def test_the_convener_delegates_a_scheduled_plenarys_chair_to_a_deputy() -> None:
    events = delegating(meeting_of(scheduled()))

    assert events == [chair_delegated()]
    assert meeting_of(scheduled(), events).delegated_chair == DEPUTY_ID


def test_a_plenary_not_yet_scheduled_is_delegated_for_the_day_it_is_proposed_for() -> (
    None
):
    planned = meeting_proposed(proposed_for=HELD_ON + timedelta(days=7))

    events = delegating(meeting_of([planned]))

    assert events == [chair_delegated(for_date=HELD_ON + timedelta(days=7))]


def test_a_plenary_with_no_date_yet_is_not_delegated() -> None:
    with pytest.raises(RuleViolated) as refused:
        delegating(meeting_of(proposed()))

    assert refused.value.code == "meeting-date-unknown"


@pytest.mark.parametrize(
    "who",
    [
        OFFICE_POWERS,
        powers(DEPUTY_ID, roster=frozenset({DEPUTY})),
        # A token claiming convener carries no roster role: he is not the convener.
        powers("2017-05", roster=frozenset({"member"})),
    ],
    ids=["office", "deputy", "member"],
)
def test_only_the_convener_on_the_roster_delegates(who: Powers) -> None:
    with pytest.raises(NotPermitted) as refused:
        delegating(meeting_of(scheduled()), who=who)

    assert "convener on the members roster" in refused.value.detail


@pytest.mark.parametrize("roles", [frozenset(), frozenset({"member"})])
def test_the_delegate_is_a_deputy_convener_on_the_meetings_date(
    roles: frozenset[str],
) -> None:
    with pytest.raises(InvalidInput) as refused:
        delegating(meeting_of(scheduled()), deputy_roles=roles)

    assert (refused.value.field, refused.value.rule) == (
        "deputy_person_id",
        "delegate_is_deputy_convener",
    )
    assert str(HELD_ON) in refused.value.detail


@pytest.mark.parametrize("kind", [MeetingKind.SPECIAL, MeetingKind.INSPECTION])
def test_only_a_plenarys_chair_is_delegated(kind: MeetingKind) -> None:
    with pytest.raises(RuleViolated) as refused:
        delegating(meeting_of(scheduled(kind)))

    assert refused.value.code == "chair-delegation-plenary-only"


@pytest.mark.parametrize(
    "history", [held(), [*scheduled(), meeting_cancelled()]], ids=["held", "cancelled"]
)
def test_a_meeting_past_is_not_delegated(history: list[MeetingEvent]) -> None:
    with pytest.raises(InvalidTransition):
        delegating(meeting_of(history))


@pytest.mark.parametrize(
    ("day", "rule"),
    [
        (TODAY + timedelta(days=1), "not_in_future"),
        (PROPOSED_ON - timedelta(days=1), "not_before_proposal"),
    ],
)
def test_a_delegation_is_dated_between_the_proposal_and_today(
    day: date, rule: str
) -> None:
    command = DELEGATE.model_copy(update={"delegated_on": day})

    with pytest.raises(InvalidInput) as refused:
        delegating(meeting_of(scheduled()), command)

    assert (refused.value.field, refused.value.rule) == ("delegated_on", rule)


def test_a_later_delegation_replaces_the_earlier() -> None:
    again = chair_delegated(deputy_person_id=OTHER_DEPUTY)

    meeting = meeting_of(scheduled(), [chair_delegated(), again])

    assert meeting.delegated_chair == OTHER_DEPUTY


def scheduling(meeting: Meeting, chair: str, roles: frozenset[str]) -> Any:
    command = ScheduleMeeting(
        scheduled_on=HELD_ON, place="区政府三楼会议室", chair_person_id=chair
    )
    return schedule_meeting(
        meeting, command, today=TODAY, chair_roles=roles, powers=OFFICE_POWERS
    )


def test_a_deputy_is_not_put_in_a_plenarys_chair_without_delegation() -> None:
    with pytest.raises(RuleViolated) as refused:
        scheduling(meeting_of(proposed()), DEPUTY_ID, frozenset({DEPUTY}))

    assert refused.value.code == "chair-not-delegated"


def test_a_deputy_is_not_put_in_the_chair_delegated_to_another() -> None:
    meeting = meeting_of(proposed(), [chair_delegated(deputy_person_id=OTHER_DEPUTY)])

    with pytest.raises(RuleViolated) as refused:
        scheduling(meeting, DEPUTY_ID, frozenset({DEPUTY}))

    assert refused.value.code == "chair-not-delegated"
    assert OTHER_DEPUTY in refused.value.detail


def test_the_convener_chairs_a_plenary_whoever_is_delegated() -> None:
    meeting = meeting_of(proposed(), [chair_delegated()])

    events = scheduling(meeting, CONVENER_ID, frozenset({"convener"}))

    assert events == [meeting_scheduled()]


def test_a_deputy_chairs_a_special_meeting_without_delegation() -> None:
    events = scheduling(
        meeting_of(scheduled(MeetingKind.SPECIAL)), DEPUTY_ID, frozenset({DEPUTY})
    )

    assert events == [meeting_scheduled(chair_person_id=DEPUTY_ID, chair_role=DEPUTY)]


def test_a_plenary_under_its_delegated_deputy_is_held() -> None:
    deputy_chair = meeting_scheduled(chair_person_id=DEPUTY_ID, chair_role=DEPUTY)
    meeting = meeting_of(proposed(), [chair_delegated(), deputy_chair])

    events = hold_meeting(meeting, HoldMeeting(held_on=HELD_ON), today=TODAY)

    assert events == [MeetingHeld(held_on=HELD_ON)]


def test_a_plenary_under_a_deputy_never_delegated_is_not_held() -> None:
    # Scheduled before delegations were recorded: holding it asks for one.
    deputy_chair = meeting_scheduled(chair_person_id=DEPUTY_ID, chair_role=DEPUTY)
    meeting = meeting_of(proposed(), [deputy_chair])

    with pytest.raises(RuleViolated) as refused:
        hold_meeting(meeting, HoldMeeting(held_on=HELD_ON), today=TODAY)

    assert refused.value.code == "chair-not-delegated"
    assert meeting.status is MeetingStatus.SCHEDULED


REVOKE = RevokeChairDelegation(revoked_on=SENT_ON, reason="副总召集人出差")


def test_the_convener_revokes_the_delegation_and_the_deputy_chairs_no_more() -> None:
    deputy_chair = meeting_scheduled(chair_person_id=DEPUTY_ID, chair_role=DEPUTY)
    history = [*proposed(), chair_delegated(), deputy_chair]

    events = revoke_chair_delegation(
        meeting_of(history), REVOKE, today=TODAY, powers=CONVENER_POWERS
    )

    assert events == [chair_delegation_revoked()]
    assert events == [
        ChairDelegationRevoked(
            deputy_person_id=DEPUTY_ID, revoked_on=SENT_ON, reason=REVOKE.reason
        )
    ]
    revoked = meeting_of(history, events)
    assert revoked.delegated_chair is None
    with pytest.raises(RuleViolated) as refused:
        hold_meeting(revoked, HoldMeeting(held_on=HELD_ON), today=TODAY)
    assert refused.value.code == "chair-not-delegated"


def test_a_chair_never_delegated_is_not_revoked() -> None:
    with pytest.raises(RuleViolated) as refused:
        revoke_chair_delegation(
            meeting_of(scheduled()), REVOKE, today=TODAY, powers=CONVENER_POWERS
        )

    assert refused.value.code == "no-chair-delegation"


@pytest.mark.parametrize(
    "who",
    [OFFICE_POWERS, powers(DEPUTY_ID, roster=frozenset({DEPUTY}))],
    ids=["office", "deputy"],
)
def test_only_the_convener_revokes_a_delegation(who: Powers) -> None:
    with pytest.raises(NotPermitted):
        revoke_chair_delegation(
            meeting_of(scheduled(), [chair_delegated()]),
            REVOKE,
            today=TODAY,
            powers=who,
        )


def test_a_held_plenarys_delegation_stays_on_record() -> None:
    history = [*proposed(), chair_delegated(), *held()[1:]]

    with pytest.raises(InvalidTransition):
        revoke_chair_delegation(
            meeting_of(history), REVOKE, today=TODAY, powers=CONVENER_POWERS
        )


@pytest.mark.parametrize(
    ("day", "rule"),
    [
        (TODAY + timedelta(days=1), "not_in_future"),
        (PROPOSED_ON - timedelta(days=1), "not_before_proposal"),
        (PROPOSED_ON, None),
        (TODAY, None),
    ],
)
def test_a_revocation_is_dated_between_the_proposal_and_today(
    day: date, rule: str | None
) -> None:
    command = REVOKE.model_copy(update={"revoked_on": day})
    meeting = meeting_of(scheduled(), [chair_delegated()])

    def when() -> list[MeetingEvent]:
        return revoke_chair_delegation(
            meeting, command, today=TODAY, powers=CONVENER_POWERS
        )

    if rule is None:
        assert when() == [chair_delegation_revoked(revoked_on=day)]
    else:
        with pytest.raises(InvalidInput) as refused:
            when()
        assert (refused.value.field, refused.value.rule) == ("revoked_on", rule)
