"""Bulk reads of the log as CloudEvents JSON built by PostgreSQL: the published order and
the whole log in commit order arrive as bytes, never as a Python object per event.

Each line is one event's envelope, parsing to what `shared.envelope.envelope_json` makes
of it (the same fields and values; `data` keeps PostgreSQL's own spacing)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import asyncpg

NDJSON = "application/x-ndjson"

# `time` as `shared.chain.timestamp` writes it, whatever the session's TimeZone.
_TIME = "to_char(e.recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"+00:00\"')"


def _literal(value: str) -> str:
    """A SQL string literal (COPY takes no parameters)."""
    return "E'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _envelope(source: str, service: str, *, sequence: str | None = None) -> str:
    """SQL of one event's envelope as JSON text (`e` is the events row); concat() leaves
    out the optional attributes when NULL. Ids, class names and hex digests are written
    by the kernel and need no escaping; text that came from outside goes through to_json."""
    head = '{"specversion":"1.0","id":"'
    source_and_type = (
        '","source":'
        + json.dumps(source, ensure_ascii=False)
        + ',"type":'
        + json.dumps(f"qingqian.{service}.", ensure_ascii=False)[:-1]
    )
    parts = [
        _literal(head),
        "e.event_id",
        _literal(source_and_type),
        "e.event_type",
        "'.v'",
        "e.schema_version",
        "'\",\"subject\":'",
        "to_json(e.stream_id)",
        "',\"time\":\"'",
        _TIME,
        "'\",\"datacontenttype\":\"application/json\",\"data\":'",
        "e.data",
        "',\"streamversion\":'",
        "e.version",
        "',\"position\":'",
        "e.position",
        *([f"',\"sequence\":' || {sequence}"] if sequence else []),
        "',\"actor\":'",
        "to_json(e.actor)",
        "',\"actorunit\":'",
        "to_json(e.actor_unit)",
        "',\"correlationid\":'",
        "to_json(e.correlation_id)",
        "',\"causationid\":' || to_json(e.causation_id)",
        "',\"hash\":\"'",
        "e.hash",
        "'\",\"prevhash\":\"'",
        "e.prevhash",
        "'\"}'",
    ]
    return f"concat({', '.join(parts)})"


async def _copy_lines(pool: asyncpg.Pool, query: str) -> bytes:
    """The query's one text column, one row per line."""
    chunks: list[bytes] = []

    async def keep(chunk: bytes) -> None:
        chunks.append(chunk)

    async with pool.acquire() as conn:
        await conn.copy_from_query(query, output=keep)
    # COPY's text format doubles each backslash and escapes control characters; JSON
    # text holds no raw control characters, so undoing the doubling gives it back.
    # Chunks hold whole rows, so no backslash pair is split between two of them.
    return b"".join(chunks).replace(b"\\\\", b"\\")


async def published_lines(
    pool: asyncpg.Pool,
    *,
    source: str,
    service: str,
    after_sequence: int = 0,
    limit: int = 1000,
) -> bytes:
    """Up to `limit` events after `after_sequence` in the published order (as the relay
    sends them), one envelope per line."""
    return await _copy_lines(
        pool,
        f"SELECT {_envelope(source, service, sequence='s.sequence')}"  # noqa: S608 - literals escaped, ints
        " FROM event_sequence s JOIN events e ON e.position = s.position"
        f" WHERE s.sequence > {int(after_sequence)} ORDER BY s.sequence"
        f" LIMIT {int(limit)}",
    )


async def log_pages(
    pool: asyncpg.Pool,
    *,
    source: str,
    service: str,
    after_position: int = 0,
    page: int = 5000,
) -> AsyncIterator[bytes]:
    """The whole log after an event's position in commit order, in pages of up to `page`
    envelopes, one per line; like `EventStore.read_all` it never skips an event that
    commits late, because it stops below the oldest transaction still running."""
    envelope = _envelope(source, service)
    while True:
        # The cursor is the last event's position; its transaction id is looked up.
        lines = await _copy_lines(
            pool,
            f"SELECT {envelope} FROM events e"  # noqa: S608 - literals escaped, ints
            " WHERE (e.txid, e.position) > (coalesce((SELECT txid FROM events"
            f" WHERE position = {int(after_position)}), '0'::xid8),"
            f" {int(after_position)})"
            " AND e.txid < pg_snapshot_xmin(pg_current_snapshot())"
            f" ORDER BY e.txid, e.position LIMIT {int(page)}",
        )
        if lines:
            yield lines
        if lines.count(b"\n") < page:
            return
        after_position = _last_position(lines)


def _last_position(lines: bytes) -> int:
    last = lines[lines.rfind(b"\n", 0, len(lines) - 1) + 1 :]
    return int(json.loads(last)["position"])


def json_array(lines: bytes) -> bytes:
    """Envelopes one per line as one JSON array (a newline only ever ends an envelope)."""
    return b"[" + lines.rstrip(b"\n").replace(b"\n", b",") + b"]"
