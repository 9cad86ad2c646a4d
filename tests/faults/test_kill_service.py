"""Fault 1: the cases service killed with SIGKILL under load, then started again."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from tests.faults.scenario import FAULT_TEST, UnderLoad

pytestmark = FAULT_TEST

DEAD_SECONDS = 5.0


async def test_a_service_killed_under_load_loses_no_acknowledged_command(
    under_load: UnderLoad, figures: Callable[[str], None]
) -> None:
    async with under_load("kill -9 of cases") as run:
        cases = run.cases[0]
        cases.kill()
        await asyncio.sleep(DEAD_SECONDS)  # the load keeps knocking meanwhile
        cases.start()
        problems = await run.repaired_and_recovered()
        figures(run.figures())

    assert not problems, "\n".join(problems[:20])
