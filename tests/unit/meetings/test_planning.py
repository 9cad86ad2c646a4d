"""Before a meeting: the office proposes it (a plenary invites every active unit, an
inspection has a plan), the convener approves or declines a special meeting, and it is
scheduled with the convener or a deputy convener in the chair, or cancelled."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from services.meetings.domain.agenda import PlaceTopicOnAgenda
from services.meetings.domain.approval import (
    ApproveMeeting,
    DeclineMeeting,
    approve_meeting,
    decline_meeting,
)
from services.meetings.domain.cancellation import CancelMeeting, cancel_meeting
from services.meetings.domain.delegation import DelegateChair, RevokeChairDelegation
from services.meetings.domain.lifecycle import MeetingStatus
from services.meetings.domain.meeting import Meeting, MeetingEvent
from services.meetings.domain.proposal import (
    AgendaItemSpec,
    MeetingKind,
    ProposeMeeting,
    propose_meeting,
)
from services.meetings.domain.scheduling import ScheduleMeeting, schedule_meeting
from shared.errors import InvalidInput, InvalidTransition, RuleViolated
from tests.unit.meetings.factories import (
    APPROVED_ON,
    CONVENER_ID,
    CONVENER_POWERS,
    DEPUTY_ID,
    HELD_ON,
    INSPECTION_UNITS,
    MEETING_ID,
    OFFICE_POWERS,
    PLAN,
    PROPOSED_ON,
    SENT_ON,
    SPECIAL_UNITS,
    TODAY,
    UNITS,
    approved,
    chair_delegated,
    held,
    inspection_proposed,
    meeting_approved,
    meeting_cancelled,
    meeting_declined,
    meeting_of,
    meeting_proposed,
    meeting_scheduled,
    proposed,
    scheduled,
    special_proposed,
)

SPECIAL = MeetingKind.SPECIAL
INSPECTION = MeetingKind.INSPECTION
AGENDA_SPECS = (
    AgendaItemSpec(title="上半年欠薪案件办理情况"),
    AgendaItemSpec(title="移送公安案件的行刑衔接", case_ids=("2024-000123",)),
)
SCHEDULE = ScheduleMeeting(
    scheduled_on=HELD_ON, place="区政府三楼会议室", chair_person_id=CONVENER_ID
)


def propose(**fields: Any) -> ProposeMeeting:
    defaults: dict[str, Any] = {
        "kind": MeetingKind.PLENARY,
        "title": "2024年上半年全体会议",
        "agenda": AGENDA_SPECS,
        "proposed_on": PROPOSED_ON,
    }
    return ProposeMeeting(**(defaults | fields))


def proposing(command: ProposeMeeting, **facts: Any) -> list[MeetingEvent]:
    given: dict[str, Any] = {"today": TODAY, "units": UNITS, "meeting_id": MEETING_ID}
    return propose_meeting(Meeting(), command, **(given | facts))


def scheduling(
    meeting: Meeting,
    command: ScheduleMeeting = SCHEDULE,
    roles: frozenset[str] = frozenset({"convener"}),
) -> list[MeetingEvent]:
    return schedule_meeting(
        meeting, command, today=TODAY, chair_roles=roles, powers=OFFICE_POWERS
    )


def test_a_plenary_invites_every_active_unit_and_numbers_its_agenda() -> None:
    events = proposing(propose())

    assert events == [meeting_proposed()]
    meeting = meeting_of(events)
    assert meeting.status is MeetingStatus.PROPOSED
    assert [a.item_id for a in meeting.agenda] == ["1", "2"]
    assert meeting.invited_units == tuple(sorted(UNITS))


def test_a_plenary_names_no_units_of_its_own() -> None:
    with pytest.raises(InvalidInput) as refused:
        proposing(propose(invited_units=("rsj",)))

    assert (refused.value.field, refused.value.rule) == (
        "invited_units",
        "plenary_invites_every_unit",
    )


def test_a_plenary_needs_an_active_unit_to_invite() -> None:
    with pytest.raises(RuleViolated) as refused:
        proposing(propose(), units=frozenset())

    assert refused.value.code == "no-active-units"


def test_a_special_meeting_invites_the_units_it_names_in_their_order() -> None:
    command = propose(
        kind=SPECIAL, title="春节前欠薪专题会议", invited_units=SPECIAL_UNITS
    )

    assert proposing(command) == [special_proposed()]


def test_a_special_meeting_names_the_units_it_invites() -> None:
    with pytest.raises(InvalidInput) as refused:
        proposing(propose(kind=SPECIAL))

    assert (refused.value.field, refused.value.rule) == (
        "invited_units",
        "units_required",
    )


def test_only_active_units_are_invited() -> None:
    with pytest.raises(InvalidInput) as refused:
        proposing(propose(kind=SPECIAL, invited_units=("rsj", "wlj")))

    assert (refused.value.field, refused.value.rule) == (
        "invited_units.1",
        "unit_active",
    )


def test_a_unit_is_invited_once() -> None:
    with pytest.raises(InvalidInput) as refused:
        proposing(propose(kind=SPECIAL, invited_units=("rsj", "jsj", "rsj")))

    assert (refused.value.field, refused.value.rule) == (
        "invited_units.2",
        "no_duplicates",
    )


def test_a_joint_inspection_is_proposed_with_its_plan() -> None:
    command = propose(
        kind=INSPECTION,
        title="在建工程联合督查",
        invited_units=INSPECTION_UNITS,
        plan=PLAN,
    )

    assert proposing(command) == [inspection_proposed()]


def test_a_joint_inspection_without_a_plan_is_refused() -> None:
    with pytest.raises(InvalidInput) as refused:
        proposing(propose(kind=INSPECTION, invited_units=INSPECTION_UNITS))

    assert (refused.value.field, refused.value.rule) == (
        "plan",
        "inspection_plan_required",
    )


@pytest.mark.parametrize(
    ("kind", "units"),
    [(MeetingKind.PLENARY, ()), (SPECIAL, SPECIAL_UNITS)],
)
def test_only_an_inspection_has_a_plan(
    kind: MeetingKind, units: tuple[str, ...]
) -> None:
    with pytest.raises(InvalidInput) as refused:
        proposing(propose(kind=kind, invited_units=units, plan=PLAN))

    assert (refused.value.field, refused.value.rule) == (
        "plan",
        "plan_only_for_inspections",
    )


def test_a_proposal_is_not_dated_in_the_future() -> None:
    with pytest.raises(InvalidInput) as refused:
        proposing(propose(proposed_on=date(2024, 4, 2)))

    assert (refused.value.field, refused.value.rule) == ("proposed_on", "not_in_future")


def test_the_date_proposed_for_is_not_before_the_proposal() -> None:
    with pytest.raises(InvalidInput) as refused:
        proposing(propose(proposed_for=date(2024, 2, 29)))

    assert (refused.value.field, refused.value.rule) == (
        "proposed_for",
        "not_before_proposal",
    )


def test_the_meeting_may_be_proposed_for_a_day_after_today() -> None:
    events = proposing(propose(proposed_for=date(2024, 6, 20)))

    assert events == [meeting_proposed(proposed_for=date(2024, 6, 20))]


def test_a_meeting_is_proposed_once() -> None:
    with pytest.raises(InvalidTransition) as refused:
        propose_meeting(
            meeting_of(proposed()),
            propose(),
            today=TODAY,
            units=UNITS,
            meeting_id=MEETING_ID,
        )

    assert refused.value.current == MeetingStatus.PROPOSED


def test_the_convener_approves_a_special_meeting() -> None:
    events = approve_meeting(
        meeting_of(proposed(SPECIAL)),
        ApproveMeeting(approved_on=APPROVED_ON, note="同意"),
        today=TODAY,
        powers=CONVENER_POWERS,
    )

    assert events == [meeting_approved()]
    meeting = meeting_of(proposed(SPECIAL), events)
    assert (meeting.status, meeting.approved_on) == (
        MeetingStatus.APPROVED,
        APPROVED_ON,
    )


def test_the_convener_declines_a_special_meeting_with_the_reason() -> None:
    events = decline_meeting(
        meeting_of(proposed(SPECIAL)),
        DeclineMeeting(declined_on=APPROVED_ON, reason="并入全体会议"),
        today=TODAY,
        powers=CONVENER_POWERS,
    )

    assert events == [meeting_declined()]
    meeting = meeting_of(proposed(SPECIAL), events)
    assert (meeting.status, meeting.declined_reason) == (
        MeetingStatus.DECLINED,
        "并入全体会议",
    )


@pytest.mark.parametrize("kind", [MeetingKind.PLENARY, INSPECTION])
def test_only_a_special_meeting_waits_for_the_conveners_approval(
    kind: MeetingKind,
) -> None:
    meeting = meeting_of(proposed(kind))

    with pytest.raises(RuleViolated) as approving:
        approve_meeting(
            meeting,
            ApproveMeeting(approved_on=APPROVED_ON),
            today=TODAY,
            powers=CONVENER_POWERS,
        )
    with pytest.raises(RuleViolated) as declining:
        decline_meeting(
            meeting,
            DeclineMeeting(declined_on=APPROVED_ON, reason="否"),
            today=TODAY,
            powers=CONVENER_POWERS,
        )

    assert approving.value.code == "approval-only-for-special-meetings"
    assert declining.value.code == "approval-only-for-special-meetings"


@pytest.mark.parametrize(
    ("day", "rule"),
    [(date(2024, 2, 29), "not_before_proposal"), (date(2024, 4, 2), "not_in_future")],
)
def test_approval_and_refusal_are_dated_from_the_proposal_to_today(
    day: date, rule: str
) -> None:
    meeting = meeting_of(proposed(SPECIAL))

    with pytest.raises(InvalidInput) as approving:
        approve_meeting(
            meeting,
            ApproveMeeting(approved_on=day),
            today=TODAY,
            powers=CONVENER_POWERS,
        )
    with pytest.raises(InvalidInput) as declining:
        decline_meeting(
            meeting,
            DeclineMeeting(declined_on=day, reason="否"),
            today=TODAY,
            powers=CONVENER_POWERS,
        )

    assert (approving.value.field, approving.value.rule) == ("approved_on", rule)
    assert (declining.value.field, declining.value.rule) == ("declined_on", rule)


def test_an_approved_meeting_is_not_approved_again() -> None:
    with pytest.raises(InvalidTransition) as refused:
        approve_meeting(
            meeting_of(approved()),
            ApproveMeeting(approved_on=APPROVED_ON),
            today=TODAY,
            powers=CONVENER_POWERS,
        )

    assert refused.value.current == MeetingStatus.APPROVED
    assert refused.value.allowed == (
        ScheduleMeeting,
        DelegateChair,
        RevokeChairDelegation,
        PlaceTopicOnAgenda,
        CancelMeeting,
    )


def test_a_plenary_is_scheduled_with_the_convener_in_the_chair() -> None:
    events = scheduling(meeting_of(proposed()))

    assert events == [meeting_scheduled()]
    meeting = meeting_of(proposed(), events)
    assert (meeting.status, meeting.chair_person_id, meeting.chair_role) == (
        MeetingStatus.SCHEDULED,
        CONVENER_ID,
        "convener",
    )


def test_a_deputy_convener_may_chair_when_delegated() -> None:
    command = SCHEDULE.model_copy(update={"chair_person_id": DEPUTY_ID})
    delegated = meeting_of(proposed(), [chair_delegated()])

    events = scheduling(delegated, command, frozenset({"deputy_convener"}))

    assert events == [
        meeting_scheduled(chair_person_id=DEPUTY_ID, chair_role="deputy_convener")
    ]


def test_a_chair_who_holds_both_roles_chairs_as_convener() -> None:
    events = scheduling(
        meeting_of(proposed()), roles=frozenset({"deputy_convener", "convener"})
    )

    assert events == [meeting_scheduled()]


@pytest.mark.parametrize("roles", [frozenset(), frozenset({"member", "liaison"})])
def test_the_chair_is_the_convener_or_a_deputy_on_the_day(
    roles: frozenset[str],
) -> None:
    with pytest.raises(InvalidInput) as refused:
        scheduling(meeting_of(proposed()), roles=roles)

    assert (refused.value.field, refused.value.rule) == (
        "chair_person_id",
        "chair_is_convener_or_deputy",
    )
    assert str(HELD_ON) in refused.value.detail


@pytest.mark.parametrize("history", [proposed(), approved()])
def test_a_plenary_or_special_meeting_is_scheduled_with_its_chair(
    history: list[MeetingEvent],
) -> None:
    command = SCHEDULE.model_copy(update={"chair_person_id": None})

    with pytest.raises(InvalidInput) as refused:
        scheduling(meeting_of(history), command, frozenset())

    assert (refused.value.field, refused.value.rule) == (
        "chair_person_id",
        "chair_required",
    )


def test_a_special_meeting_is_scheduled_only_once_approved() -> None:
    with pytest.raises(RuleViolated) as refused:
        scheduling(meeting_of(proposed(SPECIAL)))

    assert refused.value.code == "convener-approval-required"
    assert scheduling(meeting_of(approved())) == [meeting_scheduled()]


@pytest.mark.parametrize(
    ("chair", "roles", "role"),
    [
        (None, frozenset(), None),
        (DEPUTY_ID, frozenset({"member"}), None),
        (DEPUTY_ID, frozenset({"deputy_convener"}), "deputy_convener"),
    ],
)
def test_an_inspection_may_be_scheduled_with_any_chair_or_none(
    chair: str | None, roles: frozenset[str], role: str | None
) -> None:
    command = SCHEDULE.model_copy(update={"chair_person_id": chair})

    events = scheduling(meeting_of(proposed(INSPECTION)), command, roles)

    assert events == [meeting_scheduled(chair_person_id=chair, chair_role=role)]


def test_scheduling_again_moves_the_meeting() -> None:
    later = SCHEDULE.model_copy(
        update={"scheduled_on": date(2024, 4, 24), "place": "区人社局会议室"}
    )

    events = scheduling(meeting_of(scheduled()), later)

    assert events == [
        meeting_scheduled(scheduled_on=date(2024, 4, 24), place="区人社局会议室")
    ]
    meeting = meeting_of(scheduled(), events)
    assert (meeting.scheduled_on, meeting.place) == (
        date(2024, 4, 24),
        "区人社局会议室",
    )


def test_a_meeting_is_not_scheduled_for_before_its_proposal() -> None:
    early = SCHEDULE.model_copy(update={"scheduled_on": date(2024, 2, 28)})

    with pytest.raises(InvalidInput) as refused:
        scheduling(meeting_of(proposed()), early)

    assert (refused.value.field, refused.value.rule) == (
        "scheduled_on",
        "not_before_proposal",
    )


def test_a_held_meeting_is_not_scheduled_again() -> None:
    with pytest.raises(InvalidTransition) as refused:
        scheduling(meeting_of(held()))

    assert refused.value.current == MeetingStatus.HELD


@pytest.mark.parametrize("history", [proposed(), approved(), scheduled()])
def test_a_meeting_not_yet_held_can_be_cancelled(
    history: list[MeetingEvent],
) -> None:
    command = CancelMeeting(cancelled_on=SENT_ON, reason="防汛工作冲突")

    events = cancel_meeting(
        meeting_of(history), command, today=TODAY, powers=CONVENER_POWERS
    )

    assert events == [meeting_cancelled()]
    meeting = meeting_of(history, events)
    assert (meeting.status, meeting.cancelled_reason) == (
        MeetingStatus.CANCELLED,
        "防汛工作冲突",
    )


@pytest.mark.parametrize(
    ("day", "rule"),
    [(date(2024, 2, 29), "not_before_proposal"), (date(2024, 4, 2), "not_in_future")],
)
def test_a_cancellation_is_dated_from_the_proposal_to_today(
    day: date, rule: str
) -> None:
    command = CancelMeeting(cancelled_on=day, reason="冲突")

    with pytest.raises(InvalidInput) as refused:
        cancel_meeting(
            meeting_of(scheduled()), command, today=TODAY, powers=CONVENER_POWERS
        )

    assert (refused.value.field, refused.value.rule) == ("cancelled_on", rule)


def test_a_held_meeting_is_not_cancelled() -> None:
    command = CancelMeeting(cancelled_on=TODAY, reason="冲突")

    with pytest.raises(InvalidTransition) as refused:
        cancel_meeting(meeting_of(held()), command, today=TODAY, powers=CONVENER_POWERS)

    assert refused.value.current == MeetingStatus.HELD
    assert "cancelled" in refused.value.detail
