"""The smallest real read model: one row per event, every effect in the runner's
transaction (so the runner may apply a batch under one savepoint) — applied event by
event, or a batch at once (as an append-only timeline would be)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from shared.db import DbConnection
from shared.envelope import Envelope

TABLE = "CREATE TABLE IF NOT EXISTS bench_applied (stream_id text, version int)"


class AppliedCounter:
    """Feeds `bench_applied` from one topic."""

    tables = ("bench_applied",)
    is_transactional = True

    def __init__(self, topic: str) -> None:
        self.name = f"bench_{uuid.uuid4().hex[:6]}"
        self.topics = (topic,)

    async def apply(self, conn: DbConnection, event: Envelope) -> None:
        """One row per event applied."""
        await conn.execute(
            "INSERT INTO bench_applied (stream_id, version) VALUES ($1, $2)",
            event.subject,
            event.streamversion,
        )


class BatchAppliedCounter(AppliedCounter):
    """The same read model writing each batch's new events in one statement."""

    async def apply_batch(self, conn: DbConnection, events: Sequence[Envelope]) -> None:
        """One row per event, all in one INSERT."""
        await conn.execute(
            "INSERT INTO bench_applied (stream_id, version)"
            " SELECT * FROM unnest($1::text[], $2::int[])",
            [e.subject for e in events],
            [e.streamversion for e in events],
        )
