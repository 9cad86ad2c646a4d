"""Fault 1: the cases service killed with SIGKILL under load, then started again."""

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

DEAD_SECONDS = 5.0


async def test_a_service_killed_under_load_loses_no_acknowledged_command(
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
        run = FaultRun("kill -9 of cases", stack, [cases])
        await run.begin()

        cases.kill()
        await asyncio.sleep(DEAD_SECONDS)  # the load keeps knocking meanwhile
        cases.start()
        run.repaired()
        await run.recover()
        problems = await run.finish(url=cases.url)
        figures(run.figures())

    assert not problems, "\n".join(problems[:20])
