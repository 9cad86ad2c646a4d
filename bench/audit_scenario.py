"""The audit service's figures (issue #15): timeline query latency per filter on a big
audit store, and audit's ingest rate, events/s verified. `python -m bench --only
audit` runs this alone."""

from __future__ import annotations

import time
import uuid

from bench.audit_ingest import measure_ingest
from bench.audit_store import fill_store
from bench.audit_timeline import measure_timeline
from bench.sizes import Sizes
from bench.timing import Figures, record
from qingqian_local.embedded import drop_database, ensure_database
from services.audit.app import MIGRATIONS
from shared.db import create_pool, migrate


async def measure_audit(server_url: str, bootstrap: str, sizes: Sizes) -> Figures:
    """A store of `sizes.audit_events` events filled, its timeline queried; then a
    log of `sizes.audit_ingest_events` followed by audit."""
    figures: Figures = {}
    name = f"bench_audit_{uuid.uuid4().hex[:6]}"
    url = await ensure_database(server_url, name)
    pool = await create_pool(url, min_size=1, max_size=4)
    try:
        await migrate(pool, MIGRATIONS)
        started = time.perf_counter()
        shape = await fill_store(pool, sizes.audit_events)
        filled = time.perf_counter() - started
        record(figures, {"audit store events": float(sizes.audit_events)})
        record(figures, {"audit store fill seconds": filled})
        record(
            figures,
            await measure_timeline(
                pool, shape, repetitions=sizes.audit_timeline_repetitions
            ),
        )
    finally:
        await pool.close()
        # Nothing stays on the server: the run leaves no database behind.
        await drop_database(server_url, name)
    record(
        figures,
        await measure_ingest(server_url, bootstrap, events=sizes.audit_ingest_events),
    )
    return figures
