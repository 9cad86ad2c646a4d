"""What a held meeting decides: decisions under its agenda items and, at a plenary,
the year's work plan; each task they hand a unit is tracked as an action item
(stream `action-<id>`, rules.md §4.3)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated, ClassVar, Final, Self

from pydantic import BaseModel, Field, model_validator

from services.meetings.domain.lifecycle import MeetingStatus, require_status
from services.meetings.domain.proposal import ItemId, MeetingKind
from shared.dates import BusinessDate, require_date
from shared.domain import Command, Event, Role
from shared.errors import InvalidInput, RuleViolated
from shared.unit_guard import require_active_unit
from shared.values import CaseId, ListingId, Text, UnitCode

if TYPE_CHECKING:
    from services.meetings.domain.meeting import Meeting, MeetingEvent

ReportEvery = Annotated[int, Field(ge=1, le=366)]
"""How often, in calendar days, a unit must report progress on a task."""


class TaskSpec(BaseModel, frozen=True, extra="forbid"):
    """A task a decision (or the annual work plan) hands to one unit: what, by when,
    how often to report (optional), and the cases or listings it concerns."""

    unit_code: UnitCode
    task: Text
    due: BusinessDate
    report_every_days: ReportEvery | None = None
    case_ids: tuple[CaseId, ...] = ()
    listing_ids: tuple[ListingId, ...] = ()


class TaskAssignment(TaskSpec):
    """A task with the id of the action item (stream `action-<id>`) that tracks it."""

    action_id: str


class RecordDecision(Command):
    """A decision and one task per responsible unit; each becomes an action item."""

    permitted: ClassVar[frozenset[Role]] = frozenset({Role.OFFICE})

    agenda_item_id: ItemId | None = None
    text: Text
    decided_on: BusinessDate
    tasks: tuple[TaskSpec, ...] = Field(default=(), max_length=200)

    @model_validator(mode="after")
    def _one_task_per_unit(self) -> Self:
        units = [t.unit_code for t in self.tasks]
        if len(set(units)) != len(units):
            raise ValueError("a decision gives each unit one task")
        return self


class AdoptWorkPlan(Command):
    """The plenary adopts the year's work plan; each task becomes an action item."""

    permitted: ClassVar[frozenset[Role]] = frozenset({Role.OFFICE})

    year: int = Field(ge=2017, le=2100)
    title: Text
    adopted_on: BusinessDate
    tasks: tuple[TaskSpec, ...] = Field(min_length=1, max_length=500)


ALLOWED_IN: Final[dict[type[Command], frozenset[MeetingStatus]]] = {
    RecordDecision: frozenset({MeetingStatus.HELD}),
    AdoptWorkPlan: frozenset({MeetingStatus.HELD}),
}
"""The statuses in which each command of this capability is a next step."""


class DecisionRecorded(Event):
    """议定事项: a decision under an agenda item and the action item of each unit
    responsible for carrying it out."""

    decision_id: str
    agenda_item_id: str | None
    text: str
    decided_on: date
    tasks: tuple[TaskAssignment, ...]


class WorkPlanAdopted(Event):
    """The plenary adopted the year's work plan; each task is tracked as an action item."""

    year: int
    title: str
    adopted_on: date
    tasks: tuple[TaskAssignment, ...]


DecidingEvent = DecisionRecorded | WorkPlanAdopted


class Decision(BaseModel, frozen=True, extra="forbid"):
    """议定事项: a decision and the task it hands each responsible unit."""

    decision_id: str
    agenda_item_id: str | None
    text: str
    decided_on: date
    tasks: tuple[TaskAssignment, ...] = ()


class WorkPlan(BaseModel, frozen=True, extra="forbid"):
    """The year's work plan a plenary adopted, with its tasks."""

    year: int
    title: str
    adopted_on: date
    tasks: tuple[TaskAssignment, ...] = ()


def evolve_deciding(meeting: Meeting, event: DecidingEvent) -> Meeting:
    """One more decision, or the meeting's work plan."""
    if isinstance(event, DecisionRecorded):
        decisions = (*meeting.decisions, Decision(**dict(event)))
        return meeting.model_copy(update={"decisions": decisions})
    return meeting.model_copy(update={"work_plan": WorkPlan(**dict(event))})


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
    require_status(meeting, ALLOWED_IN[RecordDecision], "given a decision")
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
    require_status(meeting, ALLOWED_IN[AdoptWorkPlan], "given a work plan")
    if meeting.kind is not MeetingKind.PLENARY:
        raise RuleViolated(
            "work-plan-at-plenary", "The work plan is adopted at a plenary meeting."
        )
    if command.year in work_plan_years or meeting.work_plan is not None:
        raise RuleViolated(
            "one-work-plan-a-year",
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
