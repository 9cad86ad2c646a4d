"""`allowed_next` offers exactly the steps the decide functions take: from every
meeting, action item and topic reached by a walk of valid steps, a step offered is
accepted for a valid command, and a step not offered is refused for the state — as an
invalid transition or under a named rule (409 either way) (issue 14)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Generic, TypeVar, cast

from hypothesis import given, settings
from hypothesis import strategies as st

from services.meetings.command_table import COMMANDS
from services.meetings.domain.action_item import ACTION, ActionItem
from services.meetings.domain.approval import ApproveMeeting, DeclineMeeting
from services.meetings.domain.cancellation import CancelMeeting
from services.meetings.domain.carrying_out import (
    AcceptActionItem,
    AssignActionItem,
    ReportProgress,
    SendBackActionItem,
)
from services.meetings.domain.deciding import AdoptWorkPlan, RecordDecision, TaskSpec
from services.meetings.domain.delegation import DelegateChair, RevokeChairDelegation
from services.meetings.domain.holding import HoldMeeting, RecordAttendance
from services.meetings.domain.inspection import RaiseFinding
from services.meetings.domain.meeting import MEETING, Meeting
from services.meetings.domain.minutes import (
    AmendMinutes,
    ApproveMinutes,
    CirculateMinutes,
    DraftMinutes,
)
from services.meetings.domain.notices import SendNotice, SubmitMaterial
from services.meetings.domain.proposal import (
    AgendaItemSpec,
    MeetingKind,
    ProposeMeeting,
)
from services.meetings.domain.scheduling import ScheduleMeeting
from services.meetings.domain.topic import TOPIC, Topic
from services.meetings.domain.topics import (
    AcceptTopic,
    DeclineTopic,
    ProposeTopic,
    TopicKind,
    WithdrawTopic,
)
from shared.command_table import Numbered
from shared.domain import Aggregate, Command
from shared.errors import DomainError, InvalidTransition, RuleViolated
from tests.unit.meetings import factories as f
from tests.unit.meetings import topic_factories as tf

S = TypeVar("S")

# Every step is dated today, after every date of the start histories, by an actor
# who holds every power, naming active units: only the state can refuse it.
TODAY = f.TODAY
LATER = TODAY + timedelta(days=14)
WHY = "原因"
OPEN_MEETING = f.meeting_of(f.scheduled())
FACTS: dict[str, object] = {
    "today": TODAY,
    "units": f.UNITS,
    "meeting_id": f.MEETING_ID,
    "topic_id": "2024-001",
    "unit": "jsj",
    "powers": f.powers(
        roster=frozenset({"convener", "deputy_convener"}),
        token=frozenset({"office"}),
    ),
    "chair_roles": frozenset({"convener"}),
    "deputy_roles": frozenset({"deputy_convener"}),
    "work_plan_years": frozenset[int](),
    "agenda_meeting": OPEN_MEETING,
    "target_meeting": OPEN_MEETING,
}
AGENDA = (AgendaItemSpec(title="欠薪案件办理情况"),)


def _proposal(kind: MeetingKind, **more: Any) -> ProposeMeeting:
    return ProposeMeeting(
        kind=kind, title=WHY, agenda=AGENDA, proposed_on=TODAY, **more
    )


MEETING_EXAMPLES: tuple[Command, ...] = (
    _proposal(MeetingKind.PLENARY),
    _proposal(MeetingKind.PLENARY, proposed_for=LATER),
    _proposal(MeetingKind.SPECIAL, invited_units=f.SPECIAL_UNITS),
    _proposal(
        MeetingKind.INSPECTION,
        invited_units=f.INSPECTION_UNITS,
        plan=f.PLAN.model_copy(update={"starts_on": LATER, "ends_on": LATER}),
    ),
    ApproveMeeting(approved_on=TODAY),
    DeclineMeeting(declined_on=TODAY, reason=WHY),
    ScheduleMeeting(scheduled_on=LATER, place=WHY, chair_person_id=f.CONVENER_ID),
    CancelMeeting(cancelled_on=TODAY, reason=WHY),
    DelegateChair(deputy_person_id=f.DEPUTY_ID, delegated_on=TODAY),
    RevokeChairDelegation(revoked_on=TODAY, reason=WHY),
    SendNotice(sent_on=TODAY, text=WHY, requests=()),
    SubmitMaterial(
        notice_id="n1", material_id="report", document_ref=WHY, submitted_on=TODAY
    ),
    HoldMeeting(held_on=TODAY),
    RecordAttendance(entries=(f.attendance_entry(),)),
    DraftMinutes(items=f.MINUTES, drafted_on=TODAY),
    CirculateMinutes(circulated_on=TODAY),
    AmendMinutes(items=f.MINUTES, reason=WHY, amended_on=TODAY),
    ApproveMinutes(approved_on=TODAY),
    RecordDecision(text=WHY, decided_on=TODAY),
    AdoptWorkPlan(
        year=2024,
        title=WHY,
        adopted_on=TODAY,
        tasks=(TaskSpec(unit_code="jsj", task=WHY, due=LATER),),
    ),
    RaiseFinding(found_on=TODAY, description=WHY),
)
"""A valid command of every meeting step (and a plenary proposed with and without a
date, so that the chair's delegation meets both)."""

# A plenary scheduled under a deputy convener whose delegation was then revoked, and
# one still under his delegation.
_UNDER_DEPUTY = f.meeting_scheduled(
    chair_person_id=f.DEPUTY_ID, chair_role="deputy_convener"
)
MEETING_STARTS: tuple[Sequence[Any], ...] = (
    (),
    *(f.proposed(kind) for kind in MeetingKind),
    f.approved(),
    *(f.scheduled(kind) for kind in MeetingKind),
    *(f.held(kind) for kind in MeetingKind),
    [*f.proposed(), f.chair_delegated(), _UNDER_DEPUTY],
    [*f.proposed(), f.chair_delegated(), _UNDER_DEPUTY, f.chair_delegation_revoked()],
    [*f.held(), f.minutes_drafted()],
    [*f.held(), f.minutes_drafted(), f.minutes_circulated()],
    [*f.held(), f.minutes_drafted(), f.minutes_circulated(), f.minutes_approved()],
    [*f.held(), f.work_plan_adopted()],
    [f.special_proposed(), f.meeting_declined()],
    [*f.scheduled(), f.meeting_cancelled()],
)

ACTION_EXAMPLES: tuple[Command, ...] = (
    AssignActionItem(**f.action_item_assigned().model_dump()),
    ReportProgress(reported_on=TODAY, text=WHY),
    ReportProgress(reported_on=TODAY, text=WHY, is_complete=True),
    AcceptActionItem(accepted_on=TODAY),
    SendBackActionItem(sent_back_on=TODAY, reason=WHY),
)
ACTION_STARTS: tuple[Sequence[Any], ...] = (
    (),
    f.assigned(),
    f.in_progress(),
    f.awaiting_acceptance(),
    f.completed(),
    [*f.assigned(), f.action_item_overdue()],
)

TOPIC_EXAMPLES: tuple[Command, ...] = (
    ProposeTopic(
        title=WHY, description=WHY, kind=TopicKind.MEETING_TOPIC, proposed_on=TODAY
    ),
    ProposeTopic(
        title=WHY,
        description=WHY,
        kind=TopicKind.MEASURE,
        target_meeting_id=f.MEETING_ID,
        proposed_on=TODAY,
    ),
    AcceptTopic(meeting_id=f.MEETING_ID, accepted_on=TODAY),
    DeclineTopic(declined_on=TODAY, reason=WHY),
    WithdrawTopic(withdrawn_on=TODAY),
)
TOPIC_STARTS: tuple[Sequence[Any], ...] = (
    (),
    tf.topic_proposed_history(),
    [tf.topic_proposed(), tf.topic_accepted()],
    [tf.topic_proposed(), tf.topic_declined()],
    [tf.topic_proposed(), tf.topic_withdrawn()],
)


@dataclass(frozen=True)
class Walks(Generic[S]):
    """An aggregate, the histories its walks start from and its steps' examples."""

    aggregate: Aggregate[S, Any]
    starts: tuple[Sequence[Any], ...]
    examples: tuple[Command, ...]
    offered: Callable[[S], tuple[type[Command], ...]]


MEETINGS = Walks(MEETING, MEETING_STARTS, MEETING_EXAMPLES, Meeting.allowed_steps)
ACTIONS = Walks(ACTION, ACTION_STARTS, ACTION_EXAMPLES, ActionItem.allowed_steps)
TOPICS = Walks(TOPIC, TOPIC_STARTS, TOPIC_EXAMPLES, Topic.allowed_steps)


def _decide(state: object, command: Command) -> list[Any]:
    row = COMMANDS.row(type(command))
    names = [fact.name for fact in row.facts]
    if isinstance(row.ids, Numbered) and row.ids.id_fact is not None:
        names.append(row.ids.id_fact)  # a new meeting gets its number as a fact
    facts = {name: FACTS[name] for name in names}
    return list(cast("Any", row.decide)(state, command, **facts))


def _accepts(state: object, command: Command) -> bool:
    """Whether the step is taken; False only for a refusal of the state."""
    try:
        _decide(state, command)
    except (InvalidTransition, RuleViolated):
        return False
    except DomainError:
        # Refused for the command's own values or the actor (a material not asked
        # for, another unit's task): the state allows the step.
        return True
    return True


def _walk(walks: Walks[S], start: int, choices: list[int]) -> list[S]:
    """The states met on a walk of valid steps, from a start history."""
    state = walks.aggregate.replay(walks.starts[start % len(walks.starts)])
    met = [state]
    for choice in choices:
        command = walks.examples[choice % len(walks.examples)]
        try:
            events = _decide(state, command)
        except DomainError:
            continue
        for event in events:
            state = walks.aggregate.evolve(state, event)
        met.append(state)
    return met


def _assert_offers_what_it_takes(walks: Walks[S], state: S) -> None:
    offered = set(COMMANDS.verbs(walks.offered(state)))
    taken = {
        COMMANDS.row(type(c)).verb
        for c in walks.examples
        if COMMANDS.row(type(c)).verb is not None and _accepts(state, c)
    }
    assert offered == taken, state


_CHOICES = st.lists(st.integers(0, 100), max_size=16)


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 100), _CHOICES)
def test_a_meeting_offers_what_the_decide_functions_take(
    start: int, choices: list[int]
) -> None:
    for meeting in _walk(MEETINGS, start, choices):
        _assert_offers_what_it_takes(MEETINGS, meeting)


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 100), _CHOICES)
def test_an_action_item_offers_what_the_decide_functions_take(
    start: int, choices: list[int]
) -> None:
    for item in _walk(ACTIONS, start, choices):
        _assert_offers_what_it_takes(ACTIONS, item)


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 100), _CHOICES)
def test_a_topic_offers_what_the_decide_functions_take(
    start: int, choices: list[int]
) -> None:
    for topic in _walk(TOPICS, start, choices):
        _assert_offers_what_it_takes(TOPICS, topic)


