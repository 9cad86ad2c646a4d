"""Fault 3: PostgreSQL stopped as in a crash (`-m immediate`) under load and started
again on the same data: requests get 503 meanwhile, every loop comes back."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from tests.faults.scenario import FAULT_TEST, UnderLoad
from tests.faults.servers import OwnPostgres

pytestmark = FAULT_TEST

DOWN_SECONDS = 10.0


async def test_postgres_stopped_and_started_again_loses_nothing(
    under_load: UnderLoad, own_postgres: OwnPostgres, figures: Callable[[str], None]
) -> None:
    async with under_load("PostgreSQL stopped (immediate) and started") as run:
        await asyncio.to_thread(own_postgres.stop_immediately)
        run.observer.dependency_down("PostgreSQL")
        await asyncio.sleep(DOWN_SECONDS)  # the load keeps going meanwhile
        run.observer.dependency_back()
        await asyncio.to_thread(own_postgres.start)
        problems = await run.repaired_and_recovered()
        figures(run.figures())

    assert not problems, "\n".join(problems[:20])
