"""The delivery loop: for each active subscription, the next event of the service's
published order it wants is POSTed to its URL — the CloudEvent, byte for byte the line
`GET /events` serves, signed (shared.webhooks.signing). The checkpoint moves past an
event only after a 2xx, so delivery is at least once; one event is in flight per
subscription, so a subscriber sees every stream (indeed the whole order) in order.

A failed try is repeated after a backoff that doubles; after the last try the event
becomes a dead letter and the subscription is parked at it rather than skip it (which
would break the order of its stream) until a replay resumes it. Each step holds its
subscription's row lock (SKIP LOCKED), so replicas never deliver one side by side."""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from dataclasses import dataclass

import asyncpg
import httpx
import structlog

from shared.db import DbConnection
from shared.errors import InvalidInput
from shared.log_json import published_lines
from shared.loops import LoopState, LoopStatus
from shared.settings import ServiceSettings
from shared.webhooks.signing import DELIVERY_HEADER, SIGNATURE_HEADER, signature
from shared.webhooks.subscriptions import ALL_TYPES, Profile
from shared.webhooks.targets import check_resolved

log = structlog.get_logger()

_DUE = (
    "SELECT id FROM subscriptions WHERE state = 'active'"
    " AND (next_attempt_at IS NULL OR next_attempt_at <= now())"
    " AND next_sequence <= (SELECT coalesce(max(sequence), 0) FROM event_sequence)"
    " ORDER BY id"
)
_TAKE = (
    "SELECT id, url, event_types, profile, secret, next_sequence, attempts"
    " FROM subscriptions WHERE id = $1 AND state = 'active'"
    " AND (next_attempt_at IS NULL OR next_attempt_at <= now())"
    " FOR UPDATE SKIP LOCKED"
)
_ADVANCE = (
    "UPDATE subscriptions SET next_sequence = $2, attempts = 0,"
    " next_attempt_at = NULL, last_error = NULL WHERE id = $1"
)
_RETRY = (
    "UPDATE subscriptions SET attempts = $2, last_error = $3,"
    " next_attempt_at = now() + make_interval(secs => $4) WHERE id = $1"
)
_PARK = (
    "UPDATE subscriptions SET state = 'parked', attempts = $2, last_error = $3,"
    " next_attempt_at = NULL WHERE id = $1"
)
_DEAD_LETTER = (
    "INSERT INTO subscription_dead_letters (subscription_id, sequence, event_id,"
    " event_type, stream_id, delivery_id, attempts, error, dead_at)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, now())"
)
# Events read at once while looking for the next one a subscription wants.
_PAGE = 200
# Subscriptions served side by side (each holds a connection while its POST runs).
_SIDE_BY_SIDE = 4


@dataclass(frozen=True)
class DeliveryRules:
    """How a service delivers: whose events, which types the restricted profile
    shows, tries, backoff, timeout, whether local targets are allowed."""

    source: str
    service: str
    restricted_types: frozenset[str]
    max_attempts: int
    retry_first: float
    retry_max: float
    timeout: float
    allow_local: bool
    poll: float

    @classmethod
    def of(
        cls, settings: ServiceSettings, restricted_types: frozenset[str]
    ) -> DeliveryRules:
        """The rules the service's WEBHOOK_* settings give."""
        return cls(
            source=settings.source,
            service=settings.service,
            restricted_types=restricted_types,
            max_attempts=settings.webhook_max_attempts,
            retry_first=settings.webhook_retry_first_seconds,
            retry_max=settings.webhook_retry_max_seconds,
            timeout=settings.webhook_timeout_seconds,
            allow_local=settings.webhook_allow_local_targets,
            poll=settings.webhook_poll_seconds,
        )

    def retry_in(self, attempts: int) -> float:
        """Seconds before the next try after `attempts` failed ones."""
        return float(min(self.retry_first * 2 ** (attempts - 1), self.retry_max))

    def wants(self, subscription: asyncpg.Record, event_type: str) -> bool:
        """Whether the subscription asked for the type and its profile shows it."""
        types = subscription["event_types"]
        if ALL_TYPES not in types and event_type not in types:
            return False
        return (
            subscription["profile"] == Profile.INTERNAL
            or event_type in self.restricted_types
        )


@dataclass(frozen=True)
class Pending:
    """An event to deliver: its place in the order, its ids and its CloudEvent."""

    sequence: int
    event_id: uuid.UUID
    event_type: str
    stream_id: str
    body: bytes


def headers(secret: str, event: Pending, delivery: uuid.UUID) -> dict[str, str]:
    """A delivery's headers: content type, signature, delivery id, the event's id."""
    return {
        "Content-Type": "application/cloudevents+json; charset=utf-8",
        SIGNATURE_HEADER: signature(secret, event.body, int(time.time())),
        DELIVERY_HEADER: str(delivery),
        "ce-id": str(event.event_id),
        "User-Agent": "qingqian-webhooks/1",
    }


