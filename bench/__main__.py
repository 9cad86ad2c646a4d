"""`python -m bench [--quick]`: the kernel against the machine's limits and against a
peer (the `eventsourcing` library), services under HTTP load, a projection rebuilt —
all in one run on one embedded PostgreSQL and one tansu broker.

Prints one table (medians over repetitions) with the ratios issue #6 sets targets for,
and writes JSON to bench/results/."""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
import uuid
from pathlib import Path

import asyncpg
import uvloop

from bench import kernel, machine
from bench.audit_scenario import measure_audit
from bench.check_api import measure_check_api
from bench.http_commands import measure_http_commands
from bench.kafka_limits import consume, create_topic, produce
from bench.peer import measure_peer
from bench.pipeline import measure_pipeline
from bench.rebuild import measure_rebuild
from bench.report import AUDIT_TARGETS, TARGETS, table, write_json
from bench.service_stack import admit_and_wait, running_stack
from bench.sizes import Sizes
from bench.startup import start_seconds
from bench.synthetic import RAW_TABLE, envelope_messages, raw_rows, raw_stream_ids
from bench.tags import measure_tags
from bench.timing import Figures, rate, record
from bench.visibility import measure_visibility
from qingqian_local.embedded import EmbeddedPostgres, Tansu, ensure_database, free_port
from shared.db import create_pool, migrate
from shared.log import configure_logging
from shared.store import EventStore
from shared.verify import verify
from tests.support import run_trust

# Issue #6: a command made visible elsewhere is timed at this fixed rate.
VISIBILITY_RATE = 100.0


class Database:
    """What the database measurements share: pools, the kernel's store, and the
    streams read by id (ours of 10 and 1000 events, raw ones of 10 rows)."""

    def __init__(self, pool: asyncpg.Pool, plain: asyncpg.Connection) -> None:
        self.pool = pool
        self.plain = plain
        self.store = EventStore(pool)
        self.ten: list[str] = []
        self.thousand: list[str] = []
        self.raw_streams: list[str] = []

    async def fill(self, sizes: Sizes) -> dict[str, float]:
        """The streams read by id, written once before the repetitions; and the first
        load of each long stream (it replays every event, and may keep a snapshot
        that later loads start from)."""
        self.ten = await kernel.fill_ledgers(
            self.store, streams=sizes.streams, events=10
        )
        self.thousand = await kernel.fill_ledgers(
            self.store, streams=sizes.long_streams, events=1000
        )
        rows = raw_rows(sizes.streams * 10)
        await machine.copy(self.plain, rows)
        self.raw_streams = raw_stream_ids(rows)
        first = await rate(lambda: kernel.load_aggregates(self.store, self.thousand))
        return {"kernel load 1000-event aggregates/s, first load": first}

    async def repetition(self, sizes: Sizes) -> dict[str, float]:
        """Raw PostgreSQL and the kernel side by side, once."""
        pool, store, n = self.pool, self.store, sizes.commits
        many, copied = raw_rows(sizes.rows), raw_rows(sizes.rows)
        # One-event ledgers for the commands, as the peer's (bench/peer.py).
        one = await kernel.fill_ledgers(store, streams=2 * n, events=1)
        eight = await kernel.fill_ledgers(store, streams=8 * n, events=1)
        return {
            "raw single-row commits/s, 1 connection": await rate(
                lambda: machine.single_row_commits(
                    pool, connections=1, per_connection=2 * n
                )
            ),
            "raw single-row commits/s, 8 connections": await rate(
                lambda: machine.single_row_commits(
                    pool, connections=8, per_connection=n
                )
            ),
            "raw executemany rows/s": await rate(
                lambda: machine.executemany(pool, many)
            ),
            "raw COPY rows/s": await rate(lambda: machine.copy(self.plain, copied)),
            "raw ordered read rows/s (keyset pages)": await rate(
                lambda: machine.ordered_read(pool)
            ),
            "raw stream reads/s (10 rows by stream id)": await rate(
                lambda: machine.stream_reads(pool, self.raw_streams)
            ),
            "kernel commands/s, 1 task": await rate(
                lambda: kernel.commands(store, one, tasks=1)
            ),
            "kernel commands/s, 8 tasks": await rate(
                lambda: kernel.commands(store, eight, tasks=8)
            ),
            "kernel read log as records/s": await rate(
                lambda: kernel.read_records(store)
            ),
            "kernel read log as envelope objects/s": await rate(
                lambda: kernel.read_envelopes(store)
            ),
            "kernel read log as envelope JSON/s": await rate(
                lambda: kernel.read_envelope_json(store)
            ),
            "kernel load 10-event aggregates/s": await rate(
                lambda: kernel.load_aggregates(store, self.ten)
            ),
            "kernel load 1000-event aggregates/s": await rate(
                lambda: kernel.load_aggregates(store, self.thousand)
            ),
        }


