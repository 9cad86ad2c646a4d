"""Audit fed from real topics: a genuine log written by the kernel and published by a
real relay, copies of it tampered with on purpose on topics of their own, and the
audit service following them all with the genuine key pinned."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest_asyncio
from aiokafka import AIOKafkaProducer

from services.audit.app import create_app
from services.audit.settings import AuditSettings
from shared.auth import Actor
from shared.chain import Ed25519Signer, event_hash, sha256_hex
from shared.db import create_pool
from shared.domain import Role
from shared.handling import CommandContext, execute
from shared.merkle import root_of
from shared.relay import Relay
from shared.relay.topics import ensure_topics
from shared.store import EventStore
from shared.tree_head import event_leaf, tree_head_bytes
from shared.trust import Jwks
from tests.conftest import clone_database
from tests.kafka_reader import read_topic
from tests.service_server import LocalServers, new_token_maker, serving
from tests.support import LEDGER, AddAmount, add_amount, eventually, stream

TOKENS = new_token_maker()
AUDITOR = TOKENS.headers(Role.AUDITOR)
DISTRICT_FILE = Path("deploy/district.toml").resolve()
SIGNER = Ed25519Signer.generate()
# The tampered copies, each on topics of its own; `genuine`, `alpha` and `beta` are
# published by the relay itself.
COPIES = (
    "altered",
    "missing",
    "reordered",
    "forked",
    "rolledback",
    "swapped",
    "garbled",
)
# Logs made here by hand as the services would make them (employers' data).
FORGED = ("cases", "credit")
FOLLOWED = ("genuine", "alpha", "beta", *COPIES, *FORGED)
STREAMS = 3
EVENTS = 4 * STREAMS
SEALS = STREAMS
CORRELATION = str(uuid.uuid4())


@dataclass(frozen=True)
class Published:
    events: list[dict[str, Any]]
    seals: list[dict[str, Any]]


@dataclass(frozen=True)
class Audit:
    client: httpx.AsyncClient
    namespace: str
    bootstrap: str
    genuine: Published

    async def findings(self, service: str) -> list[dict[str, Any]]:
        response = await self.client.get("/findings", params={"service": service})
        assert response.status_code == 200, response.text
        body: list[dict[str, Any]] = response.json()
        return body

    async def wait_for_kinds(self, service: str, *kinds: str) -> list[dict[str, Any]]:
        """The service's findings once every one of `kinds` is among them."""
        found: list[dict[str, Any]] = []

        async def has_all() -> bool:
            nonlocal found
            found = await self.findings(service)
            return set(kinds) <= {f["kind"] for f in found}

        await eventually(has_all, timeout=20)
        return found

    async def publish(
        self, service: str, events: list[dict[str, Any]], seals: list[dict[str, Any]]
    ) -> None:
        """Publish messages as read (decoded, with `_key` and `_partition`) to the
        service's topics, each to the partition it was read from."""
        topics = [f"{self.namespace}.{service}.{k}" for k in ("events", "seals")]
        await ensure_topics(self.bootstrap, topics, partitions=3)
        producer = AIOKafkaProducer(bootstrap_servers=self.bootstrap)
        await producer.start()
        try:
            for topic, messages in zip(topics, (events, seals), strict=True):
                for message in messages:
                    body = {k: v for k, v in message.items() if not k.startswith("_")}
                    await producer.send_and_wait(
                        topic,
                        json.dumps(body).encode(),
                        key=message["_key"].encode(),
                        partition=message["_partition"],
                    )
        finally:
            await producer.stop()


def context(correlation_id: str) -> CommandContext:
    actor = Actor(person="tester", unit="rsj", roles=frozenset({Role.OFFICE}))
    return CommandContext(
        actor=actor,
        correlation_id=correlation_id,
        now=datetime.now(UTC),
        today=date(2024, 1, 2),
    )


async def publish_log(
    database_url: str, bootstrap: str, *, namespace: str, service: str
) -> Published:
    """`STREAMS` streams of 4 events written through the kernel, sequenced, sealed
    every 4 and published by a real relay; read back as a third party would."""
    pool = await create_pool(database_url, min_size=1, max_size=4)
    try:
        store = EventStore(pool, signer=SIGNER)
        for _ in range(STREAMS):
            entity = stream()
            for _ in range(3):
                await execute(
                    store,
                    LEDGER,
                    entity,
                    AddAmount(amount=1),
                    add_amount,
                    context(CORRELATION),
                )
        topic = f"{namespace}.{service}.events"
        relay = Relay(
            store,
            bootstrap=bootstrap,
            service=service,
            source=f"/qingqian/test/{service}",
            topic=topic,
            seals_topic=topic.replace(".events", ".seals"),
            signer=SIGNER,
            seal_block_size=4,
            seal_interval_seconds=3600,
        )
        task = asyncio.create_task(relay.run())
        try:

            async def all_published() -> bool:
                row = await pool.fetchrow(
                    "SELECT published_sequence, published_seal FROM relay_state"
                )
                return row is not None and tuple(row) == (EVENTS, SEALS)

            await eventually(all_published, timeout=30)
        finally:
            relay.stop()
            await asyncio.wait_for(task, 15)
    finally:
        await pool.close()
    events = await read_topic(bootstrap, topic, until=EVENTS)
    seals = await read_topic(bootstrap, topic.replace(".events", ".seals"), until=SEALS)
    events.sort(key=lambda e: e["sequence"])
    seals.sort(key=lambda s: s["seal_no"])
    return Published(events, seals)


