"""What a held meeting decides: decisions under its agenda items and, at a plenary,
the year's work plan; each task they hand a unit is tracked as an action item
(stream `action-<id>`, rules.md §4.3)."""

from __future__ import annotations

from datetime import date

from services.meetings.domain.commands import AdoptWorkPlan, RecordDecision
from services.meetings.domain.events import (
    DecisionRecorded,
    MeetingEvent,
    WorkPlanAdopted,
)
from services.meetings.domain.facts import MeetingKind, TaskAssignment, TaskSpec
from services.meetings.domain.meeting import Meeting, MeetingStatus
from services.meetings.domain.transitions import require_date, require_status
from services.meetings.domain.units import require_active_unit
from shared.errors import InvalidInput, RuleViolated


def action_id_for(meeting_id: str, source: str, key: str | int) -> str:
    """The id of the action item (stream `action-<id>`) tracking one task:
    `<meeting>-<decision>-<unit>` for a decision, which gives each unit one task, and
    `<meeting>-wp<year>-<n>` for the work plan's tasks, numbered from 1."""
    return f"{meeting_id}-{source}-{key}"


def work_plan_source(year: int) -> str:
    """The `source_id` of the action items of that year's work plan: `wp-<year>`."""
    return f"wp-{year}"


def record_decision(
    meeting: Meeting,
    command: RecordDecision,
    *,
    today: date,
    units: frozenset[str],
    meeting_id: str,
) -> list[MeetingEvent]:
    """议定事项: a held meeting's decision, under one of its agenda items or none,
    and a task for each active unit responsible, due no earlier than the decision."""
    require_status(meeting, {MeetingStatus.HELD}, "given a decision")
    require_date(
        command.decided_on,
        field="decided_on",
        today=today,
        not_before=meeting.held_on,
        since="meeting",
    )
    item_id = command.agenda_item_id
    if item_id is not None and meeting.agenda_item(item_id) is None:
        raise InvalidInput(
            field="agenda_item_id",
            rule="agenda_item",
            detail=f"The agenda has no item {item_id}.",
        )
    _require_tasks(
        command.tasks, units=units, start=command.decided_on, after="decision"
    )
    decision_id = f"d{len(meeting.decisions) + 1}"
    tasks = tuple(
        _assigned(task, action_id_for(meeting_id, decision_id, task.unit_code))
        for task in command.tasks
    )
    return [
        DecisionRecorded(
            decision_id=decision_id,
            agenda_item_id=item_id,
            text=command.text,
            decided_on=command.decided_on,
            tasks=tasks,
        )
    ]


def adopt_work_plan(
    meeting: Meeting,
    command: AdoptWorkPlan,
    *,
    today: date,
    units: frozenset[str],
    meeting_id: str,
    work_plan_years: frozenset[int],
) -> list[MeetingEvent]:
    """A held plenary adopts the year's work plan, one a year (DESIGN.md §4
    "meetings"); its tasks are tracked like a decision's, a unit may have several."""
    require_status(meeting, {MeetingStatus.HELD}, "given a work plan")
    if meeting.kind is not MeetingKind.PLENARY:
        raise RuleViolated(
            "work_plan_at_plenary", "The work plan is adopted at a plenary meeting."
        )
    if command.year in work_plan_years or meeting.work_plan is not None:
        raise RuleViolated(
            "one_work_plan_a_year",
            f"A work plan for {command.year} was already adopted, or this meeting "
            "already adopted one.",
        )
    require_date(
        command.adopted_on,
        field="adopted_on",
        today=today,
        not_before=meeting.held_on,
        since="meeting",
    )
    _require_tasks(
        command.tasks, units=units, start=command.adopted_on, after="adoption"
    )
    tasks = tuple(
        _assigned(task, action_id_for(meeting_id, f"wp{command.year}", number))
        for number, task in enumerate(command.tasks, start=1)
    )
    return [
        WorkPlanAdopted(
            year=command.year,
            title=command.title,
            adopted_on=command.adopted_on,
            tasks=tasks,
        )
    ]


def _require_tasks(
    tasks: tuple[TaskSpec, ...], *, units: frozenset[str], start: date, after: str
) -> None:
    for index, task in enumerate(tasks):
        field = f"tasks.{index}"
        require_active_unit(task.unit_code, units=units, field=f"{field}.unit_code")
        if task.due < start:
            raise InvalidInput(
                field=f"{field}.due",
                rule=f"due_after_{after}",
                detail=f"{task.due} is before the {after} on {start}.",
            )


def _assigned(task: TaskSpec, action_id: str) -> TaskAssignment:
    return TaskAssignment(**dict(task), action_id=action_id)
