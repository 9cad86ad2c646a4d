"""Fault 3: PostgreSQL stopped as in a crash (`-m immediate`) under load and started
again on the same data: requests get 503 meanwhile, every loop comes back."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

import pytest

from qingqian_local.embedded import Tansu
from tests.faults.scenario import FaultRun, start_all
from tests.faults.servers import OwnPostgres
from tests.faults.stack import fault_stack

pytestmark = [
    pytest.mark.faults,
    pytest.mark.asyncio(loop_scope="session"),
    pytest.mark.timeout(300),
]

DOWN_SECONDS = 10.0


async def test_postgres_stopped_and_started_again_loses_nothing(
    tmp_path: Path,
    own_postgres: OwnPostgres,
    broker: Tansu,
    figures: Callable[[str], None],
) -> None:
    async with fault_stack(
        tmp_path, server_url=own_postgres.url, bootstrap=broker.bootstrap
    ) as stack:
        members, cases = stack.add("members"), stack.add("cases")
        await start_all(members, cases)
        run = FaultRun("PostgreSQL stopped (immediate) and started", stack, [cases])
        await run.begin()

        await asyncio.to_thread(own_postgres.stop_immediately)
        run.observer.dependency_down("PostgreSQL")
        await asyncio.sleep(DOWN_SECONDS)  # the load keeps going meanwhile
        run.observer.dependency_back()
        await asyncio.to_thread(own_postgres.start)
        run.repaired()
        await run.recover()
        problems = await run.finish(url=cases.url)
        figures(run.figures())

    assert not problems, "\n".join(problems[:20])
