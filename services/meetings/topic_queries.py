"""Reads of topics: the `topics` read model for lists, the stream for one topic."""

from __future__ import annotations

import asyncpg

from services.meetings.command_table import COMMANDS
from services.meetings.domain.lifecycle import TopicStatus
from services.meetings.domain.topic import TOPIC
from services.meetings.domain.topics import agenda_item_id
from services.meetings.views import TopicDetailView, TopicView
from shared.errors import NotFound
from shared.handling import decode_all
from shared.store import EventStore


async def list_topics(
    pool: asyncpg.Pool,
    *,
    status: str | None,
    proposed_by: str | None,
    limit: int,
    offset: int,
) -> list[TopicView]:
    """Topics by status and proposing unit, by number."""
    rows = await pool.fetch(
        "SELECT * FROM topics WHERE ($1::text IS NULL OR status = $1)"
        " AND ($2::text IS NULL OR proposed_by = $2)"
        " ORDER BY topic_id LIMIT $3 OFFSET $4",
        status,
        proposed_by,
        limit,
        offset,
    )
    return [TopicView(**{k: r[k] for k in TopicView.model_fields}) for r in rows]


async def topic_detail(store: EventStore, topic_id: str) -> TopicDetailView:
    """A topic rebuilt from its stream."""
    records = await store.history(TOPIC.stream_id(topic_id))
    if not records:
        raise NotFound(f"topic {topic_id} does not exist")
    topic = TOPIC.replay(decode_all(TOPIC, records))
    accepted = topic.status is TopicStatus.ACCEPTED
    return TopicDetailView(
        topic_id=topic_id,
        version=records[-1].version,
        status=topic.status.value,
        allowed_next=COMMANDS.verbs(topic.allowed_steps()),
        agenda_item_id=agenda_item_id(topic_id) if accepted else None,
        state=topic.model_dump(mode="json"),
    )
