"""Fault 2: the broker killed under load and started again on the same port — empty,
as tansu keeps nothing: the relay must publish the log again, projections resume."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

import asyncpg
import pytest

from qingqian_local.embedded import Tansu
from tests.faults.checks import topic_messages
from tests.faults.scenario import FaultRun, start_all
from tests.faults.servers import OwnPostgres
from tests.faults.stack import fault_stack

pytestmark = [
    pytest.mark.faults,
    pytest.mark.asyncio(loop_scope="session"),
    pytest.mark.timeout(300),
]

DOWN_SECONDS = 20.0
# The relay's and the consumers' requests to the broker time out after 10 s: by then
# every loop that needs the broker knows it is gone.
BROKER_NOTICE_SECONDS = 12.0


async def test_a_broker_restarted_empty_gets_the_whole_log_again(
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
        run = FaultRun("broker killed and restarted", stack, [cases])
        await run.begin()

        assert broker.process is not None
        broker.process.kill()
        broker.process.wait(10)
        run.observer.dependency_down("the broker", notice=BROKER_NOTICE_SECONDS)
        await asyncio.sleep(DOWN_SECONDS)  # the load keeps going meanwhile
        run.observer.dependency_back()
        broker.start()
        run.repaired()
        await run.recover()
        problems = await run.finish(url=cases.url)
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
