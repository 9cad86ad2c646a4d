"""Audit's one way in: every followed service's events and seals topics, read from
Kafka alone. Each partition's batch is stored, checked (`checks`) and its findings
recorded in one transaction with the partition's next offset; an event or seal
received twice (the relay publishes at least once, and again after the broker lost
its data) is stored and checked once."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from typing import TypeAlias

import asyncpg
import structlog
from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from pydantic import ValidationError

from services.audit.checks import (
    Finding,
    FindingKind,
    StreamHead,
    check_event,
    check_seal,
)
from services.audit.findings import EVENTS_CHECKED, SEALS_CHECKED, record_findings
from services.audit.keys import KeyPins
from services.audit.received import save_heads, store_events, stream_heads
from services.audit.settings import AuditSettings
from shared.anchors import parse_seal
from shared.db import DbConnection
from shared.envelope import Envelope
from shared.kafka import stop_within, topic_partitions
from shared.loops import LoopState, LoopStatus
from shared.store import EventStore
from shared.tree_head import Seal

log = structlog.get_logger()

Record: TypeAlias = "ConsumerRecord[bytes, bytes]"
_ASSIGN_EVERY = 2.0


class Ingest:
    """Follows the topics of `settings.audited_services` into audit's store."""

    def __init__(
        self,
        pool: asyncpg.Pool,
        store: EventStore,
        settings: AuditSettings,
        pins: KeyPins,
    ) -> None:
        self.pool = pool
        self.store = store
        self.settings = settings
        self.pins = pins
        self.topics = {
            settings.topic(service, kind): (service, kind)
            for service in settings.audited_services
            for kind in ("events", "seals")
        }
        self.status = LoopStatus(name="audit_ingest")

    async def run(self) -> None:
        """Consume until cancelled; raises what it cannot handle (supervised)."""
        assert self.settings.kafka_bootstrap is not None  # noqa: S101 - resolved
        consumer = AIOKafkaConsumer(
            bootstrap_servers=self.settings.kafka_bootstrap,
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            fetch_max_wait_ms=100,
        )
        admin = AIOKafkaAdminClient(
            bootstrap_servers=self.settings.kafka_bootstrap, request_timeout_ms=10_000
        )
        try:
            # Inside the try: a start cancelled half-way must still be closed.
            await admin.start()
            await consumer.start()
            self.status.set(LoopState.RUNNING)
            assigned: set[TopicPartition] = set()
            last_assign = 0.0
            while True:
                if time.monotonic() - last_assign > _ASSIGN_EVERY:
                    assigned = await self._assign(consumer, admin, assigned)
                    last_assign = time.monotonic()
                if not assigned:
                    await asyncio.sleep(0.2)
                    continue
                batch = await consumer.getmany(
                    timeout_ms=200, max_records=self.settings.ingest_batch_size
                )
                for tp, records in batch.items():
                    await self.apply(tp, records)
        finally:
            await admin.close()
            await stop_within(consumer.stop(), seconds=5.0)

    async def _assign(
        self,
        consumer: AIOKafkaConsumer,
        admin: AIOKafkaAdminClient,
        assigned: set[TopicPartition],
    ) -> set[TopicPartition]:
        """Every partition of the followed topics that exist, at the stored offsets."""
        wanted = {
            TopicPartition(topic, partition)
            for topic in self.topics
            for partition in await topic_partitions(admin, topic)
        }
        if wanted == assigned:
            return assigned
        consumer.assign(list(wanted))
        stored = {
            (r["topic"], r["partition"]): r["next_offset"]
            for r in await self.pool.fetch("SELECT * FROM audit_offsets")
        }
        for tp in wanted:
            offset = stored.get((tp.topic, tp.partition))
            if offset is None:
                await consumer.seek_to_beginning(tp)
            else:
                consumer.seek(tp, offset)
        log.info("audit_partitions_assigned", count=len(wanted))
        return wanted

    async def apply(self, tp: TopicPartition, records: Sequence[Record]) -> None:
        """Store and check one partition's batch with its offset, in one transaction."""
        if not records:
            return
        service, kind = self.topics[tp.topic]
        async with self.pool.acquire() as conn, conn.transaction():
            # One batch of a partition at a time. Records before the stored offset are
            # not dropped: they come only when the broker lost the partition and the
            # relay published it again, and storing is idempotent by content.
            await conn.execute(
                "SELECT pg_advisory_xact_lock(hashtext($1), $2)", tp.topic, tp.partition
            )
            try:
                async with conn.transaction():
                    findings = await self._check(conn, service, kind, records)
            except asyncpg.DataError:
                # A message the database cannot hold (a number out of range, a NUL
                # in a text): one at a time, so only that one is left out.
                findings = await self._one_by_one(conn, service, kind, records)
            await record_findings(conn, self.store, service, findings)
            await conn.execute(
                "INSERT INTO audit_offsets (topic, partition, next_offset)"
                " VALUES ($1, $2, $3) ON CONFLICT (topic, partition)"
                " DO UPDATE SET next_offset = excluded.next_offset",
                tp.topic,
                tp.partition,
                records[-1].offset + 1,
            )

    async def _check(
        self, conn: DbConnection, service: str, kind: str, records: Sequence[Record]
    ) -> list[Finding]:
        if kind == "events":
            return await self._events(conn, service, records)
        return await self._seals(conn, service, records)

    async def _one_by_one(
        self, conn: DbConnection, service: str, kind: str, records: Sequence[Record]
    ) -> list[Finding]:
        found: list[Finding] = []
        for record in records:
            try:
                async with conn.transaction():
                    found += await self._check(conn, service, kind, [record])
            except asyncpg.DataError:
                found.append(_unreadable(record, "a message audit cannot store"))
        return found

    async def _events(
        self, conn: DbConnection, service: str, records: Sequence[Record]
    ) -> list[Finding]:
        found: list[Finding] = []
        batch: list[tuple[Envelope, bytes]] = []
        for record in records:
            try:
                event = Envelope.model_validate_json(record.value or b"")
                event.event_type  # noqa: B018 - raises on a type not ours
            except (ValidationError, ValueError):
                found.append(_unreadable(record, "not a Qingqian CloudEvent"))
                continue
            batch.append((event, record.value or b""))
        new, conflicts = await store_events(conn, service, batch)
        found += conflicts
        heads: dict[str, StreamHead | None] = dict(
            await stream_heads(conn, service, {e.subject for e in new})
        )
        moved: dict[str, StreamHead] = {}
        for event in new:
            problems, head = check_event(event, heads.get(event.subject))
            found += problems
            if head is not None:
                heads[event.subject] = moved[event.subject] = head
        await save_heads(conn, service, moved)
        EVENTS_CHECKED.labels(service=service).inc(len(records))
        return found

    async def _seals(
        self, conn: DbConnection, service: str, records: Sequence[Record]
    ) -> list[Finding]:
        seals = [(r, parse_seal(r.value or b"")) for r in records]
        kids = {s.key_id for _, s in seals if s is not None}
        found = await self.pins.prepare(conn, service, kids)
        trust = await self.pins.trust(conn, service)
        row = await conn.fetchrow(
            "SELECT body FROM audit_seal_heads WHERE service = $1 FOR UPDATE", service
        )
        head = None if row is None else Seal.model_validate(row["body"])
        for record, seal in seals:
            if seal is None:
                # A seal over a block (before tree heads) or not a seal at all.
                log.info("audit_seal_skipped", followed=service, offset=record.offset)
                continue
            others = await _known_seals(conn, service, seal)
            if any(other.seal_hash == seal.seal_hash for other in others):
                continue
            problems, new_head = check_seal(seal, head=head, others=others, trust=trust)
            found += problems
            is_invalid = any(p.kind is FindingKind.SEAL_INVALID for p in problems)
            await _store_seal(conn, service, seal, record, is_invalid=is_invalid)
            if new_head is not None:
                head = new_head
                await conn.execute(
                    "INSERT INTO audit_seal_heads (service, body) VALUES ($1, $2)"
                    " ON CONFLICT (service) DO UPDATE SET body = excluded.body",
                    service,
                    head.model_dump(mode="json"),
                )
        SEALS_CHECKED.labels(service=service).inc(len(records))
        return found


