"""Fault 4: the network to PostgreSQL pauses (nothing gets through, nothing is
refused) for longer than the pool waits for a connection: requests must get a 503
quickly, not hang, and everything resumes when the network does."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from qingqian_local.embedded import Tansu
from tests.faults.scenario import FaultRun, start_all
from tests.faults.servers import OwnPostgres, PausableProxy
from tests.faults.stack import fault_stack

pytestmark = [
    pytest.mark.faults,
    pytest.mark.asyncio(loop_scope="session"),
    pytest.mark.timeout(300),
]

# Well past the pool's acquire timeout (DB_ACQUIRE_TIMEOUT_SECONDS in FAULT_SETTINGS)
# and the load's patience (REQUEST_TIMEOUT).
PAUSE_SECONDS = 12.0


@pytest.fixture
def proxy(own_postgres: OwnPostgres) -> Iterator[PausableProxy]:
    """A pausable way to PostgreSQL for the cases service."""
    proxy = PausableProxy(own_postgres.socket_path).start()
    try:
        yield proxy
    finally:
        proxy.close()


async def test_a_network_pause_to_postgres_gets_quick_503s_and_loses_nothing(
    tmp_path: Path,
    own_postgres: OwnPostgres,
    broker: Tansu,
    proxy: PausableProxy,
    figures: Callable[[str], None],
) -> None:
    async with fault_stack(
        tmp_path, server_url=own_postgres.url, bootstrap=broker.bootstrap
    ) as stack:
        members = stack.add("members")
        cases = stack.add(
            "cases",
            database_url=f"postgresql://postgres@127.0.0.1:{proxy.port}/qingqian_cases",
        )
        await start_all(members, cases)
        run = FaultRun("network pause to PostgreSQL", stack, [cases])
        await run.begin()

        proxy.pause()
        run.observer.dependency_down("the network to PostgreSQL")
        await asyncio.sleep(PAUSE_SECONDS)  # the load keeps going meanwhile
        run.observer.dependency_back()
        proxy.resume()
        run.repaired()
        await run.recover()
        problems = await run.finish(url=cases.url)
        figures(run.figures())

    assert not problems, "\n".join(problems[:20])