async def measure_database(server_url: str, bootstrap: str, sizes: Sizes) -> Figures:
    """Raw PostgreSQL and the kernel; then the relay and a projection over the log the
    kernel wrote, and verify over it."""
    figures: Figures = {}
    url = await ensure_database(server_url, "bench")
    pool = await create_pool(url, min_size=8, max_size=16)
    plain = await asyncpg.connect(url)
    try:
        await migrate(pool)
        await pool.execute(RAW_TABLE)
        database = Database(pool, plain)
        first_loads = await database.fill(sizes)
        for _ in range(sizes.repetitions):
            record(figures, await database.repetition(sizes))
        record(figures, first_loads)
        record(figures, measure_tags(20_000))
        record(figures, await measure_pipeline(server_url, pool, bootstrap))
        events = int(await pool.fetchval("SELECT count(*) FROM events"))
        started = time.perf_counter()
        report = await verify(pool, trust=run_trust())
        elapsed = time.perf_counter() - started
        assert report.intact
        record(figures, {"verify seconds per million events": elapsed / events * 1e6})
    finally:
        await plain.close()
        await pool.close()
    return figures


async def _broker_repetition(bootstrap: str, count: int) -> dict[str, float]:
    topic = f"bench.raw-{uuid.uuid4().hex[:6]}"
    messages = envelope_messages(0, count)
    await create_topic(bootstrap, topic)
    return {
        "raw keyed produce messages/s (acks=all)": await rate(
            lambda: produce(bootstrap, topic, messages)
        ),
        "raw consume messages/s": await rate(lambda: consume(bootstrap, topic, count)),
    }


async def measure_broker(bootstrap: str, sizes: Sizes) -> Figures:
    """Raw keyed produce and consume of envelope-sized messages."""
    figures: Figures = {}
    for _ in range(sizes.repetitions):
        record(figures, await _broker_repetition(bootstrap, sizes.rows))
    return figures


async def measure_services(
    server_url: str, bootstrap: str, folder: Path, sizes: Sizes
) -> Figures:
    """Members and cases as processes: a command made visible in the other service,
    then HTTP commands at saturation and at half of it."""
    figures: Figures = {}
    async with running_stack(server_url, bootstrap, folder) as stack:
        await admit_and_wait(stack, "bench-town")
        record(
            figures,
            await measure_visibility(
                stack, rate=VISIBILITY_RATE, seconds=sizes.seconds
            ),
        )
        record(figures, await measure_http_commands(stack, "bench-town", sizes))
    return figures


async def run(sizes: Sizes, folder: Path) -> Figures:
    """Every measurement, in an order that keeps the long and heavy ones apart."""
    figures: Figures = {}
    server = EmbeddedPostgres(folder / "pgdata", is_temporary=True)
    broker = Tansu(free_port()).start()
    try:
        figures |= await measure_database(server.url, broker.bootstrap, sizes)
        figures |= await measure_peer(server.url, sizes)
        figures |= await measure_broker(broker.bootstrap, sizes)
        figures |= await measure_services(server.url, broker.bootstrap, folder, sizes)
        rebuilt = await measure_rebuild(
            server.url, broker.bootstrap, events=sizes.rebuild_events
        )
        record(figures, rebuilt)
        figures |= await measure_audit(server.url, broker.bootstrap, sizes)
        check = await measure_check_api(
            server.url,
            listings=20 * sizes.streams,
            requests=2 * sizes.requests,
            concurrency=16,
        )
    finally:
        broker.stop()
        server.stop()
    record(
        figures,
        {
            "credit check API requests/s (16 concurrent)": check["rps"],
            "credit check API p50 ms": check["p50_ms"],
            "credit check API p99 ms": check["p99_ms"],
        },
    )
    up = await asyncio.to_thread(start_seconds, folder / "home")
    record(figures, {"seconds from qingqian up to ready (fresh)": up})
    return figures


async def run_audit(sizes: Sizes, folder: Path) -> Figures:
    """The audit figures alone, on servers of their own."""
    server = EmbeddedPostgres(folder / "pgdata", is_temporary=True)
    broker = Tansu(free_port()).start()
    try:
        return await measure_audit(server.url, broker.bootstrap, sizes)
    finally:
        broker.stop()
        server.stop()


def main() -> None:
    """Run, print the table, keep the JSON."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="smaller runs")
    parser.add_argument(
        "--only", choices=["audit"], help="one scenario: the audit service's figures"
    )
    args = parser.parse_args()
    # What a service logs per command is part of its cost, but not printed here.
    configure_logging("warning")
    sizes = Sizes.quick() if args.quick else Sizes.full()
    started = time.perf_counter()
    scenario, targets = (
        (run_audit, AUDIT_TARGETS)
        if args.only == "audit"
        else (run, TARGETS + AUDIT_TARGETS)
    )
    with tempfile.TemporaryDirectory(prefix="qq-bench-") as folder:
        # On the event loop the services run on (shared/serving.py).
        figures = uvloop.run(scenario(sizes, Path(folder)))
    seconds = time.perf_counter() - started
    print(table(figures, targets))
    mode = "quick" if args.quick else "full"
    if args.only:
        mode = f"{mode}, {args.only} only"
    path = write_json(figures, mode=mode, seconds=seconds, targets=targets)
    print(f"\nthe run took {seconds:.0f} s; figures in {path}")


if __name__ == "__main__":
    main()
