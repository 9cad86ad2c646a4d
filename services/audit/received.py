"""Storing the events of one partition's batch as received, a few statements per
batch rather than per event: new ones inserted, copies recognised, each stream's head
read and written once."""

from __future__ import annotations

from collections.abc import Sequence

from services.audit.checks import Finding, FindingKind, StreamHead
from services.audit.facts import uscc_in
from shared.business_date import business_date
from shared.db import DbConnection
from shared.envelope import Envelope

_INSERT = (
    "INSERT INTO audit_events (service, position, sequence, stream_id, version,"
    " event_type, schema_version, recorded_at, business_date, actor, actor_unit,"
    " correlation_id, causation_id, uscc, hash, prevhash, envelope)"
    " SELECT $1, e.* FROM unnest($2::bigint[], $3::bigint[], $4::text[],"
    " $5::integer[], $6::text[], $7::integer[], $8::timestamptz[], $9::date[],"
    " $10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $15::text[],"
    " $16::text[], $17::text[]::jsonb[]) AS e"
    " ON CONFLICT (service, position) DO NOTHING RETURNING position"
)


async def store_events(
    conn: DbConnection, service: str, batch: Sequence[tuple[Envelope, bytes]]
) -> tuple[list[Envelope], list[Finding]]:
    """Insert the events not received before; returns the new ones in batch order,
    and a finding for each that differs from the event received at its position."""
    unique: dict[int, tuple[Envelope, bytes]] = {}
    found: list[Finding] = []
    for event, raw in batch:
        first = unique.setdefault(event.position, (event, raw))[0]
        if first.hash != event.hash:
            found.append(_conflict(event))
    rows = list(unique.values())
    columns = _columns(rows)
    inserted = {r["position"] for r in await conn.fetch(_INSERT, service, *columns)}
    again = [e for e, _ in rows if e.position not in inserted]
    if again:
        earlier = {
            r["position"]: r["hash"]
            for r in await conn.fetch(
                "SELECT position, hash FROM audit_events WHERE service = $1"
                " AND position = ANY($2::bigint[])",
                service,
                [e.position for e in again],
            )
        }
        found += [_conflict(e) for e in again if earlier.get(e.position) != e.hash]
    new = [e for e, _ in rows if e.position in inserted]
    await _index_usccs(conn, service, new)
    return new, found


def _columns(rows: Sequence[tuple[Envelope, bytes]]) -> list[list[object]]:
    events = [e for e, _ in rows]
    return [
        [e.position for e in events],
        [e.sequence for e in events],
        [e.subject for e in events],
        [e.streamversion for e in events],
        [e.event_type for e in events],
        [e.schema_version for e in events],
        [e.time for e in events],
        [business_date(e.data) for e in events],
        [e.actor for e in events],
        [e.actorunit for e in events],
        [e.correlationid for e in events],
        [e.causationid for e in events],
        [uscc_in(e.data) for e in events],
        [e.hash for e in events],
        [e.prevhash for e in events],
        [raw.decode() for _, raw in rows],
    ]


def _conflict(event: Envelope) -> Finding:
    return Finding(
        FindingKind.CONFLICTING_EVENT,
        "two different events were published at one position",
        stream_id=event.subject,
        version=event.streamversion,
        position=event.position,
        sequence=event.sequence,
    )


async def _index_usccs(
    conn: DbConnection, service: str, events: list[Envelope]
) -> None:
    named = {(u, e.subject) for e in events if (u := uscc_in(e.data)) is not None}
    if named:
        await conn.execute(
            "INSERT INTO audit_stream_usccs (uscc, service, stream_id)"
            " SELECT u, $1, s FROM unnest($2::text[], $3::text[]) AS n(u, s)"
            " ON CONFLICT DO NOTHING",
            service,
            [u for u, _ in named],
            [s for _, s in named],
        )


async def stream_heads(
    conn: DbConnection, service: str, streams: set[str]
) -> dict[str, StreamHead]:
    """The head of each of the streams received so far."""
    rows = await conn.fetch(
        "SELECT stream_id, version, hash FROM audit_streams WHERE service = $1"
        " AND stream_id = ANY($2::text[])",
        service,
        list(streams),
    )
    return {r["stream_id"]: StreamHead(r["version"], r["hash"]) for r in rows}


async def save_heads(
    conn: DbConnection, service: str, heads: dict[str, StreamHead]
) -> None:
    """Write the streams' new heads."""
    if not heads:
        return
    await conn.execute(
        "INSERT INTO audit_streams (service, stream_id, version, hash)"
        " SELECT $1, s, v, h FROM unnest($2::text[], $3::integer[], $4::text[])"
        " AS n(s, v, h) ON CONFLICT (service, stream_id)"
        " DO UPDATE SET version = excluded.version, hash = excluded.hash",
        service,
        list(heads),
        [h.version for h in heads.values()],
        [h.hash for h in heads.values()],
    )
