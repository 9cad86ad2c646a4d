"""Servers of the fault tests' own: each module gets a PostgreSQL and a broker that no
other test shares, since the tests stop, kill and pause them. The figures each fault
test measured are printed at the end of the run."""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path

import pytest

from qingqian_local.embedded import Tansu, free_port
from tests.faults.scenario import UnderLoad, cases_under_load
from tests.faults.servers import OwnPostgres

_FIGURES = pytest.StashKey[list[str]]()


@pytest.fixture(scope="module")
def own_postgres() -> Iterator[OwnPostgres]:
    """A PostgreSQL of this module's own, in a temp dir, stopped afterwards."""
    with tempfile.TemporaryDirectory(prefix="qq-faults-pg-") as folder:
        server = OwnPostgres(Path(folder))
        try:
            yield server
        finally:
            server.close()


@pytest.fixture(scope="module")
def broker() -> Iterator[Tansu]:
    """A tansu broker of this module's own (it keeps nothing: a restart empties it)."""
    # No log file: Tansu.start leaves the file it is given open.
    tansu = Tansu(free_port()).start()
    try:
        yield tansu
    finally:
        tansu.stop()


@pytest.fixture
def under_load(tmp_path: Path, own_postgres: OwnPostgres, broker: Tansu) -> UnderLoad:
    """Where a fault test strikes: see `cases_under_load`."""
    return partial(
        cases_under_load,
        folder=tmp_path,
        server_url=own_postgres.url,
        bootstrap=broker.bootstrap,
    )


@pytest.fixture
def figures(request: pytest.FixtureRequest) -> Callable[[str], None]:
    """Record a line of figures for the end of the report."""

    def record(line: str) -> None:
        request.config.stash.setdefault(_FIGURES, []).append(line)

    return record


def pytest_terminal_summary(
    terminalreporter: pytest.TerminalReporter, config: pytest.Config
) -> None:
    """Print what each fault test measured (acknowledged, lost, 5xx, readyz, recovery)."""
    lines = config.stash.get(_FIGURES, [])
    if lines:
        terminalreporter.write_sep("-", "fault figures")
        for line in lines:
            terminalreporter.write_line(line)