class WebhookDelivery:
    """The service's webhook loop (run under `supervise`)."""

    def __init__(self, pool: asyncpg.Pool, rules: DeliveryRules) -> None:
        self.pool = pool
        self.rules = rules
        self.status = LoopStatus("webhooks")
        self._slots = asyncio.Semaphore(_SIDE_BY_SIDE)

    async def run(self) -> None:
        """Deliver until stopped; wait `poll` seconds whenever nothing moved."""
        async with httpx.AsyncClient(
            timeout=self.rules.timeout, follow_redirects=False, trust_env=False
        ) as client:
            self.status.set(LoopState.RUNNING)
            while True:
                if not await self.deliver_once(client):
                    await asyncio.sleep(self.rules.poll)

    async def deliver_once(self, client: httpx.AsyncClient) -> bool:
        """One step of every due subscription, side by side; whether any moved on."""
        due = [row["id"] for row in await self.pool.fetch(_DUE)]
        moved = await asyncio.gather(*(self._step(client, i) for i in due))
        return any(moved)

    async def _step(
        self, client: httpx.AsyncClient, subscription_id: uuid.UUID
    ) -> bool:
        """Deliver the subscription's next wanted event, if any; whether it moved on."""
        async with (
            self._slots,
            self.pool.acquire() as conn,
            conn.transaction(),
        ):
            subscription = await conn.fetchrow(_TAKE, subscription_id)
            if subscription is None:
                return False
            event, after = await self._next_wanted(conn, subscription)
            if event is None:
                if after == subscription["next_sequence"]:
                    return False
                await conn.execute(_ADVANCE, subscription_id, after)
                return True
            delivery = uuid.uuid4()
            error = await self._post(client, subscription, event, delivery)
            if error is None:
                await conn.execute(_ADVANCE, subscription_id, event.sequence + 1)
                return True
            await self._failed(conn, subscription, event, delivery, error)
            return False

    async def _next_wanted(
        self, conn: DbConnection, subscription: asyncpg.Record
    ) -> tuple[Pending | None, int]:
        """The first wanted event from the checkpoint on (within a page), and the
        checkpoint past the unwanted ones read before it."""
        after = subscription["next_sequence"]
        lines = await published_lines(
            conn,
            source=self.rules.source,
            service=self.rules.service,
            after_sequence=after - 1,
            limit=_PAGE,
        )
        for line in lines.splitlines():
            envelope = json.loads(line)
            if self.rules.wants(subscription, envelope["type"]):
                return Pending(
                    sequence=envelope["sequence"],
                    event_id=uuid.UUID(envelope["id"]),
                    event_type=envelope["type"],
                    stream_id=envelope["subject"],
                    body=line,
                ), after
            after = envelope["sequence"] + 1
        return None, after

    async def _post(
        self,
        client: httpx.AsyncClient,
        subscription: asyncpg.Record,
        event: Pending,
        delivery: uuid.UUID,
    ) -> str | None:
        """POST the event; None after a 2xx, else what went wrong (no URL, no body)."""
        url = subscription["url"]
        try:
            await check_resolved(url, allow_local=self.rules.allow_local)
            answer = await client.post(
                url,
                content=event.body,
                headers=headers(subscription["secret"], event, delivery),
            )
        except InvalidInput as refused:
            return refused.detail
        except (httpx.HTTPError, OSError) as failed:
            return type(failed).__name__
        if 200 <= answer.status_code < 300:
            return None
        return f"HTTP {answer.status_code}"

    async def _failed(
        self,
        conn: DbConnection,
        subscription: asyncpg.Record,
        event: Pending,
        delivery: uuid.UUID,
        error: str,
    ) -> None:
        """Count the try: wait and try again, or after the last, park at a dead letter."""
        attempts = subscription["attempts"] + 1
        sid = subscription["id"]
        if attempts < self.rules.max_attempts:
            wait = self.rules.retry_in(attempts)
            await conn.execute(_RETRY, sid, attempts, error, wait)
            log.warning(
                "webhook_delivery_failed",
                subscription=str(sid),
                sequence=event.sequence,
                attempts=attempts,
                error=error,
                retry_in=wait,
            )
            return
        await conn.execute(_PARK, sid, attempts, error)
        await conn.execute(
            _DEAD_LETTER,
            sid,
            event.sequence,
            event.event_id,
            event.event_type,
            event.stream_id,
            delivery,
            attempts,
            error,
        )
        log.warning(
            "webhook_parked",
            subscription=str(sid),
            sequence=event.sequence,
            error=error,
        )
