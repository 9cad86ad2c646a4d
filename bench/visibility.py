"""Command → visible in another service's projection: units admitted on members at a
fixed rate, each timed until the cases service's unit directory shows it."""

from __future__ import annotations

import asyncio
import time
import uuid

import asyncpg
import httpx

from bench.service_stack import ServiceStack, admit_unit, visible_units
from bench.timing import percentile

# How long after the last command every unit must have become visible.
_PATIENCE = 60.0


class _Timeline:
    """Per unit code: when its command was due, answered, and seen in cases."""

    def __init__(self) -> None:
        self.due: dict[str, float] = {}
        self.answered: dict[str, float] = {}
        self.seen: dict[str, float] = {}

    async def admit(self, client: httpx.AsyncClient, code: str) -> None:
        """Admit the unit; note when members answered."""
        answer = await admit_unit(client, code)
        self.answered[code] = time.perf_counter()
        if answer.status_code != 201:
            raise RuntimeError(f"admitting a unit failed: {answer.text[:300]}")

    def percentiles(self, name: str, ends: dict[str, float]) -> dict[str, float]:
        """p50 and p99 ms from each command's due time to its time in `ends`."""
        latencies = [ends[code] - due for code, due in self.due.items()]
        return {
            f"{name}, p50": percentile(latencies, 0.50) * 1000,
            f"{name}, p99": percentile(latencies, 0.99) * 1000,
        }


async def _admit_at_rate(
    client: httpx.AsyncClient, timeline: _Timeline, *, rate: float, seconds: float
) -> None:
    prefix = f"v{uuid.uuid4().hex[:6]}"
    tasks = []
    started = time.perf_counter()
    for n in range(int(rate * seconds)):
        code = f"{prefix}-{n}"
        timeline.due[code] = started + n / rate
        await asyncio.sleep(max(0.0, timeline.due[code] - time.perf_counter()))
        tasks.append(asyncio.create_task(timeline.admit(client, code)))
    await asyncio.gather(*tasks)


async def _watch(
    pool: asyncpg.Pool, sending: asyncio.Task[None], timeline: _Timeline
) -> None:
    due, seen = timeline.due, timeline.seen
    deadline = float("inf")
    # Polling the other service's database is the measurement: nothing signals it.
    while not sending.done() or len(seen) < len(due):
        if sending.done():
            if sending.exception() is not None:
                await sending
            deadline = min(deadline, time.perf_counter() + _PATIENCE)
        if time.perf_counter() > deadline:
            raise TimeoutError(f"{len(due) - len(seen)} units never became visible")
        pending = [code for code in due if code not in seen]
        if pending:
            now = time.perf_counter()
            for code in await visible_units(pool, pending):
                seen[code] = now
        await asyncio.sleep(0.005)


async def measure_visibility(
    stack: ServiceStack, *, rate: float, seconds: float
) -> dict[str, float]:
    """p50/p99 ms from when a `POST /units` was due on members until the unit is in
    cases' `member_units` (members' relay → Kafka → cases' projection); and until
    members answered, to tell the command's share from the pipeline's."""
    pool = await asyncpg.create_pool(stack.cases_database_url, min_size=1, max_size=2)
    timeline = _Timeline()
    try:
        async with stack.client("members") as client:
            sending = asyncio.create_task(
                _admit_at_rate(client, timeline, rate=rate, seconds=seconds)
            )
            await _watch(pool, sending, timeline)
            await sending
    finally:
        await pool.close()
    return timeline.percentiles(
        f"command → other service's projection ms at {rate:.0f}/s", timeline.seen
    ) | timeline.percentiles(
        f"command → answered ms at {rate:.0f}/s", timeline.answered
    )