def make_seal(
    *,
    seal_no: int,
    tree_size: int,
    root_hash: str,
    prev_seal_hash: str,
    signer: Ed25519Signer = SIGNER,
    consistency: list[str] | None = None,
) -> dict[str, Any]:
    """A seal message made and signed as the relay makes one (docs/log-format.md)."""
    sealed_at = datetime.now(UTC)
    head = tree_head_bytes(
        seal_no=seal_no,
        tree_size=tree_size,
        root_hash=root_hash,
        prev_seal_hash=prev_seal_hash,
        sealed_at=sealed_at,
        key_id=signer.key_id,
    )
    return {
        "seal_no": seal_no,
        "tree_size": tree_size,
        "root_hash": root_hash,
        "prev_seal_hash": prev_seal_hash,
        "sealed_at": sealed_at.isoformat(timespec="microseconds"),
        "key_id": signer.key_id,
        "algorithm": "Ed25519",
        "seal_hash": sha256_hex(head),
        "signature": signer.sign(head),
        "consistency": consistency or [],
    }


def forge_log(
    service: str,
    streams: dict[str, list[tuple[str, dict[str, Any]]]],
    *,
    actors: dict[str, str] | None = None,
) -> Published:
    """A log as a service publishes it: each stream's events (type, data) chained and
    numbered in the order given, all sealed by one seal signed with `SIGNER`; each
    stream's actor from `actors` (else `tester`)."""
    events: list[dict[str, Any]] = []
    for stream_id, history in streams.items():
        actor = (actors or {}).get(stream_id, "tester")
        prevhash = "0" * 64
        for version, (event_type, data) in enumerate(history, start=1):
            recorded_at = datetime.now(UTC)
            body: dict[str, Any] = {
                "specversion": "1.0",
                "id": str(uuid.uuid4()),
                "source": f"/qingqian/test/{service}",
                "type": f"qingqian.{service}.{event_type}.v1",
                "subject": stream_id,
                "time": recorded_at.isoformat(timespec="microseconds"),
                "datacontenttype": "application/json",
                "data": data,
                "streamversion": version,
                "position": len(events) + 1,
                "sequence": len(events) + 1,
                "actor": actor,
                "actorunit": "rsj",
                "correlationid": str(uuid.uuid4()),
                "prevhash": prevhash,
            }
            body["hash"] = event_hash(
                event_id=body["id"],
                stream_id=stream_id,
                version=version,
                event_type=event_type,
                schema_version=1,
                recorded_at=recorded_at,
                data=data,
                actor=actor,
                actor_unit="rsj",
                correlation_id=body["correlationid"],
                causation_id=None,
                prevhash=prevhash,
            )
            prevhash = body["hash"]
            events.append(body | {"_key": stream_id, "_partition": 0})
    root = root_of([event_leaf(e["hash"]) for e in events]).hex()
    only = make_seal(
        seal_no=1, tree_size=len(events), root_hash=root, prev_seal_hash="0" * 64
    )
    return Published(events, [only | {"_key": service, "_partition": 0}])


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def audit(
    pg_server_url: str, template_database: str, kafka_bootstrap: str
) -> AsyncIterator[Audit]:
    """The audit service following `FOLLOWED`, the genuine key pinned for each; the
    genuine log, `alpha` and `beta` already published (one correlation id)."""
    servers = LocalServers(
        pg_server_url, template_database, kafka_bootstrap, TOKENS, DISTRICT_FILE
    )
    published = {}
    for service in ("genuine", "alpha", "beta"):
        url = await clone_database(pg_server_url, template_database)
        published[service] = await publish_log(
            url, kafka_bootstrap, namespace=servers.namespace, service=service
        )
    pinned = {service: Jwks.of_signers(SIGNER) for service in FOLLOWED}
    settings = await servers.settings(
        AuditSettings,
        audited_services=FOLLOWED,
        pinned_keys=pinned,
        gap_grace_seconds=1.0,
        verify_interval_seconds=0.2,
    )
    async with serving(create_app(settings)) as client:
        client.headers.update(AUDITOR)
        yield Audit(client, servers.namespace, kafka_bootstrap, published["genuine"])
