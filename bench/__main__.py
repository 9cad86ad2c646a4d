"""`python -m bench [--quick]`: the kernel against the machine's limits, in one run.

Starts its own embedded PostgreSQL (as the local stack does), measures, prints one
table with medians over repetitions, and writes JSON to bench/results/."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path

import asyncpg

from bench.check_api import measure_check_api
from bench.pipeline import measure_pipeline
from shared.db import create_pool, migrate
from shared.handling import execute
from shared.local import EmbeddedPostgres, ensure_database, free_port
from shared.log import configure_logging
from shared.store import Cursor, EventStore
from shared.verify import verify
from tests.support import LEDGER, AddAmount, add_amount, context

RESULTS = Path(__file__).parent / "results"


async def _timed(work: Callable[[], Awaitable[int]]) -> float:
    """Items per second of one run of `work` (which returns how many items it did)."""
    started = time.perf_counter()
    items = await work()
    return items / (time.perf_counter() - started)


async def raw_single_row_commits(
    pool: asyncpg.Pool, *, connections: int, per_connection: int
) -> int:
    """The fsync floor: one event-shaped row per transaction, no kernel."""

    async def one(n: int) -> None:
        async with pool.acquire() as conn:
            for i in range(per_connection):
                await conn.execute(
                    "INSERT INTO bench_raw (stream_id, version, data) VALUES ($1, $2, $3)",
                    f"raw-{n}-{i}-{uuid.uuid4().hex[:6]}",
                    1,
                    {"amount": i},
                )

    await asyncio.gather(*(one(n) for n in range(connections)))
    return connections * per_connection


async def kernel_commands(store: EventStore, *, tasks: int, per_task: int) -> int:
    """Commands through execute(): load, decide, append with hash chain, each its own stream."""

    async def one(n: int) -> None:
        for i in range(per_task):
            await execute(
                store,
                LEDGER,
                f"b{n}-{i}-{uuid.uuid4().hex[:6]}",
                AddAmount(amount=1),
                add_amount,
                context(),
            )

    await asyncio.gather(*(one(n) for n in range(tasks)))
    return tasks * per_task


async def read_log(store: EventStore) -> int:
    """Read the whole log in commit order, in pages."""
    count, cursor = 0, Cursor()
    while batch := await store.read_all(cursor, limit=5000):
        count += len(batch)
        cursor = Cursor(batch[-1].txid, batch[-1].position)
    return count


def start_seconds(home: Path) -> float:
    """Seconds from `qingqian up` to 'ready' on a fresh data folder."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "KAFKA_BOOTSTRAP"}
    }
    env["QINGQIAN_HOME"] = str(home)
    started = time.perf_counter()
    process = subprocess.Popen(  # noqa: S603 - our own CLI
        [
            sys.executable,
            "-m",
            "shared.cli",
            "up",
            "--kafka-port",
            str(free_port()),
            "--port-offset",
            "30000",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdout is not None
    elapsed = float("nan")
    for line in process.stdout:
        if line.startswith("ready"):
            elapsed = time.perf_counter() - started
            break
    process.send_signal(2)
    process.communicate(timeout=60)
    return elapsed


async def run(quick: bool) -> dict[str, float]:
    repetitions = 3
    scale = 1 if quick else 5
    figures: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory(prefix="qq-bench-") as folder:
        server = EmbeddedPostgres(Path(folder) / "pgdata", is_temporary=True)
        try:
            url = await ensure_database(server.url, "bench")
            pool = await create_pool(url, min_size=8, max_size=16)
            await migrate(pool)
            await pool.execute(
                "CREATE TABLE IF NOT EXISTS bench_raw (position bigserial PRIMARY KEY,"
                " stream_id text, version int, data jsonb, UNIQUE (stream_id, version))"
            )
            store = EventStore(pool)
            for _ in range(repetitions):
                for name, work in {
                    "raw single-row commits/s, 1 connection": lambda: (
                        raw_single_row_commits(
                            pool, connections=1, per_connection=200 * scale
                        )
                    ),
                    "raw single-row commits/s, 8 connections": lambda: (
                        raw_single_row_commits(
                            pool, connections=8, per_connection=100 * scale
                        )
                    ),
                    "kernel commands/s, 1 task": lambda: kernel_commands(
                        store, tasks=1, per_task=200 * scale
                    ),
                    "kernel commands/s, 8 tasks": lambda: kernel_commands(
                        store, tasks=8, per_task=100 * scale
                    ),
                    "read log as records/s": lambda: read_log(store),
                }.items():
                    figures.setdefault(name, []).append(await _timed(work))
            for name, value in (await measure_pipeline(server.url, pool)).items():
                figures[name] = [value]
            events = int(await pool.fetchval("SELECT count(*) FROM events"))
            started = time.perf_counter()
            report = await verify(pool)
            figures["verify seconds per million events"] = [
                (time.perf_counter() - started) / events * 1e6
            ]
            assert report.intact
            await pool.close()
        finally:
            server.stop()
        figures["seconds from qingqian up to ready (fresh)"] = [
            start_seconds(Path(folder) / "home")
        ]
        server = EmbeddedPostgres(Path(folder) / "pgdata-check", is_temporary=True)
        try:
            check = await measure_check_api(
                server.url,
                listings=10_000 * scale,
                requests=2_000 * scale,
                concurrency=16,
            )
        finally:
            server.stop()
        figures["credit check API requests/s (16 concurrent)"] = [check["rps"]]
        figures["credit check API p50 ms"] = [check["p50_ms"]]
        figures["credit check API p99 ms"] = [check["p99_ms"]]
    return {name: statistics.median(values) for name, values in figures.items()}


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="smaller runs")
    args = parser.parse_args()
    # What a service logs per command is part of its cost, but not printed here.
    configure_logging("warning")
    results = asyncio.run(run(args.quick))
    raw8 = results["raw single-row commits/s, 8 connections"]
    results["ratio kernel 8 tasks / raw 8 connections"] = (
        results["kernel commands/s, 8 tasks"] / raw8
    )
    width = max(len(k) for k in results)
    for name, value in results.items():
        print(f"{name:<{width}}  {value:>12,.2f}")
    RESULTS.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    (RESULTS / f"bench-{stamp}.json").write_text(
        json.dumps(results, indent=2), encoding="utf-8"
    )


if __name__ == "__main__":
    main()
