"""What a held meeting decides: a decision under an agenda item gives each active unit
responsible one task, due no earlier than the decision, each tracked by an action item
whose id names the meeting, the decision and the unit; a plenary adopts one work plan a
year, its tasks numbered."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from pydantic import ValidationError

from services.meetings.domain.deciding import (
    AdoptWorkPlan,
    RecordDecision,
    TaskSpec,
    action_id_for,
    adopt_work_plan,
    record_decision,
    work_plan_source,
)
from services.meetings.domain.lifecycle import MeetingStatus
from services.meetings.domain.meeting import MeetingEvent
from services.meetings.domain.proposal import MeetingKind
from shared.errors import InvalidInput, InvalidTransition, RuleViolated
from tests.unit.meetings.factories import (
    HELD_ON,
    MEETING_ID,
    TASK,
    TODAY,
    UNITS,
    decision_recorded,
    held,
    meeting_of,
    scheduled,
    work_plan_adopted,
)

SPEC = TaskSpec(**TASK.model_dump(exclude={"action_id"}))
DECIDE = RecordDecision(
    agenda_item_id="1",
    text="建设局牵头落实工资专用账户",
    decided_on=HELD_ON,
    tasks=(SPEC,),
)
ADOPT = AdoptWorkPlan(
    year=2024, title="2024年根治欠薪工作计划", adopted_on=HELD_ON, tasks=(SPEC,)
)


def deciding(
    history: list[MeetingEvent], command: RecordDecision = DECIDE, **facts: Any
) -> list[MeetingEvent]:
    given: dict[str, Any] = {"today": TODAY, "units": UNITS, "meeting_id": MEETING_ID}
    return record_decision(meeting_of(history), command, **(given | facts))


def adopting(
    history: list[MeetingEvent], command: AdoptWorkPlan = ADOPT, **facts: Any
) -> list[MeetingEvent]:
    given: dict[str, Any] = {
        "today": TODAY,
        "units": UNITS,
        "meeting_id": MEETING_ID,
        "work_plan_years": frozenset({2023}),
    }
    return adopt_work_plan(meeting_of(history), command, **(given | facts))


def spec(**fields: Any) -> TaskSpec:
    return SPEC.model_copy(update=fields)


def test_a_decision_gives_each_unit_a_task_tracked_by_an_action_item() -> None:
    events = deciding(held())

    assert events == [decision_recorded()]
    meeting = meeting_of(held(), events)
    assert [t.action_id for t in meeting.decisions[0].tasks] == ["2024-001-d1-jsj"]


def test_action_ids_name_the_meeting_the_numbered_decision_and_the_unit() -> None:
    second = DECIDE.model_copy(
        update={"tasks": (spec(unit_code="gafj"), spec(unit_code="rsj"))}
    )

    history = [*held(), decision_recorded()]

    events = deciding(history, second)

    decision = meeting_of(history, events).decisions[-1]
    assert (decision.decision_id, [t.action_id for t in decision.tasks]) == (
        "d2",
        ["2024-001-d2-gafj", "2024-001-d2-rsj"],
    )


def test_a_decision_may_stand_outside_the_agenda_and_without_tasks() -> None:
    bare = RecordDecision(text="下次会议在六月召开", decided_on=HELD_ON)

    assert deciding(held(), bare) == [
        decision_recorded(agenda_item_id=None, text="下次会议在六月召开", tasks=())
    ]


def test_a_decision_is_under_an_item_of_the_agenda() -> None:
    command = DECIDE.model_copy(update={"agenda_item_id": "9"})

    with pytest.raises(InvalidInput) as refused:
        deciding(held(), command)

    assert (refused.value.field, refused.value.rule) == (
        "agenda_item_id",
        "agenda_item",
    )


def test_a_task_goes_to_an_active_unit() -> None:
    command = DECIDE.model_copy(update={"tasks": (SPEC, spec(unit_code="wlj"))})

    with pytest.raises(InvalidInput) as refused:
        deciding(held(), command)

    assert (refused.value.field, refused.value.rule) == (
        "tasks.1.unit_code",
        "unit_active",
    )


def test_a_task_is_not_due_before_the_decision() -> None:
    command = DECIDE.model_copy(update={"tasks": (spec(due=date(2024, 3, 19)),)})

    with pytest.raises(InvalidInput) as refused:
        deciding(held(), command)

    assert (refused.value.field, refused.value.rule) == (
        "tasks.0.due",
        "due_after_decision",
    )


def test_a_task_may_be_due_the_day_of_the_decision() -> None:
    command = DECIDE.model_copy(update={"tasks": (spec(due=HELD_ON),)})

    events = deciding(held(), command)

    assert events == [
        decision_recorded(tasks=(TASK.model_copy(update={"due": HELD_ON}),))
    ]


@pytest.mark.parametrize(
    ("day", "rule"),
    [(date(2024, 3, 19), "not_before_meeting"), (date(2024, 4, 2), "not_in_future")],
)
def test_a_decision_is_dated_from_the_meeting_to_today(day: date, rule: str) -> None:
    command = DECIDE.model_copy(update={"decided_on": day})

    with pytest.raises(InvalidInput) as refused:
        deciding(held(), command)

    assert (refused.value.field, refused.value.rule) == ("decided_on", rule)


def test_only_a_held_meeting_decides() -> None:
    with pytest.raises(InvalidTransition) as refused:
        deciding(scheduled())

    assert refused.value.current == MeetingStatus.SCHEDULED


def test_a_plenary_adopts_the_years_work_plan_with_numbered_tasks() -> None:
    command = ADOPT.model_copy(update={"tasks": (SPEC, SPEC, spec(unit_code="rsj"))})

    events = adopting(held(), command)

    plan = meeting_of(held(), events).work_plan
    assert plan is not None
    assert [(t.action_id, t.unit_code) for t in plan.tasks] == [
        ("2024-001-wp2024-1", "jsj"),
        ("2024-001-wp2024-2", "jsj"),
        ("2024-001-wp2024-3", "rsj"),
    ]
    assert adopting(held()) == [work_plan_adopted()]


@pytest.mark.parametrize("kind", [MeetingKind.SPECIAL, MeetingKind.INSPECTION])
def test_the_work_plan_is_adopted_at_a_plenary(kind: MeetingKind) -> None:
    with pytest.raises(RuleViolated) as refused:
        adopting(held(kind))

    assert refused.value.code == "work-plan-at-plenary"


def test_one_work_plan_is_adopted_a_year() -> None:
    with pytest.raises(RuleViolated) as refused:
        adopting(held(), work_plan_years=frozenset({2023, 2024}))

    assert refused.value.code == "one-work-plan-a-year"


def test_a_plenary_adopts_one_work_plan() -> None:
    next_year = ADOPT.model_copy(update={"year": 2025})

    with pytest.raises(RuleViolated) as refused:
        adopting([*held(), work_plan_adopted()], next_year)

    assert refused.value.code == "one-work-plan-a-year"


@pytest.mark.parametrize(
    ("day", "rule"),
    [(date(2024, 3, 19), "not_before_meeting"), (date(2024, 4, 2), "not_in_future")],
)
def test_a_work_plan_is_dated_from_the_meeting_to_today(day: date, rule: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        adopting(held(), ADOPT.model_copy(update={"adopted_on": day}))

    assert (refused.value.field, refused.value.rule) == ("adopted_on", rule)


@pytest.mark.parametrize(
    ("task", "field", "rule"),
    [
        (spec(unit_code="wlj"), "tasks.1.unit_code", "unit_active"),
        (spec(due=date(2024, 3, 1)), "tasks.1.due", "due_after_adoption"),
    ],
)
def test_work_plan_tasks_go_to_active_units_due_after_adoption(
    task: TaskSpec, field: str, rule: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        adopting(held(), ADOPT.model_copy(update={"tasks": (SPEC, task)}))

    assert (refused.value.field, refused.value.rule) == (field, rule)


def test_only_a_held_meeting_adopts_a_work_plan() -> None:
    with pytest.raises(InvalidTransition) as refused:
        adopting(scheduled())

    assert refused.value.current == MeetingStatus.SCHEDULED


def test_action_ids_are_made_in_one_place() -> None:
    assert action_id_for(MEETING_ID, "d1", "jsj") == TASK.action_id
    assert action_id_for(MEETING_ID, "wp2024", 1) == "2024-001-wp2024-1"
    assert work_plan_source(2024) == "wp-2024"


def test_a_decision_gives_each_unit_one_task() -> None:
    with pytest.raises(ValidationError):
        RecordDecision(
            text="决定", decided_on=HELD_ON, tasks=(SPEC, spec(task="另一项"))
        )