def _unreadable(record: Record, why: str) -> Finding:
    return Finding(
        FindingKind.UNREADABLE,
        f"{why}: offset {record.offset} of partition {record.partition}",
    )


async def _known_seals(conn: DbConnection, service: str, seal: Seal) -> list[Seal]:
    """The seal if received before, and the seals with its number or tree size
    that did not fail."""
    rows = await conn.fetch(
        "SELECT body FROM audit_seals WHERE service = $1 AND (seal_hash = $2"
        " OR status <> 'failed' AND (seal_no = $3 OR tree_size = $4))",
        service,
        seal.seal_hash,
        seal.seal_no,
        seal.tree_size,
    )
    return [Seal.model_validate(r["body"]) for r in rows]


async def _store_seal(
    conn: DbConnection, service: str, seal: Seal, record: Record, *, is_invalid: bool
) -> None:
    await conn.execute(
        "INSERT INTO audit_seals (service, seal_hash, seal_no, tree_size, root_hash,"
        " body, status) VALUES ($1, $2, $3, $4, $5, $6::text::jsonb, $7)"
        " ON CONFLICT (service, seal_hash) DO NOTHING",
        service,
        seal.seal_hash,
        seal.seal_no,
        seal.tree_size,
        seal.root_hash,
        (record.value or b"").decode(),
        "failed" if is_invalid else "pending",
    )
