"""Timeline queries on a big audit store, through audit's own query code
(`services.audit.queries.timeline`, as `GET /timeline` calls it): each filter many
times with values drawn at random, each time its first page and up to two pages
after it by cursor; latency percentiles per filter, and whether PostgreSQL's plan for
each filter reads audit_events through an index."""

from __future__ import annotations

import hashlib
import json
import random
import time
import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

import asyncpg

from bench.audit_store import OFFICE, SERVICES, START, UNITS, StoreShape
from bench.timing import percentile
from services.audit import queries
from services.audit.queries import TimelineFilter, timeline

PAGE = 100
PAGES = 3
ZONE = ZoneInfo("Asia/Shanghai")
# A filter so slow it would take the run hours is cut short: its percentiles then
# come from the calls made in this many seconds.
_BUDGET_SECONDS = 60.0

Draw = Callable[[random.Random, StoreShape], TimelineFilter]


def _entity(rng: random.Random, shape: StoreShape) -> TimelineFilter:
    category = rng.choice(("unit", "case", "meeting", "listing"))
    return TimelineFilter(
        entity=f"{category}-{rng.randrange(shape.streams_per_service)}"
    )


def _uscc(rng: random.Random, shape: StoreShape) -> TimelineFilter:
    return TimelineFilter(uscc="91" + f"{rng.randrange(shape.employers)}".zfill(16))


def _actor(rng: random.Random, shape: StoreShape) -> TimelineFilter:
    return TimelineFilter(actor=f"person-{rng.randrange(shape.actors)}")


def _office(rng: random.Random, shape: StoreShape) -> TimelineFilter:
    return TimelineFilter(actor=OFFICE)


def _unit(rng: random.Random, shape: StoreShape) -> TimelineFilter:
    return TimelineFilter(unit=f"unit-{rng.randrange(UNITS)}")


def _correlation(rng: random.Random, shape: StoreShape) -> TimelineFilter:
    group = rng.randrange(max(1, shape.events // 5))
    # md5('correlation' || n / 5)::uuid, as the fill names them.
    digest = hashlib.md5(f"correlation{group}".encode()).hexdigest()  # noqa: S324
    return TimelineFilter(correlation_id=str(uuid.UUID(digest)))


def _day(rng: random.Random, shape: StoreShape) -> TimelineFilter:
    since = START + timedelta(days=rng.randrange(729), hours=rng.randrange(24))
    return TimelineFilter(since=since, until=since + timedelta(days=1))


def _unit_and_day(rng: random.Random, shape: StoreShape) -> TimelineFilter:
    day = _day(rng, shape)
    return TimelineFilter(
        unit=f"unit-{rng.randrange(UNITS)}", since=day.since, until=day.until
    )


FILTERS: dict[str, Draw] = {
    "entity": _entity,
    "uscc": _uscc,
    "actor": _actor,
    "actor office": _office,
    "unit": _unit,
    "correlation_id": _correlation,
    "time range (1 day)": _day,
    "unit and time range": _unit_and_day,
}


async def _pages(pool: asyncpg.Pool, where: TimelineFilter) -> list[float]:
    """The first page and up to PAGES - 1 after it: each call's seconds."""
    took: list[float] = []
    after: str | None = None
    for _ in range(PAGES):
        started = time.perf_counter()
        page = await timeline(pool, where, after=after, limit=PAGE, zone=ZONE)
        took.append(time.perf_counter() - started)
        after = page.next
        if after is None:
            break
    return took


async def time_filter(
    pool: asyncpg.Pool, shape: StoreShape, draw: Draw, *, repetitions: int
) -> list[float]:
    """Seconds of every call of `repetitions` drawn filters (within the budget)."""
    rng = random.Random(len(SERVICES) * repetitions)
    took: list[float] = []
    started = time.perf_counter()
    for _ in range(repetitions):
        took += await _pages(pool, draw(rng, shape))
        if time.perf_counter() - started > _BUDGET_SECONDS:
            break
    return took


def _scans(plan: dict[str, Any]) -> list[tuple[str, str]]:
    """(node type, relation) of every node that reads a table."""
    found = [(plan["Node Type"], plan.get("Relation Name", ""))] * (
        "Relation Name" in plan
    )
    for child in plan.get("Plans", []):
        found += _scans(child)
    return found


async def seq_scanned(pool: asyncpg.Pool, where: TimelineFilter) -> bool:
    """Whether the plan PostgreSQL keeps for the statement (generic, as a prepared
    statement's after a few runs may be) reads audit_events from end to end."""
    statement, arguments = queries.timeline_statement(where, after=None, limit=PAGE)
    async with pool.acquire() as conn:
        found = await conn.fetchval("EXPLAIN (FORMAT JSON) " + statement, *arguments)
    # The pool decodes json itself (shared.db); a bare connection would not.
    document = json.loads(found) if isinstance(found, str) else found
    plan: dict[str, Any] = document[0]["Plan"]
    return ("Seq Scan", "audit_events") in _scans(plan)


async def measure_timeline(
    pool: asyncpg.Pool, shape: StoreShape, *, repetitions: int
) -> dict[str, float]:
    """p50, p95 and p99 ms of each filter's pages; how many filters' plans scan."""
    figures: dict[str, float] = {}
    scanning = 0
    for name, draw in FILTERS.items():
        took = await time_filter(pool, shape, draw, repetitions=repetitions)
        for label, fraction in (("p50", 0.5), ("p95", 0.95), ("p99", 0.99)):
            figures[f"audit timeline by {name}, {label} ms"] = (
                percentile(took, fraction) * 1000
            )
        figures[f"audit timeline by {name}, calls"] = len(took)
        scanning += await seq_scanned(pool, draw(random.Random(0), shape))
    figures["audit timeline filters whose plan scans audit_events"] = scanning
    return figures
