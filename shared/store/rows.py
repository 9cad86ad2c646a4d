"""The rows an append writes: each event hash-chained to the one before it."""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from shared.business_date import Backdating
from shared.chain import event_hash
from shared.domain import Event
from shared.store.records import EventMetadata
from shared.store.tags import WriterTags

# Non-ASCII text goes as it is (shorter than \u escapes, and PostgreSQL parses either).
_ROWS_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def insert_parameters(
    stream_id: str,
    events: Sequence[Event],
    datas: Sequence[dict[str, Any]],
    current: int,
    prevhash: str,
    metadata: EventMetadata,
    now: datetime,
    tags: WriterTags,
    backdating: Backdating,
) -> list[Any]:
    """`INSERT_EVENTS`' parameters: the events hash-chained from `prevhash`, each hash
    signed and MACed by the writer (its tags) and marked with its business date and
    whether it is back-dated (not hashed), as one JSON array, and what they share
    (recorded at `now`, the signing key's id)."""
    rows: list[dict[str, Any]] = []
    for offset, (event, data) in enumerate(zip(events, datas, strict=True), 1):
        event_id = str(uuid.uuid4())
        digest = event_hash(
            event_id=event_id,
            stream_id=stream_id,
            version=current + offset,
            event_type=event.event_type(),
            schema_version=event.schema_version,
            recorded_at=now,
            data=data,
            actor=metadata.actor,
            actor_unit=metadata.actor_unit,
            correlation_id=metadata.correlation_id,
            causation_id=metadata.causation_id,
            prevhash=prevhash,
        )
        signature, mac = tags.tag(digest)
        business, is_backdated = backdating.mark(data, now)
        rows.append(
            {
                "e": event_id,
                "v": current + offset,
                "t": event.event_type(),
                "sv": event.schema_version,
                "d": data,
                "p": prevhash,
                "h": digest,
                "g": signature,
                "m": mac,
                "bd": None if business is None else business.isoformat(),
                "bk": is_backdated,
            }
        )
        prevhash = digest
    return [
        _ROWS_ENCODER.encode(rows),
        stream_id,
        stream_id.split("-", 1)[0],
        metadata.actor,
        metadata.actor_unit,
        metadata.correlation_id,
        metadata.causation_id,
        metadata.command_id,
        now,
        tags.key_id,
    ]
