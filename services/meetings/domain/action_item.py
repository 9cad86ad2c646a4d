"""The action item aggregate (stream `action-<id>`): one unit's task from a decision or
the work plan, its progress reports, acceptance, and the misses flagged on it. Each
step lives in its capability's module; this one holds the state and sends each event
to its capability's evolve branch."""

from __future__ import annotations

from datetime import date
from typing import Final, assert_never

from pydantic import BaseModel

from services.meetings.domain import carrying_out
from services.meetings.domain.carrying_out import (
    ActionOrigin,
    CarryingOutEvent,
    Report,
    evolve_carrying_out,
)
from services.meetings.domain.lifecycle import RUNNING, ActionStatus, steps_by_status
from services.meetings.domain.overdue import OverdueEvent, evolve_overdue
from shared.domain import Aggregate, Command


class ActionItem(BaseModel, frozen=True, extra="forbid"):
    """督办事项 action item: a task handed to one unit, tracked until the office
    accepts it as done; a stream with no events is NEW."""

    status: ActionStatus = ActionStatus.NEW
    meeting_id: str = ""
    origin: ActionOrigin | None = None
    source_id: str = ""
    unit_code: str = ""
    task: str = ""
    due: date | None = None
    report_every_days: int | None = None
    case_ids: tuple[str, ...] = ()
    listing_ids: tuple[str, ...] = ()
    assigned_on: date | None = None
    reports: tuple[Report, ...] = ()
    accepted_on: date | None = None
    sent_back_reasons: tuple[str, ...] = ()
    flagged_past_due: bool = False
    missed_reports: tuple[date, ...] = ()

    def allowed_steps(self) -> tuple[type[Command], ...]:
        """The commands the item's status allows."""
        return ACTION_STEPS[self.status]

    def status_steps(self) -> tuple[type[Command], ...]:
        """The same: no rule beyond its status refuses an item's step (a refusal for
        the status names them)."""
        return self.allowed_steps()

    @property
    def last_reported_on(self) -> date | None:
        """The latest date a report was made for, if any."""
        return max((r.reported_on for r in self.reports), default=None)

    @property
    def is_overdue(self) -> bool:
        """Whether the unit is behind: past the due date, or it missed a report and
        has not reported since."""
        if self.status not in RUNNING:
            return False
        last_missed = max(self.missed_reports, default=None)
        last_report = self.last_reported_on
        has_unanswered_miss = last_missed is not None and (
            last_report is None or last_missed > last_report
        )
        return self.flagged_past_due or has_unanswered_miss


ACTION_STEPS: Final = steps_by_status(ActionStatus, (carrying_out.ALLOWED_IN,))
"""The commands each status of an action item allows (the watcher's is no one's next
step: it runs only when a date passed)."""

ActionEvent = CarryingOutEvent | OverdueEvent
"""Every event of an action item: each capability's own."""


def evolve_action(item: ActionItem, event: ActionEvent) -> ActionItem:
    """The action item after one more event, as its capability evolves it."""
    if isinstance(event, CarryingOutEvent):
        return evolve_carrying_out(item, event)
    if isinstance(event, OverdueEvent):
        return evolve_overdue(item, event)
    assert_never(event)


ACTION: Aggregate[ActionItem, ActionEvent] = Aggregate(
    category="action", initial=ActionItem(), evolve=evolve_action, events=ActionEvent
)
