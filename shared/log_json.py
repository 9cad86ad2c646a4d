"""Bulk reads of the log as CloudEvents JSON built by PostgreSQL: the published order
and the whole log in commit order arrive as one UTF-8 bytes value per page, never as a
Python object per event.

Each line is one event's envelope, byte for byte what `shared.envelope.envelope_json`
makes of it (tests/integration/test_envelope_sql_equals_python.py holds the two
against each other for every event type)."""

from __future__ import annotations

import asyncio
import json
from collections import deque
from collections.abc import AsyncGenerator

import asyncpg

from shared.db import DbConnection

NDJSON = "application/x-ndjson"


# One event's envelope as JSON text, from the row `e` of events and {sequence}; $1 is
# the source as a JSON string, $2 the type's opening quote and `qingqian.<service>.`
# (without the quote, it starts `dataschema` after `urn:qingqian:schema:`, as
# shared.envelope.schema_uri writes it).
# concat() skips NULLs, so an absent sequence, causation id or business date, or an event
# not back-dated, leaves its attribute out, as envelope_json does. `time` is what shared.chain.timestamp writes, whatever the
# session's TimeZone. Ids, class names and hex digests are the kernel's own and need no
# escaping; text that came from outside goes through to_json.
_ENVELOPE = """concat(
    '{"specversion":"1.0","id":"', e.event_id,
    '","source":', $1::text,
    ',"type":', $2::text, e.event_type, '.v', e.schema_version,
    '","subject":', to_json(e.stream_id),
    ',"time":"', to_char(e.recorded_at AT TIME ZONE 'UTC',
                         'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"'),
    '","datacontenttype":"application/json","dataschema":"urn:qingqian:schema:',
    substr($2::text, 2), e.event_type, '.v', e.schema_version,
    '","data":', e.data,
    ',"streamversion":', e.version,
    ',"position":', e.position,
    ',"sequence":' || {sequence},
    ',"actor":', to_json(e.actor),
    ',"actorunit":', to_json(e.actor_unit),
    ',"correlationid":', to_json(e.correlation_id),
    ',"causationid":' || to_json(e.causation_id),
    ',"businessdate":"' || to_char(e.business_date, 'YYYY-MM-DD') || '"',
    CASE WHEN e.is_backdated THEN ',"backdated":true' END,
    ',"hash":"', e.hash,
    '","prevhash":"', e.prevhash, '"}')"""

# The envelopes come as UTF-8 bytes (bytea): asyncpg hands those over as they are, where
# a text would be decoded to a str first (four times slower for a page).
_PUBLISHED = f"""
SELECT convert_to(string_agg(p.envelope, E'\\n' ORDER BY p.sequence) || E'\\n', 'UTF8')
FROM (SELECT s.sequence, {_ENVELOPE.replace("{sequence}", "s.sequence")} AS envelope
      FROM event_sequence s JOIN events e ON e.position = s.position
      WHERE s.sequence > $3 ORDER BY s.sequence LIMIT $4) p
"""  # noqa: S608 - constant SQL

# A page of the log in commit order: the events after ($3, $4) up to and including
# ($5, $6) — which lies below the oldest running transaction of the moment it was found,
# so no event up to it can still commit.
_PAGE = f"""
SELECT count(*) AS events,
       convert_to(string_agg(p.envelope, E'\\n' ORDER BY p.txid, p.position) || E'\\n',
                  'UTF8') AS lines
FROM (SELECT e.txid, e.position,
             {_ENVELOPE.replace("{sequence}", "NULL::bigint")} AS envelope
      FROM events e
      WHERE (e.txid, e.position) > ($3::text::xid8, $4)
        AND (e.txid, e.position) <= ($5::text::xid8, $6)
      ORDER BY e.txid, e.position) p
"""  # noqa: S608 - constant SQL

