"""`python -m bench.load_generator`: POST receive-case commands to a cases service from
a process of its own — as many as `--concurrency` allows, or at a fixed `--rate` — and
print commands/s and latency percentiles as JSON."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from dataclasses import dataclass, field
from typing import Any

from bench.raw_http import ConnectionDropped, Connections
from bench.service_stack import today
from bench.timing import percentile


@dataclass
class Outcome:
    """What the generator saw."""

    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dropped: int = 0

    async def send(self, client: Connections, body: bytes, since: float) -> None:
        """One command; its latency counts from `since` (when it was due). A connection
        the server dropped is counted and the command sent again on a new one."""
        while True:
            try:
                status, answer = await client.post("/cases", body)
                break
            except ConnectionDropped:
                self.dropped += 1
                if self.dropped > 50:
                    raise
        self.latencies.append(time.perf_counter() - since)
        if status != 201:
            self.errors.append(f"{status} {answer[:300].decode(errors='replace')}")


def case_body(unit: str) -> dict[str, Any]:
    """A received complaint (docs/cases-api.md), without named workers."""
    return {
        "source": "complaint",
        "sector": "construction",
        "employer": {"name": "青海湟水劳务有限公司", "uscc": "91630102MAL30P8748"},
        "workers_count": 8,
        "months_owed": 3,
        "amount_owed": "96000.00",
        "territorial_unit": unit,
        "received_on": today(),
        "summary": "8名农民工反映拖欠工资",
    }


async def saturate(
    client: Connections, body: bytes, *, concurrency: int, requests: int
) -> Outcome:
    """`requests` commands, `concurrency` in flight at any time."""
    outcome, left = Outcome(), [requests]

    async def worker() -> None:
        while left[0] > 0:
            left[0] -= 1
            await outcome.send(client, body, time.perf_counter())

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return outcome


async def at_rate(
    client: Connections, body: bytes, *, rate: float, seconds: float
) -> Outcome:
    """Commands due at a fixed rate whether or not earlier ones have answered; each
    latency counts from when it was due (no coordinated omission)."""
    outcome, tasks = Outcome(), []
    started = time.perf_counter()
    for n in range(int(rate * seconds)):
        due = started + n / rate
        await asyncio.sleep(max(0.0, due - time.perf_counter()))
        tasks.append(asyncio.create_task(outcome.send(client, body, due)))
    await asyncio.gather(*tasks)
    return outcome


async def main(args: argparse.Namespace) -> dict[str, object]:
    """Run one phase and summarise it."""
    headers = {"Authorization": f"Bearer {args.token}"}
    body = json.dumps(case_body(args.unit), ensure_ascii=False).encode()
    client = Connections(args.url, headers=headers, size=256)
    try:
        started = time.perf_counter()
        if args.rate:
            outcome = await at_rate(client, body, rate=args.rate, seconds=args.seconds)
        else:
            outcome = await saturate(
                client, body, concurrency=args.concurrency, requests=args.requests
            )
        elapsed = time.perf_counter() - started
    finally:
        client.close()
    return {
        "commands_per_s": len(outcome.latencies) / elapsed,
        "p50_ms": percentile(outcome.latencies, 0.50) * 1000,
        "p99_ms": percentile(outcome.latencies, 0.99) * 1000,
        "errors": len(outcome.errors),
        "dropped_connections": outcome.dropped,
        "first_error": outcome.errors[0] if outcome.errors else None,
    }


def parse(argv: list[str]) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(prog="python -m bench.load_generator")
    parser.add_argument("--url", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--unit", required=True, help="a known territorial unit")
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--rate", type=float, help="commands/s (else saturate)")
    parser.add_argument("--seconds", type=float, default=5.0)
    return parser.parse_args(argv)


if __name__ == "__main__":
    print(json.dumps(asyncio.run(main(parse(sys.argv[1:])))))
