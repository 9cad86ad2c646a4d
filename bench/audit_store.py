"""An audit store of many events, written straight into audit's tables by PostgreSQL
(generate_series, a chunk per statement): four services, streams of about ten
events spread over two years, a few thousand actors (and a generic `office` on
four events in ten), thirty units, correlation ids of five events across services,
employers' USCCs on the first event of each case and listing, and a held seal every
hundred events of each service. The shape is the timeline's: what ingest writes, not
how it writes it (bench/audit_ingest.py times that)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import asyncpg

SERVICES = ("members", "cases", "meetings", "credit")
CATEGORIES = ("unit", "case", "meeting", "listing")
START = datetime(2024, 1, 1, tzinfo=UTC)
SPAN = timedelta(days=730)
UNITS = 30
OFFICE = "office"
# Events per correlation id, per stream (on average), per employer's streams.
CORRELATED = 5
STREAM_LENGTH = 10
SEAL_EVERY = 100
_CHUNK = 100_000


@dataclass(frozen=True)
class StoreShape:
    """How many of each thing a store of `events` events holds."""

    events: int

    @property
    def streams_per_service(self) -> int:
        """Streams of each service (about `STREAM_LENGTH` events each)."""
        return max(1, self.events // len(SERVICES) // STREAM_LENGTH)

    @property
    def actors(self) -> int:
        """Persons acting (besides the generic office)."""
        return max(1, self.events // 500)

    @property
    def employers(self) -> int:
        """Employers named by cases and listings."""
        return max(1, self.streams_per_service // 5)

    @property
    def seconds_apart(self) -> float:
        """Time between two events of the store."""
        return SPAN.total_seconds() / self.events


# $1 first n, $2 last n, $3 streams per service, $4 actors, $5 employers, $6 seconds
# apart. Event n is of service n % 4, at position n / 4 + 1 of it.
_FILL = """
INSERT INTO audit_events (service, position, sequence, stream_id, version, event_type,
    schema_version, recorded_at, business_date, actor, actor_unit, correlation_id,
    causation_id, uscc, hash, prevhash, envelope, tree_root)
SELECT service, position, position, stream_id, version, event_type, 1, recorded_at,
    CASE WHEN n % 3 = 0 THEN (recorded_at - make_interval(days => (n % 4)::int))::date
    END,
    actor, actor_unit, correlation_id, NULL, CASE WHEN version = 1 AND service IN
    ('cases', 'credit') THEN '91' || lpad((stream_no % $5)::text, 16, '0') END,
    hash, prevhash,
    jsonb_build_object('specversion', '1.0', 'id', md5('id' || n)::uuid,
        'source', '/qingqian/' || service, 'type', event_type, 'subject', stream_id,
        'time', recorded_at, 'datacontenttype', 'application/json',
        'data', jsonb_build_object('note', repeat('x', 120), 'amount', n % 1000),
        'streamversion', version, 'position', position, 'sequence', position,
        'actor', actor, 'actorunit', actor_unit, 'correlationid', correlation_id,
        'prevhash', prevhash, 'hash', hash),
    decode(md5('root' || n) || md5('toor' || n), 'hex')
FROM (
    SELECT n, s.service, s.category, position, stream_no,
        (position - 1) / $3 + 1 AS version,
        s.category || '-' || stream_no AS stream_id,
        'qingqian.' || s.service || '.' || s.category || CASE WHEN position <= $3
            THEN 'Opened' ELSE 'Step' || (n % 7) END || '.v1' AS event_type,
        $7::timestamptz + make_interval(secs => n * $6) AS recorded_at,
        CASE WHEN abs(hashint8(n)) % 10 < 4 THEN 'office'
            ELSE 'person-' || abs(hashint8(n + 1)) % $4 END AS actor,
        'unit-' || abs(hashint8(n + 2)) % 30 AS actor_unit,
        md5('correlation' || n / 5)::uuid::text AS correlation_id,
        md5('h' || n) || md5('hh' || n) AS hash,
        md5('h' || (n - 4)) || md5('hh' || (n - 4)) AS prevhash
    FROM generate_series($1::bigint, $2::bigint) AS n,
        LATERAL (SELECT (ARRAY['members', 'cases', 'meetings', 'credit'])[n % 4 + 1]
            AS service, (ARRAY['unit', 'case', 'meeting', 'listing'])[n % 4 + 1]
            AS category, n / 4 + 1 AS position, (n / 4) % $3 AS stream_no) AS s
) AS e
"""

_AFTER = (
    "INSERT INTO audit_stream_usccs (uscc, service, stream_id)"
    " SELECT uscc, service, stream_id FROM audit_events WHERE uscc IS NOT NULL"
    " ON CONFLICT DO NOTHING",
    "INSERT INTO audit_streams (service, stream_id, version, hash)"
    " SELECT DISTINCT ON (service, stream_id) service, stream_id, version, hash"
    " FROM audit_events ORDER BY service, stream_id, version DESC",
    "INSERT INTO audit_trees (service, size, frontier)"
    " SELECT service, max(sequence), '\\x00'::bytea FROM audit_events GROUP BY service",
    # A held seal every SEAL_EVERY events of each service.
    "INSERT INTO audit_seals (service, seal_hash, seal_no, tree_size, root_hash, body,"
    " status, checked_at)"
    " SELECT t.service, md5('seal' || t.service || k) || md5(k::text), k,"
    f" k * {SEAL_EVERY}, md5('r' || k) || md5(t.service),"
    " jsonb_build_object('seal_no', k), 'held', now()"
    f" FROM audit_trees t, generate_series(1, t.size / {SEAL_EVERY}) AS k",
    "ANALYZE",
)


async def fill_store(pool: asyncpg.Pool, events: int) -> StoreShape:
    """Write `events` events (and their streams, employers, trees and seals) into an
    empty, migrated audit database."""
    shape = StoreShape(events)
    for first in range(0, events, _CHUNK):
        await pool.execute(
            _FILL,
            first,
            min(events, first + _CHUNK) - 1,
            shape.streams_per_service,
            shape.actors,
            shape.employers,
            shape.seconds_apart,
            START,
            timeout=600,
        )
    for statement in _AFTER:
        await pool.execute(statement, timeout=600)
    return shape
