"""What an attacker with a database account but no signing key can do: insert an event
whose hash chain is recomputed by the public algorithm (docs/log-format.md)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import asyncpg

from shared.chain import GENESIS, Signer, event_hash, tag_message


async def insert_forged(
    pool: asyncpg.Pool,
    stream_id: str,
    event_type: str,
    data: dict[str, Any],
    *,
    signer: Signer | None = None,
) -> int:
    """A plain INSERT of the stream's next event, chained to its head with a correct
    hash; tagged with `signer` if given (a key the service does not know), else not at
    all. Returns its position."""
    head = await pool.fetchrow(
        "SELECT version, hash FROM events WHERE stream_id = $1"
        " ORDER BY version DESC LIMIT 1",
        stream_id,
    )
    version = (head["version"] if head else 0) + 1
    prevhash = head["hash"] if head else GENESIS
    event_id = uuid.uuid4()
    now = datetime.now(UTC)
    digest = event_hash(
        event_id=str(event_id),
        stream_id=stream_id,
        version=version,
        event_type=event_type,
        schema_version=1,
        recorded_at=now,
        data=data,
        actor="forger",
        actor_unit="rsj",
        correlation_id="forged",
        causation_id=None,
        prevhash=prevhash,
    )
    position = await pool.fetchval(
        "INSERT INTO events (event_id, stream_id, category, version, event_type,"
        " schema_version, data, actor, actor_unit, correlation_id, recorded_at,"
        " prevhash, hash, tag, tag_kid) VALUES ($1, $2, $3, $4, $5, 1, $6, 'forger',"
        " 'rsj', 'forged', $7, $8, $9, $10, $11) RETURNING position",
        event_id,
        stream_id,
        stream_id.split("-", 1)[0],
        version,
        event_type,
        data,
        now,
        prevhash,
        digest,
        None if signer is None else signer.sign(tag_message(digest)),
        None if signer is None else signer.key_id,
    )
    return int(position)
