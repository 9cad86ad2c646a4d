"""The facts from outside that decide functions ask for, with the tests' defaults, and
running a decide function with the ones it names, as the handlers do."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

from shared.domain import Command, Event
from tests.unit.meetings.factories import (
    MEETING_ID,
    TODAY,
    UNITS,
    meeting_of,
    powers,
    scheduled,
)

TOPIC_ID = "2024-007"

# The office's token and the convener's place on the roster: every power.
OFFICE_CONVENER_POWERS = powers(token=frozenset({"office"}))

FACTS: dict[str, Any] = {
    "today": TODAY,
    "units": UNITS,
    "meeting_id": MEETING_ID,
    "chair_roles": frozenset({"convener", "member"}),
    "unit": "jsj",
    "work_plan_years": frozenset({2023}),
    "powers": OFFICE_CONVENER_POWERS,
    "deputy_roles": frozenset({"deputy_convener"}),
    "agenda_meeting": meeting_of(scheduled()),
    "target_meeting": None,
    "topic_id": TOPIC_ID,
}
"""Every fact from outside a decide function may ask for, with its default."""


def run(
    decide: Callable[..., list[Any]], state: Any, command: Command, **facts: Any
) -> list[Event]:
    """Run a decide function with the facts it names, as the handlers do."""
    wanted = inspect.signature(decide).parameters
    given = {k: v for k, v in (FACTS | facts).items() if k in wanted}
    events: list[Event] = decide(state, command, **given)
    return events
