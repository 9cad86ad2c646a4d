"""Made-up events in the two shapes the machine limits are measured with: rows of an
event-shaped table for PostgreSQL, CloudEvents envelopes for Kafka."""

from __future__ import annotations

import hashlib
import json
import uuid
from datetime import UTC, datetime
from typing import Any

# Ten events a stream, as the aggregates loaded by id have.
STREAM_LENGTH = 10

RAW_TABLE = (
    "CREATE TABLE IF NOT EXISTS bench_raw (position bigserial PRIMARY KEY,"
    " event_id uuid, stream_id text NOT NULL, version int NOT NULL, event_type text,"
    " data jsonb, actor text, recorded_at timestamptz, hash text,"
    " UNIQUE (stream_id, version))"
)
RAW_COLUMNS = (
    "event_id",
    "stream_id",
    "version",
    "event_type",
    "data",
    "actor",
    "recorded_at",
    "hash",
)
_SOURCE = "/qingqian/bench/synthetic"


def raw_rows(count: int) -> list[tuple[Any, ...]]:
    """`count` rows for `bench_raw` in new streams of ten (columns as RAW_COLUMNS)."""
    prefix = uuid.uuid4().hex[:8]
    now = datetime.now(UTC)
    digest = hashlib.sha256(prefix.encode()).hexdigest()
    return [
        (
            uuid.uuid4(),
            f"raw-{prefix}-{n // STREAM_LENGTH}",
            n % STREAM_LENGTH + 1,
            "AmountAdded",
            {"amount": n},
            "bench",
            now,
            digest,
        )
        for n in range(count)
    ]


def raw_stream_ids(rows: list[tuple[Any, ...]]) -> list[str]:
    """The streams those rows make, once each."""
    return sorted({str(row[1]) for row in rows})


def envelope_messages(first: int, count: int) -> list[tuple[bytes, bytes]]:
    """(key, value) pairs as the relay publishes them: positions `first`…, ten events
    a stream, keyed by stream id."""
    now = datetime.now(UTC).isoformat(timespec="microseconds")
    prevhash = hashlib.sha256(b"bench").hexdigest()
    messages = []
    for position in range(first, first + count):
        stream = f"ledger-s{position // STREAM_LENGTH}"
        body = {
            "specversion": "1.0",
            "id": str(uuid.uuid4()),
            "source": _SOURCE,
            "type": "qingqian.bench.AmountAdded.v1",
            "subject": stream,
            "time": now,
            "datacontenttype": "application/json",
            "data": {"amount": position},
            "streamversion": position % STREAM_LENGTH + 1,
            "position": position + 1,
            "sequence": position + 1,
            "actor": "bench",
            "actorunit": "rsj",
            "correlationid": str(uuid.uuid4()),
            "hash": prevhash,
            "prevhash": prevhash,
        }
        messages.append((stream.encode(), json.dumps(body).encode()))
    return messages
