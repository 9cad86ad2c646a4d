"""The course every fault test follows: load before the fault, during it and after the
repair; then every command settled, the pipeline caught up and everything checked.
The figures each run measured go to the end of the pytest report."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from pathlib import Path

import asyncpg
import pytest

from tests.faults import checks
from tests.faults.load import Load
from tests.faults.observe import Observer
from tests.faults.stack import FaultStack, ServiceProcess, fault_stack

# The marks of every fault test module (its own servers, minutes per test).
FAULT_TEST = [
    pytest.mark.faults,
    pytest.mark.asyncio(loop_scope="session"),
    pytest.mark.timeout(300),
]

# Commands acknowledged, and seconds of load, before the fault and after the repair.
ACKS_BEFORE = 20
ACKS_AFTER = 20
LOAD_BEFORE_SECONDS = 5.0
LOAD_AFTER_SECONDS = 8.0
RECOVER_SECONDS = 60.0


@dataclass
class FaultRun:
    """A load and an observer on the cases processes of a stack."""

    name: str
    stack: FaultStack
    cases: Sequence[ServiceProcess]
    clients: int = 4
    shared_cases: int = 0
    repaired_at: float | None = None
    recovered_in: float | None = None
    converged_in: float | None = None
    lost: int | None = None
    problems: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.load = Load(
            [p.url for p in self.cases],
            self.stack.office_headers,
            clients=self.clients,
        )
        self.observer = Observer(
            database_url=self.stack.database_url("cases"),
            ready_urls={p.label: p.url for p in self.cases},
            topic=f"{self.stack.namespace}.cases.events",
            projection=checks.CASE_MODELS,
        )

    @property
    def folder(self) -> Path:
        """The test's folder."""
        return self.stack.folder

    async def begin(self) -> None:
        """A first case through (the unit directory has come from members), then the
        load and the observer; returns once ACKS_BEFORE commands were acknowledged."""
        async with self.load.session() as client:
            prepared = []
            for _ in range(max(1, self.shared_cases)):
                prepared.append(await self.load.first_case(client, timeout=60))
        if self.shared_cases:
            self.load.shared_cases = prepared
        self.observer.start()
        self.load.start()
        took = await self.load.wait_for_acks(ACKS_BEFORE, timeout=60)
        # A bounded load: it runs for this long whatever its pace.
        await asyncio.sleep(max(0.0, LOAD_BEFORE_SECONDS - took))

    def repaired(self) -> None:
        """The fault is over (the process, server or network is back)."""
        self.repaired_at = time.monotonic()

    async def recover(self) -> None:
        """Wait for ACKS_AFTER commands acknowledged after the repair."""
        assert self.repaired_at is not None
        try:
            took = await self.load.wait_for_acks(ACKS_AFTER, timeout=RECOVER_SECONDS)
            await asyncio.sleep(max(0.0, LOAD_AFTER_SECONDS - took))
        except AssertionError as exc:
            self.problems.append(f"commands did not recover: {exc}")
        after = [a.at for a in self.load.acks.values() if a.at >= self.repaired_at]
        if after:
            self.recovered_in = min(after) - self.repaired_at

    async def repaired_and_recovered(self) -> list[str]:
        """The fault is over: wait for the commands to come back, then `finish` on the
        (first) cases process; the problems found."""
        self.repaired()
        await self.recover()
        return await self.finish(url=self.cases[0].url)

    async def finish(self, *, url: str) -> list[str]:
        """Stop the load, settle every command, wait for the read model, run every
        check of issue 11; the problems found."""
        await self.load.stop()
        await self.load.settle()
        conn = await asyncpg.connect(self.stack.database_url("cases"))
        try:
            took, differ = await checks.converged(conn)
            if took is not None and self.repaired_at is not None:
                self.converged_in = time.monotonic() - self.repaired_at
            self.problems += differ
            await self.observer.stop()
            self.problems += [f"readyz untrue: {u}" for u in self.observer.untruths()][
                :5
            ]
            self.problems += [
                f"{a.kind} answered {a.status} {a.code}" for a in self.load.failures()
            ][:5]
            self.problems += [
                f"{a.kind} answered {a.status} without a problem+json code"
                for a in self.load.bare_refusals()
            ][:5]
            self.problems += [
                f"{a.kind} hung {a.elapsed:.1f} s (no answer)"
                for a in self.load.hangs()
            ][:5]
            lost = await checks.lost_acknowledgements(conn, self.load)
            self.lost = len(lost)
            self.problems += lost
            self.problems += await checks.log_problems(
                conn,
                self.load,
                url=url,
                headers=self.stack.office_headers,
                server_url=self.stack.server_url,
                folder=self.folder,
            )
            if took is not None:
                self.problems += await checks.rebuild_problems(
                    conn, url=url, headers=self.stack.office_headers
                )
        finally:
            await conn.close()
        return self.problems

    def figures(self) -> str:
        """One line: what this run measured."""
        ready = "; ".join(
            f"{p.label} {self.observer.ready_summary(p.label)}" for p in self.cases
        )
        return (
            f"{self.name}: acknowledged {len(self.load.acks)}, lost {self.lost},"
            f" 5xx other than 503 {len(self.load.failures())},"
            f" hung {len(self.load.hangs())}, outcomes {self.load.outcomes()},"
            f" refusals {self.load.refusals()},"
            f" commands back {_seconds(self.recovered_in)} and pipeline caught up"
            f" {_seconds(self.converged_in)} after the repair,"
            f" readyz untrue {len(self.observer.untruths())} times [{ready}],"
            f" problems {len(self.problems)}"
        )


def _seconds(value: float | None) -> str:
    return "never" if value is None else f"{value:.1f} s"


async def start_all(*processes: ServiceProcess) -> None:
    """Start the processes, then wait until each is ready."""
    for process in processes:
        process.start()
    for process in processes:
        await process.wait_ready()


@contextlib.asynccontextmanager
async def cases_under_load(
    name: str, folder: Path, *, server_url: str, bootstrap: str
) -> AsyncIterator[FaultRun]:
    """A stack of members and one cases process, both ready, and the load on cases
    begun (ACKS_BEFORE acknowledged): where a fault test strikes."""
    async with fault_stack(folder, server_url=server_url, bootstrap=bootstrap) as stack:
        members, cases = stack.add("members"), stack.add("cases")
        await start_all(members, cases)
        run = FaultRun(name, stack, [cases])
        await run.begin()
        yield run


# `async with under_load(name) as run:` (the fixture of conftest) is
# `cases_under_load` on the module's own servers.
UnderLoad = Callable[[str], AbstractAsyncContextManager[FaultRun]]
