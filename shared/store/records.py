"""What the event store takes and gives: metadata, stored events, snapshots, results."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import asyncpg
from pydantic import BaseModel

from shared.errors import IdempotencyKeyReused


@dataclass(frozen=True)
class EventMetadata:
    """Who did it and why: copied into every event the command appends."""

    actor: str
    actor_unit: str
    correlation_id: str
    causation_id: str | None = None
    command_id: uuid.UUID | None = None


@dataclass(frozen=True)
class Recorded:
    """An event as stored, with its envelope fields."""

    position: int
    txid: int
    event_id: uuid.UUID
    stream_id: str
    version: int
    event_type: str
    schema_version: int
    data: dict[str, Any]
    actor: str
    actor_unit: str
    correlation_id: str
    causation_id: str | None
    command_id: uuid.UUID | None
    recorded_at: datetime
    prevhash: str
    hash: str
    sequence: int | None = None
    # The day the data says it happened, and whether it was recorded more than
    # BACKDATED_AFTER_DAYS later (shared.business_date); outside the hash.
    business_date: date | None = None
    is_backdated: bool = False

    @property
    def category(self) -> str:
        """Text before the first `-` of the stream id."""
        return self.stream_id.split("-", 1)[0]


@dataclass(frozen=True, slots=True)
class StoredEvent:
    """An event as replay needs it: type, schema version and data as the stored JSON
    text; and the version and hash it leaves its stream at."""

    version: int
    event_type: str
    schema_version: int
    data_json: str
    hash: str


@dataclass(frozen=True)
class Snapshot:
    """A stream's state at `version`, whose last event has `hash`."""

    version: int
    hash: str
    state: dict[str, Any]


class Appended(BaseModel):
    """The result of a command: the stream's new version and the last event's position."""

    stream: str
    version: int
    position: int | None


@dataclass(frozen=True, order=True)
class Cursor:
    """A place in commit order: (transaction id, position)."""

    txid: int = 0
    position: int = 0


def recorded_from(row: asyncpg.Record) -> Recorded:
    return Recorded(
        position=row["position"],
        txid=row["txid"],
        event_id=row["event_id"],
        stream_id=row["stream_id"],
        version=row["version"],
        event_type=row["event_type"],
        schema_version=row["schema_version"],
        data=row["data"],
        actor=row["actor"],
        actor_unit=row["actor_unit"],
        correlation_id=row["correlation_id"],
        causation_id=row["causation_id"],
        command_id=row["command_id"],
        recorded_at=row["recorded_at"],
        prevhash=row["prevhash"],
        hash=row["hash"],
        sequence=row.get("sequence"),
        business_date=row["business_date"],
        is_backdated=row["is_backdated"],
    )


def first_result(
    row: asyncpg.Record, command_id: uuid.UUID, stream_id: str, digest: str
) -> Appended:
    if row["stream_id"] != stream_id or row["digest"] != digest:
        raise IdempotencyKeyReused(str(command_id))
    return Appended(
        stream=stream_id, version=row["last_version"], position=row["last_position"]
    )
