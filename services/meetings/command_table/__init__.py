"""The meetings service's commands, one row each: the aggregate, the decide function,
the facts it needs, its route and how a new meeting is numbered. Routes, watchers and
the process manager all run commands through `run(COMMANDS, …)`.

Each capability's rows live in a module of its own; the table lists them in the order
the routes and the OpenAPI operations follow."""

from __future__ import annotations

from services.meetings.command_table import (
    action_items,
    decisions,
    holding,
    minutes,
    preparation,
    proposal,
    scheduling,
    topics,
)
from services.meetings.domain.action_item import ACTION_STEPS
from services.meetings.domain.meeting import MEETING_STEPS
from services.meetings.domain.minutes import MINUTES_STEPS
from services.meetings.domain.topic import TOPIC_STEPS
from shared.command_table import CommandTable

__all__ = ["COMMANDS"]

COMMANDS: CommandTable[None] = CommandTable(
    (
        *proposal.ROWS,
        *scheduling.ROWS,
        *preparation.ROWS,
        *holding.ROWS,
        *minutes.ROWS,
        *decisions.ROWS,
        *topics.ROWS,
        *action_items.ROWS,
    ),
    transitions=(MEETING_STEPS, MINUTES_STEPS, ACTION_STEPS, TOPIC_STEPS),
)
