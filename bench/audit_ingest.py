"""Audit's ingest rate: a log of real events written by the kernel (signed, chained),
published with its seals by the real relay, then audit's own ingest and tree verifier
(as `services.audit.app` runs them) following the topics from offset 0 until every
event is in its verified tree and every seal has held: events/s verified."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Awaitable, Callable

import asyncpg

from bench import kernel
from qingqian_local.embedded import drop_database, ensure_database
from services.audit.app import MIGRATIONS
from services.audit.ingest import Ingest
from services.audit.keys import KeyPins
from services.audit.settings import AuditSettings
from services.audit.verifier import TreeVerifier
from shared.chain import Ed25519Signer
from shared.db import create_pool, migrate
from shared.relay import Relay
from shared.store import EventStore
from shared.trust import Jwks

SERVICE = "ledger"
_POLL = 0.05


async def _until(check: Callable[[], Awaitable[bool]]) -> None:
    # Polling the database is the measurement: nothing in-process signals progress.
    while not await check():  # noqa: ASYNC110 - see above
        await asyncio.sleep(_POLL)


async def publish_log(
    server_url: str,
    bootstrap: str,
    *,
    namespace: str,
    events: int,
    signer: Ed25519Signer,
) -> int:
    """`events` events in streams of ten, written by the kernel and published with
    their seals (one a thousand events, and the tail within the seal interval) by the
    relay; returns how many seals."""
    name = f"bench_ledger_{uuid.uuid4().hex[:6]}"
    url = await ensure_database(server_url, name)
    pool = await create_pool(url, min_size=2, max_size=8)
    try:
        await migrate(pool)
        store = EventStore(pool, signer=signer)
        await kernel.fill_ledgers(store, streams=max(1, events // 10), events=10)
        relay = Relay(
            store,
            bootstrap=bootstrap,
            service=SERVICE,
            source=f"/qingqian/bench/{SERVICE}",
            topic=f"{namespace}.{SERVICE}.events",
            seals_topic=f"{namespace}.{SERVICE}.seals",
            signer=signer,
            batch_size=2000,
        )
        task = asyncio.create_task(relay.run())
        # Within the seal interval the relay seals and publishes the tail too.
        await _until(lambda: _all_sealed(pool, events))
        relay.stop()
        await task
        return int(await pool.fetchval("SELECT count(*) FROM seals"))
    finally:
        await pool.close()
        # Nothing stays on the server: the run leaves no database behind.
        await drop_database(server_url, name)


async def _all_sealed(pool: asyncpg.Pool, events: int) -> bool:
    row = await pool.fetchrow(
        "SELECT (SELECT coalesce(max(tree_size), 0) FROM seals) AS sealed,"
        " (SELECT count(*) FROM seals) AS made,"
        " (SELECT coalesce(max(published_seal), 0) FROM relay_state) AS published"
    )
    return (
        row is not None and row["sealed"] >= events and row["made"] == row["published"]
    )


async def _verified(pool: asyncpg.Pool, events: int, seals: int) -> bool:
    row = await pool.fetchrow(
        "SELECT coalesce((SELECT size FROM audit_trees WHERE service = $1), 0) AS size,"
        " (SELECT count(*) FROM audit_seals WHERE service = $1 AND status = 'held')"
        " AS held",
        SERVICE,
    )
    return row is not None and row["size"] >= events and row["held"] >= seals


async def follow(
    server_url: str,
    bootstrap: str,
    *,
    namespace: str,
    signer: Ed25519Signer,
    events: int,
    seals: int,
) -> dict[str, float]:
    """Audit's ingest and verifier on a fresh database, timed until caught up."""
    name = f"bench_audit_{uuid.uuid4().hex[:6]}"
    url = await ensure_database(server_url, name)
    pool = await create_pool(url, min_size=2, max_size=8)
    try:
        await migrate(pool, MIGRATIONS)
        settings = AuditSettings(
            database_url=url,
            kafka_bootstrap=bootstrap,
            topic_namespace=namespace,
            audited_services=(SERVICE,),
            pinned_keys={SERVICE: Jwks.of_signers(signer)},
        )
        store = EventStore(pool)
        pins = KeyPins(pool, configured=settings.configured_keys(), urls={})
        loops = (
            Ingest(pool, store, settings, pins),
            TreeVerifier(pool, store, settings, witness=Ed25519Signer.generate()),
        )
        started = time.perf_counter()
        tasks = [asyncio.create_task(loop.run()) for loop in loops]
        try:
            await _until(lambda: _verified(pool, events, seals))
            elapsed = time.perf_counter() - started
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
        findings = await pool.fetchval("SELECT count(*) FROM audit_findings")
    finally:
        await pool.close()
        # Nothing stays on the server: the run leaves no database behind.
        await drop_database(server_url, name)
    return {
        "audit ingest events/s verified": events / elapsed,
        "audit ingest seconds": elapsed,
        "audit ingest findings": float(findings),
    }


async def measure_ingest(
    server_url: str, bootstrap: str, *, events: int
) -> dict[str, float]:
    """Publish a log of `events` events, then time audit following it."""
    namespace = f"bench-{uuid.uuid4().hex[:6]}"
    signer = Ed25519Signer.generate()
    seals = await publish_log(
        server_url, bootstrap, namespace=namespace, events=events, signer=signer
    )
    return await follow(
        server_url,
        bootstrap,
        namespace=namespace,
        signer=signer,
        events=events,
        seals=seals,
    )
