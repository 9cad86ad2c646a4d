"""Fault 2: the broker killed under load and started again on the same port — empty,
as tansu keeps nothing: the relay must publish the log again, projections resume."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import asyncpg

from qingqian_local.embedded import Tansu
from tests.faults.checks import topic_messages
from tests.faults.scenario import FAULT_TEST, UnderLoad

pytestmark = FAULT_TEST

DOWN_SECONDS = 20.0
# The relay's and the consumers' requests to the broker time out after 10 s: by then
# every loop that needs the broker knows it is gone.
BROKER_NOTICE_SECONDS = 12.0


async def test_a_broker_restarted_empty_gets_the_whole_log_again(
    under_load: UnderLoad, broker: Tansu, figures: Callable[[str], None]
) -> None:
    async with under_load("broker killed and restarted") as run:
        assert broker.process is not None
        broker.process.kill()
        broker.process.wait(10)
        run.observer.dependency_down("the broker", notice=BROKER_NOTICE_SECONDS)
        await asyncio.sleep(DOWN_SECONDS)  # the load keeps going meanwhile
        run.observer.dependency_back()
        broker.start()
        problems = await run.repaired_and_recovered()
        stack = run.stack
        conn = await asyncpg.connect(stack.database_url("cases"))
        try:
            # The broker came back empty: the relay must have published it all again.
            _, missing = await topic_messages(
                stack.bootstrap, f"{stack.namespace}.cases.events", conn
            )
        finally:
            await conn.close()
        figures(run.figures())

    problems += missing
    assert not problems, "\n".join(problems[:20])
