"""Subscriptions: who registered which URL for which events under which profile, and
where each stands in the published order; the SQL that keeps them."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated

import asyncpg
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from shared.errors import NotFound

ALL_TYPES = "*"
EventTypeName = Annotated[
    str,
    StringConstraints(pattern=r"^(\*|qingqian\.[a-z]+\.[A-Za-z]+\.v[0-9]{1,4})$"),
]


class Profile(StrEnum):
    """What a subscriber may see: `restricted`, the event types the service lets other
    agencies read (its allow-list); `internal`, all of its events (office only)."""

    RESTRICTED = "restricted"
    INTERNAL = "internal"


class SubscriptionState(StrEnum):
    """`active` delivers; `parked` stopped at an event it could not deliver."""

    ACTIVE = "active"
    PARKED = "parked"


class NewSubscription(BaseModel):
    """A webhook to register: where, which event types (`["*"]`: all the profile
    shows), which profile, and optionally the signing secret (one is made otherwise)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    url: str = Field(min_length=1, max_length=2000)
    event_types: tuple[EventTypeName, ...] = Field(min_length=1, max_length=200)
    profile: Profile = Profile.RESTRICTED
    secret: str | None = Field(default=None, min_length=24, max_length=200)


class Replay(BaseModel):
    """Where a replay starts: a `sequence` of the published order (the CloudEvent's
    `sequence` attribute); every wanted event from there is delivered again."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    from_sequence: int = Field(ge=1, le=10**18)


class SubscriptionView(BaseModel):
    """A subscription and where its deliveries stand (never its secret)."""

    id: uuid.UUID
    url: str
    event_types: list[str]
    profile: Profile
    created_by: str
    created_at: datetime
    next_sequence: int
    state: SubscriptionState
    attempts: int
    next_attempt_at: datetime | None
    last_error: str | None


class CreatedSubscriptionView(SubscriptionView):
    """A new subscription with its signing secret: shown this once."""

    secret: str


class DeadLetterView(BaseModel):
    """An event a subscription gave up on after its last try, and why."""

    id: int
    sequence: int
    event_id: uuid.UUID
    event_type: str
    stream_id: str
    delivery_id: uuid.UUID
    attempts: int
    error: str
    dead_at: datetime


_COLUMNS = (
    "id, url, event_types, profile, created_by, created_at, next_sequence, state,"
    " attempts, next_attempt_at, last_error"
)


async def insert(
    pool: asyncpg.Pool, new: NewSubscription, *, secret: str, created_by: str
) -> CreatedSubscriptionView:
    """Stores the subscription; it starts after the published order's current end."""
    row = await pool.fetchrow(
        "INSERT INTO subscriptions (id, url, event_types, profile, secret, created_by,"  # noqa: S608 - constant columns
        " created_at, next_sequence, state) SELECT $1, $2, $3, $4, $5, $6, $7,"
        " coalesce(max(sequence), 0) + 1, 'active' FROM event_sequence"
        f" RETURNING {_COLUMNS}",
        uuid.uuid4(),
        new.url,
        list(new.event_types),
        new.profile.value,
        secret,
        created_by,
        datetime.now(UTC),
    )
    assert row is not None  # noqa: S101 - INSERT … SELECT of an aggregate: one row
    return CreatedSubscriptionView(**dict(row), secret=secret)


async def find(pool: asyncpg.Pool, subscription_id: uuid.UUID) -> SubscriptionView:
    """The subscription; NotFound if there is none."""
    row = await pool.fetchrow(
        f"SELECT {_COLUMNS} FROM subscriptions WHERE id = $1",  # noqa: S608 - constant
        subscription_id,
    )
    if row is None:
        raise NotFound(f"no subscription {subscription_id}")
    return SubscriptionView(**dict(row))


async def listed(pool: asyncpg.Pool, created_by: str | None) -> list[SubscriptionView]:
    """Every subscription, or those `created_by` made, oldest first."""
    rows = await pool.fetch(
        f"SELECT {_COLUMNS} FROM subscriptions"  # noqa: S608 - constant columns
        " WHERE $1::text IS NULL OR created_by = $1 ORDER BY created_at, id",
        created_by,
    )
    return [SubscriptionView(**dict(r)) for r in rows]


async def delete(pool: asyncpg.Pool, subscription_id: uuid.UUID) -> None:
    """Removes the subscription and its dead letters; nothing more is sent."""
    await pool.execute("DELETE FROM subscriptions WHERE id = $1", subscription_id)


async def replay(
    pool: asyncpg.Pool, subscription_id: uuid.UUID, from_sequence: int
) -> SubscriptionView:
    """Moves the checkpoint to `from_sequence` and makes a parked subscription active
    again, its tries counted afresh."""
    row = await pool.fetchrow(
        "UPDATE subscriptions SET next_sequence = $2, state = 'active', attempts = 0,"  # noqa: S608 - constant columns
        f" next_attempt_at = NULL WHERE id = $1 RETURNING {_COLUMNS}",
        subscription_id,
        from_sequence,
    )
    if row is None:
        raise NotFound(f"no subscription {subscription_id}")
    return SubscriptionView(**dict(row))


async def dead_letters(
    pool: asyncpg.Pool, subscription_id: uuid.UUID, limit: int
) -> list[DeadLetterView]:
    """The subscription's dead letters, newest first."""
    rows = await pool.fetch(
        "SELECT id, sequence, event_id, event_type, stream_id, delivery_id, attempts,"
        " error, dead_at FROM subscription_dead_letters WHERE subscription_id = $1"
        " ORDER BY id DESC LIMIT $2",
        subscription_id,
        limit,
    )
    return [DeadLetterView(**dict(r)) for r in rows]
