"""The `topics` read model's row for one topic, rewritten from its state at an event."""

from __future__ import annotations

from services.meetings.domain.topic import Topic
from shared.db import DbConnection
from shared.envelope import Envelope


async def topic_row(
    conn: DbConnection, topic_id: str, topic: Topic, event: Envelope
) -> None:
    """Insert or update the topic's row, never going back to an older version."""
    await conn.execute(
        "INSERT INTO topics (topic_id, proposed_by, title, kind, wanted_meeting_kind,"
        " target_meeting_id, status, proposed_on, meeting_id, decided_on, note, version,"
        " updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)"
        " ON CONFLICT (topic_id) DO UPDATE SET status = excluded.status,"
        " meeting_id = excluded.meeting_id, decided_on = excluded.decided_on,"
        " note = excluded.note, version = excluded.version,"
        " updated_at = excluded.updated_at WHERE topics.version < excluded.version",
        topic_id,
        topic.proposed_by,
        topic.title,
        topic.kind.value if topic.kind else "",
        topic.wanted_meeting_kind.value if topic.wanted_meeting_kind else None,
        topic.target_meeting_id,
        topic.status.value,
        topic.proposed_on,
        topic.meeting_id,
        topic.decided_on,
        topic.note,
        event.streamversion,
        event.time,
    )
