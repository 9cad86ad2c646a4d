"""A member unit's topic proposed, accepted onto a meeting's agenda (which gains
the item at once), declined or withdrawn."""

from __future__ import annotations

from typing import Any, Final

from services.meetings.command_table.not_found import NO_TOPIC
from services.meetings.domain import topics
from services.meetings.domain.meeting import MEETING, Meeting
from services.meetings.domain.topic import TOPIC
from services.meetings.resources import TOPIC_NUMBERS, TOPICS
from services.meetings.topic_agenda import place_on_agenda
from shared.command_table import (
    Numbered,
    Row,
    Scope,
    actor_unit,
    entity_id,
    fact,
    state_of,
    today,
)
from shared.command_table import active_unit_codes as units
from shared.handling import load
from shared.store import Appended


async def _put_it_on_the_agenda(scope: Scope[Any, Any], appended: Appended) -> None:
    # An accepted topic joins its meeting's agenda at once (the process manager adds
    # it too, should this request stop half-way). The table holds this row, so it is
    # imported when the hook runs, not while the table is being built.
    from services.meetings.command_table import COMMANDS

    await place_on_agenda(COMMANDS, scope.store, scope.pool, scope.ctx, scope.entity_id)


def _meeting_of(command: topics.AcceptTopic) -> str:
    return command.meeting_id


_MEETING_ACCEPTING: Final = state_of("agenda_meeting", MEETING, _meeting_of)


async def _target_meeting(scope: Scope[topics.ProposeTopic, Any]) -> Meeting | None:
    # The meeting a topic names, so that proposing checks it exists; none when the
    # topic names none.
    target = scope.command.target_meeting_id
    if target is None:
        return None
    meeting, _ = await load(scope.store, MEETING, target)
    return meeting


_TARGET_MEETING: Final = fact("target_meeting", _target_meeting)


ROWS: tuple[Row[Any, None], ...] = (
    Row(
        topics.ProposeTopic,
        TOPIC,
        topics.propose_topic,
        "A member unit proposes a topic for a meeting, or a measure, in its own"
        " name (the proposer's unit).",
        facts=(today(), actor_unit(), units(), _TARGET_MEETING),
        route=TOPICS.create("propose"),
        ids=Numbered(TOPIC_NUMBERS, lambda c: c.proposed_on.year),
    ),
    Row(
        topics.AcceptTopic,
        TOPIC,
        topics.accept_topic,
        "The office accepts the topic onto the agenda of a meeting not yet held;"
        " the meeting's agenda gains the item.",
        facts=(today(), _MEETING_ACCEPTING, entity_id("topic_id")),
        then=_put_it_on_the_agenda,
        route=TOPICS.step("accept"),
        not_found=NO_TOPIC,
    ),
    Row(
        topics.DeclineTopic,
        TOPIC,
        topics.decline_topic,
        "The office declines the topic, saying why.",
        facts=(today(),),
        route=TOPICS.step("decline"),
        not_found=NO_TOPIC,
    ),
    Row(
        topics.WithdrawTopic,
        TOPIC,
        topics.withdraw_topic,
        "The proposing unit withdraws its topic before the office reviews it.",
        facts=(today(), actor_unit()),
        route=TOPICS.step("withdraw"),
        not_found=NO_TOPIC,
    ),
)
