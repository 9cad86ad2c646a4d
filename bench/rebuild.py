"""Rebuilding a projection from a topic of many events, in a process of its own so its
memory is its own: events/s, seconds, and peak RSS (target under 150 MB).

`python -m bench.rebuild --database-url … --bootstrap … --topic … --events N` is that
process: it prints its figures as JSON."""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
import time
import uuid
from pathlib import Path

import asyncpg

from bench.kafka_limits import create_topic, produce
from bench.read_model import TABLE, BatchAppliedCounter
from bench.synthetic import envelope_messages
from qingqian_local.embedded import ensure_database
from shared.db import create_pool, migrate
from shared.log import configure_logging
from shared.projections import ProjectionRunner

_FILL_BATCH = 50_000


async def _applied(pool: asyncpg.Pool, projection: str) -> int:
    return int(
        await pool.fetchval(
            "SELECT coalesce(sum(applied_count), 0) FROM projection_progress"
            " WHERE projection = $1",
            projection,
        )
    )


def _memory_mb() -> dict[str, float]:
    """This process's peak and current resident set (Linux /proc)."""
    status = Path("/proc/self/status").read_text(encoding="utf-8").splitlines()
    fields = dict(line.split(":", 1) for line in status if ":" in line)
    return {
        name: int(fields[key].split()[0]) / 1024
        for name, key in (("peak_rss_mb", "VmHWM"), ("rss_mb", "VmRSS"))
    }


async def rebuild(args: argparse.Namespace) -> dict[str, float]:
    """Apply the whole topic to a new read model from offset 0 (a ProjectionRunner
    with the services' batch size), then report."""
    pool = await create_pool(args.database_url, min_size=1, max_size=4)
    await migrate(pool)
    await pool.execute(TABLE)
    projection = BatchAppliedCounter(args.topic)
    runner = ProjectionRunner(pool, projection, bootstrap=args.bootstrap)
    started = time.perf_counter()
    task = asyncio.create_task(runner.run())
    # Polling the database is the measurement: nothing in-process signals progress.
    while await _applied(pool, projection.name) < args.events:  # noqa: ASYNC110
        await asyncio.sleep(0.1)
    elapsed = time.perf_counter() - started
    runner.stop()
    await task
    await pool.close()
    return {"seconds": elapsed, "events_per_s": args.events / elapsed, **_memory_mb()}


async def measure_rebuild(
    server_url: str, bootstrap: str, *, events: int
) -> dict[str, float]:
    """Fill a topic with `events` envelopes (straight to Kafka: a rebuild reads only the
    topic), then time the rebuild in a child process."""
    topic = f"bench.rebuild-{uuid.uuid4().hex[:6]}.events"
    await create_topic(bootstrap, topic)
    for first in range(0, events, _FILL_BATCH):
        count = min(_FILL_BATCH, events - first)
        await produce(bootstrap, topic, envelope_messages(first, count))
    database_url = await ensure_database(
        server_url, f"bench_rebuild_{uuid.uuid4().hex[:6]}"
    )
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bench.rebuild",
        f"--database-url={database_url}",
        f"--bootstrap={bootstrap}",
        f"--topic={topic}",
        f"--events={events}",
        stdout=subprocess.PIPE,
    )
    out, _ = await process.communicate()
    if process.returncode != 0:
        raise RuntimeError(f"the rebuild process exited with {process.returncode}")
    found: dict[str, float] = json.loads(out.splitlines()[-1])
    return {
        "rebuild events": float(events),
        "rebuild events/s": found["events_per_s"],
        "rebuild seconds": found["seconds"],
        "rebuild process peak RSS MB": found["peak_rss_mb"],
        "rebuild process RSS MB after": found["rss_mb"],
    }


def main() -> None:
    """The child process: rebuild, print JSON."""
    parser = argparse.ArgumentParser(prog="python -m bench.rebuild")
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--bootstrap", required=True)
    parser.add_argument("--topic", required=True)
    parser.add_argument("--events", type=int, required=True)
    configure_logging("warning")
    print(json.dumps(asyncio.run(rebuild(parser.parse_args()))))


if __name__ == "__main__":
    main()
