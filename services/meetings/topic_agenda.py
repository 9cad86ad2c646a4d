"""An accepted topic's agenda item: the request that accepts a topic adds it to the
meeting's agenda at once, and the process manager that follows TopicAccepted does so
should that request stop half-way; both run one PlaceTopicOnAgenda under a command id
fixed by the topic's id, so the item is added once."""

from __future__ import annotations

import uuid
from dataclasses import replace

import asyncpg
import structlog

from services.meetings.domain.agenda import PlaceTopicOnAgenda
from services.meetings.domain.lifecycle import TopicStatus
from services.meetings.domain.topic import TOPIC
from shared.auth import SYSTEM_ACTOR
from shared.command_pipeline import run
from shared.command_table import CommandTable
from shared.errors import InvalidTransition
from shared.handling import CommandContext, load
from shared.store import EventStore

log = structlog.get_logger()

_AGENDA_NAMESPACE = uuid.UUID("0c6f3b52-9d1e-4a7b-8f25-6e4d2a9c1b70")


async def place_on_agenda(
    table: CommandTable[None],
    store: EventStore,
    pool: asyncpg.Pool,
    ctx: CommandContext,
    topic_id: str,
) -> None:
    """Add the accepted topic to its meeting's agenda as the service itself (a topic
    not accepted adds nothing; a repeat returns the first append)."""
    topic, _ = await load(store, TOPIC, topic_id)
    if topic.status is not TopicStatus.ACCEPTED or topic.meeting_id is None:
        return
    command = PlaceTopicOnAgenda(
        topic_id=topic_id, title=topic.title, proposed_by=topic.proposed_by
    )
    system = replace(
        ctx,
        actor=SYSTEM_ACTOR,
        command_id=uuid.uuid5(_AGENDA_NAMESPACE, topic_id),
        expected_version=None,
    )
    try:
        await run(
            table,
            command,
            topic.meeting_id,
            ctx=system,
            store=store,
            pool=pool,
            context=None,
        )
    except InvalidTransition:
        # The meeting was held or cancelled between the acceptance and now: the
        # topic stays accepted, and retrying could never add it.
        log.warning("topic_not_placed", topic_id=topic_id, meeting_id=topic.meeting_id)
