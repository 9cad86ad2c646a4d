"""The event store's SQL that more than one of its parts runs."""

from __future__ import annotations

COLUMNS = (
    "e.position, e.txid::text::bigint AS txid, e.event_id, e.stream_id, e.version,"
    " e.event_type, e.schema_version, e.data, e.actor, e.actor_unit, e.correlation_id,"
    " e.causation_id, e.command_id, e.recorded_at, e.prevhash, e.hash,"
    " e.business_date, e.is_backdated"
)
# The rows one append writes: what differs per event travels as one JSON array (one
# parameter, parsed by PostgreSQL) and what every event shares as plain parameters —
# fifteen array parameters cost the client an `isinstance` per element to encode.
INSERT_EVENTS = (
    "INSERT INTO events (event_id, stream_id, category, version, event_type,"
    " schema_version, data, actor, actor_unit, correlation_id, causation_id,"
    " command_id, recorded_at, prevhash, hash, tag, tag_mac, tag_kid, business_date,"
    " is_backdated)"
    " SELECT u.e, $2::text, $3::text, u.v, u.t, u.sv, u.d, $4::text, $5::text, $6::text,"
    " $7::text, $8::uuid, $9::timestamptz, u.p, u.h, u.g, u.m,"
    " $10::text, u.bd, u.bk"
    " FROM json_to_recordset($1::text::json)"
    " AS u(e uuid, v int, t text, sv int, d jsonb, p text, h text, g text,"
    " m text, bd date, bk boolean)"
    " ORDER BY u.v RETURNING position"
)

# A stream's snapshot (if its fingerprint matches) and the events after it, in one
# read of only what replay needs; event data stays JSON text, which the event classes
# parse themselves (faster than decoding to dicts first).
LOAD_WITH_SNAPSHOT = (
    "WITH s AS (SELECT version, hash, state FROM snapshots"
    " WHERE stream_id = $1 AND fingerprint = $2)"
    " SELECT s.version, NULL::text AS event_type, NULL::int AS schema_version,"
    " NULL::text AS data, s.hash, s.state AS snapshot FROM s"
    " UNION ALL SELECT e.version, e.event_type, e.schema_version, e.data::text,"
    " e.hash, NULL::jsonb FROM events e"
    " WHERE e.stream_id = $1 AND e.version > coalesce((SELECT version FROM s), 0)"
    " ORDER BY version"
)

# Stream reads also say where each event stands in the published order, once it does.
WITH_SEQUENCE = (
    f"SELECT {COLUMNS}, s.sequence FROM events e"  # noqa: S608 - constant columns
    " LEFT JOIN event_sequence s ON s.position = e.position"
)
