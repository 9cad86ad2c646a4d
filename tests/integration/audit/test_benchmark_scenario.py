"""The benchmark's audit scenario runs at a tiny size (no figure is judged here: they
belong to bench/results)."""

from __future__ import annotations

import dataclasses
import random
import uuid

import pytest

from bench.audit_scenario import measure_audit
from bench.audit_store import fill_store
from bench.audit_timeline import FILTERS, PAGE, ZONE
from bench.sizes import Sizes
from qingqian_local.embedded import drop_database, ensure_database
from services.audit.app import MIGRATIONS
from services.audit.queries import timeline
from shared.db import create_pool, migrate

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]


async def test_every_timeline_filter_the_benchmark_draws_finds_events(
    pg_server_url: str,
) -> None:
    name = f"bench_audit_{uuid.uuid4().hex[:6]}"
    url = await ensure_database(pg_server_url, name)
    pool = await create_pool(url, min_size=1, max_size=2)
    try:
        await migrate(pool, MIGRATIONS)
        shape = await fill_store(pool, 40_000)

        found = {
            name: await timeline(
                pool, draw(random.Random(7), shape), after=None, limit=PAGE, zone=ZONE
            )
            for name, draw in FILTERS.items()
        }
    finally:
        await pool.close()
        # Nothing stays on the server: the run leaves no database behind.
        await drop_database(pg_server_url, name)

    assert all(page.entries for page in found.values()), {
        name: len(page.entries) for name, page in found.items()
    }


async def test_the_audit_scenario_runs_and_ingests_a_genuine_log_without_finding(
    pg_server_url: str, kafka_bootstrap: str
) -> None:
    sizes = dataclasses.replace(
        Sizes.quick(),
        audit_events=2000,
        audit_timeline_repetitions=2,
        audit_ingest_events=200,
    )

    figures = await measure_audit(pg_server_url, kafka_bootstrap, sizes)

    assert figures["audit ingest findings"] == [0.0]
    assert figures["audit ingest events/s verified"][0] > 0
    assert all(figures[f"audit timeline by {name}, calls"][0] >= 2 for name in FILTERS)