# Where the page after ($1, $2) ends: its $3-th event below the oldest transaction still
# running, or (when fewer are left) the last of them. Ordered by the xid8 itself: the
# text it goes out as sorts 9999 after 10000, which ended an export at the boundary.
_PAGE_END = """
SELECT p.txid::text AS end_txid, p.position, count(*) OVER () AS events FROM (
    SELECT e.txid, e.position FROM events e
    WHERE (e.txid, e.position) > ($1::text::xid8, $2)
      AND e.txid < pg_snapshot_xmin(pg_current_snapshot())
    ORDER BY e.txid, e.position LIMIT $3) p
ORDER BY p.txid DESC, p.position DESC LIMIT 1
"""

# Pages PostgreSQL builds side by side: building the JSON is its work (about 1.75 µs an
# event), and a reader reads pages faster than one backend writes them.
_SIDE_BY_SIDE = 2


def _names(source: str, service: str) -> tuple[str, str]:
    """$1 and $2 of `_ENVELOPE`."""
    type_prefix = json.dumps(f"qingqian.{service}.", ensure_ascii=False)[:-1]
    return json.dumps(source, ensure_ascii=False), type_prefix


async def published_lines(
    pool: asyncpg.Pool | DbConnection,
    *,
    source: str,
    service: str,
    after_sequence: int = 0,
    limit: int = 1000,
) -> bytes:
    """Up to `limit` events after `after_sequence` in the published order (as the relay
    sends them), one envelope per line; empty when there are none."""
    lines = await pool.fetchval(
        _PUBLISHED, *_names(source, service), after_sequence, limit
    )
    return b"" if lines is None else bytes(lines)


async def log_pages(
    pool: asyncpg.Pool,
    *,
    source: str,
    service: str,
    page: int = 5000,
) -> AsyncGenerator[bytes, None]:
    """The whole log in commit order, in pages of up to `page` events, one envelope per
    line; like `EventStore.read_all` it never skips an event that commits late, because
    it stops below the oldest transaction still running. The next page is being built
    while this one is read."""
    names = _names(source, service)
    building: deque[asyncio.Task[bytes]] = deque()
    start: tuple[str, int] | None = ("0", 0)
    try:
        while True:
            # Where each page ends is found first (an index scan, no JSON), so the
            # pages after it can be built at the same time.
            while start is not None and len(building) < _SIDE_BY_SIDE:
                end = await _page_end(pool, start, page)
                if end is None:
                    start = None
                    break
                building.append(asyncio.create_task(_page(pool, names, start, end)))
                start = (end[0], end[1]) if end[2] == page else None
            if not building:
                return
            yield await building.popleft()
    finally:
        for task in building:
            task.cancel()
        await asyncio.gather(*building, return_exceptions=True)


async def _page_end(
    pool: asyncpg.Pool, start: tuple[str, int], size: int
) -> tuple[str, int, int] | None:
    """The last (txid, position) of the page after `start` and how many events it
    holds; None when there are none."""
    async with pool.acquire() as conn, conn.transaction():
        # The index holds commit order. Without statistics on the newest events (a
        # young log, or its tail) the planner expects few after the cursor and would
        # sort every one of them for each page instead.
        await conn.execute("SET LOCAL enable_sort = off")
        row = await conn.fetchrow(_PAGE_END, *start, size)
    return None if row is None else (row["end_txid"], row["position"], row["events"])


async def _page(
    pool: asyncpg.Pool,
    names: tuple[str, str],
    start: tuple[str, int],
    end: tuple[str, int, int],
) -> bytes:
    async with pool.acquire() as conn, conn.transaction():
        await conn.execute("SET LOCAL enable_sort = off")
        row = await conn.fetchrow(_PAGE, *names, *start, end[0], end[1])
    assert row is not None  # noqa: S101 - an aggregate always returns a row
    return bytes(row["lines"]) if row["events"] else b""


async def committed_count(pool: asyncpg.Pool) -> int:
    """How many events had committed when asked: a whole-log read begun after this
    must hold at least as many (an export checks itself against it)."""
    return int(
        await pool.fetchval(
            "SELECT count(*) FROM events"
            " WHERE txid < pg_snapshot_xmin(pg_current_snapshot())"
        )
    )


def json_array(lines: bytes) -> bytes:
    """Envelopes one per line as one JSON array (a newline only ever ends an envelope:
    JSON text escapes those inside strings)."""
    return b"[" + lines.rstrip(b"\n").replace(b"\n", b",") + b"]"