def _offered(*history: Any) -> list[str]:
    return COMMANDS.verbs(MEETING.replay(history).allowed_steps())


def test_only_a_plenary_offers_the_chairs_delegation() -> None:
    for kind in (MeetingKind.SPECIAL, MeetingKind.INSPECTION):
        offered = _offered(*f.scheduled(kind))
        assert {"delegate-chair", "revoke-chair-delegation"}.isdisjoint(offered)
    assert "delegate-chair" in _offered(*f.scheduled())


def test_revoking_is_offered_only_while_the_chair_is_delegated() -> None:
    assert "revoke-chair-delegation" not in _offered(*f.scheduled())
    assert "revoke-chair-delegation" in _offered(*f.scheduled(), f.chair_delegated())


def test_only_a_held_plenary_without_a_work_plan_offers_adopting_one() -> None:
    assert "adopt-work-plan" in _offered(*f.held())
    assert "adopt-work-plan" not in _offered(*f.held(MeetingKind.SPECIAL))
    assert "adopt-work-plan" not in _offered(*f.held(), f.work_plan_adopted())


def test_held_meeting_offers_the_minutes_steps_of_its_minutes() -> None:
    offered = _offered(*f.held())
    assert "draft-minutes" in offered
    assert {"circulate-minutes", "amend-minutes", "approve-minutes"}.isdisjoint(offered)
