"""Where a projection stands against its sources' real ends: its stored offsets, the
broker's end offsets (asked afresh by the runner), and for the service's own topic what
the relay recorded as published. A broker that lost what the projection read shows
here as an end below the stored offset, or as a relay epoch the projection has not
followed."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import asyncpg
from aiokafka import TopicPartition


@dataclass(frozen=True)
class Stored:
    """A partition's next offset to read, saved with the read model, and its epoch."""

    next_offset: int
    epoch: str


@dataclass(frozen=True)
class Published:
    """What the relay recorded of its topic: its epoch and each partition's end."""

    epoch: str
    ends: dict[int, int]


async def stored_offsets(
    pool: asyncpg.Pool, projection: str
) -> dict[TopicPartition, Stored]:
    """The projection's saved offsets per partition."""
    rows = await pool.fetch(
        "SELECT topic, partition, next_offset, epoch FROM projection_offsets"
        # A negative partition is a catch-up's place in a producer's published order.
        " WHERE projection = $1 AND partition >= 0",
        projection,
    )
    return {
        TopicPartition(r["topic"], r["partition"]): Stored(r["next_offset"], r["epoch"])
        for r in rows
    }


async def published(pool: asyncpg.Pool, topics: Iterable[str]) -> dict[str, Published]:
    """The relay's record of those of the topics this database's relay publishes."""
    rows = await pool.fetch(
        "SELECT topic, epoch, partition_offsets FROM relay_state WHERE topic = any($1)",
        list(topics),
    )
    return {
        r["topic"]: Published(
            str(r["epoch"]),
            {
                int(p): int(last[0]) + 1
                for p, last in dict(r["partition_offsets"]).items()
            },
        )
        for r in rows
    }


def is_truncated(stored: Stored | None, end: int) -> bool:
    """Whether the partition ends before what the projection read: the broker lost its
    data (or the topic was made again) and holds fewer messages than were read."""
    return stored is not None and stored.next_offset > end


def has_new_epoch(stored: Stored | None, relay: Published | None) -> bool:
    """Whether the relay publishes under an epoch other than the one last read."""
    return (
        stored is not None
        and relay is not None
        and bool(stored.epoch)
        and stored.epoch != relay.epoch
    )


def lag_of(
    tp: TopicPartition,
    stored: Stored | None,
    end: int | None,
    relay: Published | None,
) -> int:
    """Messages of the partition still to read: to the broker's end and, for the
    relay's own topic, to what it recorded as published (all of it under an epoch the
    projection has not read yet: dedupe skips what was applied). An end below the
    stored offset says nothing here: it was asked before the last batches (a standby's
    view of the leader), or the runner sets the offset back at that same check."""
    done = stored.next_offset if stored else 0
    lag = 0
    if end is not None:
        lag = end - done
    if relay is not None:
        relay_end = relay.ends.get(tp.partition, 0)
        behind = relay_end if has_new_epoch(stored, relay) else relay_end - done
        lag = max(lag, behind)
    return max(lag, 0)
