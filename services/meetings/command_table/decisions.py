"""What a meeting records: a decision or the year's work plan, each opening its
action items at once, and an inspection finding."""

from __future__ import annotations

from typing import Any

from services.meetings.assignments import assignments, open_action_items, recorded_by
from services.meetings.command_table.not_found import NO_MEETING
from services.meetings.domain import deciding, inspection
from services.meetings.domain.meeting import MEETING
from services.meetings.outside_facts import work_plan_years
from services.meetings.resources import MEETINGS
from shared.command_table import Row, Scope, entity_id, today
from shared.command_table import active_unit_codes as units
from shared.store import Appended


async def _open_its_action_items(scope: Scope[Any, Any], appended: Appended) -> None:
    # A decision or work plan opens its action items at once (the process manager
    # opens them too, should this request stop half-way). The table holds this row,
    # so it is imported when the hook runs, not while the table is being built.
    from services.meetings.command_table import COMMANDS

    recorded = await recorded_by(scope.store, appended)
    if recorded is not None:
        opening = assignments(scope.entity_id, recorded)
        await open_action_items(COMMANDS, scope.store, scope.pool, scope.ctx, opening)


ROWS: tuple[Row[Any, None], ...] = (
    Row(
        deciding.RecordDecision,
        MEETING,
        deciding.record_decision,
        "Record a decision; each responsible unit gets an action item.",
        facts=(today(), units(), entity_id("meeting_id")),
        then=_open_its_action_items,
        route=MEETINGS.step("record-decision"),
        not_found=NO_MEETING,
    ),
    Row(
        deciding.AdoptWorkPlan,
        MEETING,
        deciding.adopt_work_plan,
        "A plenary adopts the year's work plan; each task becomes an action item.",
        facts=(today(), units(), entity_id("meeting_id"), work_plan_years()),
        then=_open_its_action_items,
        route=MEETINGS.step("adopt-work-plan"),
        not_found=NO_MEETING,
    ),
    Row(
        inspection.RaiseFinding,
        MEETING,
        inspection.raise_finding,
        "Record an inspection finding; one about wage arrears becomes a case in cases.",
        facts=(today(), units()),
        route=MEETINGS.step("raise-finding"),
        not_found=NO_MEETING,
    ),
)
