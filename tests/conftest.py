"""Servers for the whole session: PostgreSQL (DATABASE_URL, testcontainers, or embedded)
and a Kafka-protocol broker (KAFKA_BOOTSTRAP, testcontainers, or tansu)."""

from __future__ import annotations

import contextlib
import os
import secrets
import socket
import tempfile
import uuid
from collections.abc import AsyncIterator, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg
import pytest
import pytest_asyncio

from qingqian_local.embedded import (
    EmbeddedPostgres,
    Tansu,
    drop_database,
    ensure_database,
    free_port,
    with_database,
    with_user,
)
from shared.db import create_pool, migrate
from shared.domain import Event
from shared.store import Appended
from shared.store.appending import Appending
from tests.schema_check import SchemaCheck

SERVICE_MIGRATIONS = [
    Path("services/members/migrations"),
    Path("services/cases/migrations"),
    Path("services/credit/migrations"),
    Path("services/meetings/migrations"),
    Path("services/audit/migrations"),
]


def _docker_answers() -> bool:
    """Whether a Docker engine answers (testcontainers then provides the servers)."""
    if os.environ.get("QINGQIAN_TESTCONTAINERS", "1") == "0":
        return False
    host = os.environ.get("DOCKER_HOST", "unix:///var/run/docker.sock")
    if not host.startswith("unix://"):
        return True
    path = host.removeprefix("unix://")
    if not Path(path).exists():
        return False
    with socket.socket(socket.AF_UNIX) as probe:
        probe.settimeout(2)
        try:
            probe.connect(path)
            probe.sendall(b"GET /_ping HTTP/1.0\r\n\r\n")
            return b"OK" in probe.recv(1024)
        except OSError:
            return False


@pytest.fixture(scope="session")
def pg_server_url() -> Iterator[str]:
    """A PostgreSQL server URL; each test module gets its own database on it."""
    url = os.environ.get("DATABASE_URL")
    if url:
        yield url
        return
    if _docker_answers():
        from testcontainers.postgres import PostgresContainer

        with PostgresContainer("postgres:18", driver=None) as container:
            yield container.get_connection_url()
        return
    with tempfile.TemporaryDirectory(prefix="qq-pg-") as folder:
        server = EmbeddedPostgres(Path(folder) / "pgdata", is_temporary=True)
        try:
            yield server.url
        finally:
            server.stop()


@pytest.fixture(scope="session")
def kafka_bootstrap() -> Iterator[str]:
    """A Kafka-protocol broker for the session."""
    bootstrap = os.environ.get("KAFKA_BOOTSTRAP")
    if bootstrap:
        yield bootstrap
        return
    if _docker_answers():
        from testcontainers.kafka import KafkaContainer

        with KafkaContainer() as container:
            yield container.get_bootstrap_server()
        return
    broker = Tansu(free_port()).start()
    try:
        yield broker.bootstrap
    finally:
        broker.stop()


@contextlib.contextmanager
def _home_outside_pytest_tmp() -> Iterator[Path]:
    # Embedded PostgreSQL runs as a user of its own, who must traverse the folder's
    # parents; another pytest run on the machine takes that permission back from
    # pytest's own temporary folder (/tmp/pytest-of-root), so not there.
    with tempfile.TemporaryDirectory(prefix="qq-home-") as folder:
        yield Path(folder) / "home"


@pytest.fixture
def home_dir() -> Iterator[Path]:
    """A data folder for a `qingqian up` of the test's own."""
    with _home_outside_pytest_tmp() as home:
        yield home


@pytest.fixture(scope="module")
def module_home_dir() -> Iterator[Path]:
    """A data folder for a `qingqian up` the module's tests share."""
    with _home_outside_pytest_tmp() as home:
        yield home


@pytest.fixture
def private_broker() -> Iterator[Tansu]:
    """A broker this test may stop and restart (always tansu: it keeps nothing)."""
    broker = Tansu(free_port()).start()
    try:
        yield broker
    finally:
        broker.stop()


@dataclass(frozen=True)
class RuntimeRole:
    """A login role of this session's own with a service's runtime privileges on every
    database cloned from the template (roles are cluster-wide: the name is unique)."""

    name: str
    password: str

    def url(self, database_url: str) -> str:
        """That database, connecting as this role."""
        return with_user(database_url, self.name, self.password)


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def runtime_role(pg_server_url: str) -> AsyncIterator[RuntimeRole]:
    """The role in-process service stacks serve as (dropped when the session ends)."""
    role = RuntimeRole(f"qq_app_{uuid.uuid4().hex[:8]}", secrets.token_hex(16))
    server = with_database(pg_server_url, "postgres")
    await _run(server, f"CREATE ROLE \"{role.name}\" LOGIN PASSWORD '{role.password}'")
    yield role
    # Its grants went with the databases: template_database dropped them before.
    await _run(server, f'DROP ROLE IF EXISTS "{role.name}"')


async def _run(url: str, statement: str) -> None:
    conn = await asyncpg.connect(url)
    try:
        await conn.execute(statement)
    finally:
        await conn.close()


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def template_database(
    pg_server_url: str, runtime_role: RuntimeRole
) -> AsyncIterator[str]:
    """A database with every migration applied and the runtime privileges granted to
    the session's runtime role, cloned for each test module."""
    name = f"qq_template_{uuid.uuid4().hex[:8]}"
    url = await ensure_database(pg_server_url, name)
    pool = await create_pool(url, min_size=1, max_size=1)
    try:
        await migrate(pool, *SERVICE_MIGRATIONS, runtime_role=runtime_role.name)
    finally:
        await pool.close()
    RUNTIME_ROLES[name] = runtime_role
    yield name
    del RUNTIME_ROLES[name]
    # Every clone made in this session, whoever made it and whether or not its maker
    # dropped it: a suite leaves no database behind on a server it was given.
    for clone in sorted(_CLONES):
        await drop_database(pg_server_url, clone)
    _CLONES.clear()
    await drop_database(pg_server_url, name)


# The databases clone_database made in this session (dropped when the session ends).
_CLONES: set[str] = set()
# The runtime role of each template: its clones grant that role the runtime privileges.
RUNTIME_ROLES: dict[str, RuntimeRole] = {}


async def clone_database(server_url: str, template: str) -> str:
    """A fresh database copied from the migrated template; returns its URL."""
    name = f"qq_test_{uuid.uuid4().hex[:10]}"
    _CLONES.add(name)
    conn = await asyncpg.connect(with_database(server_url, "postgres"))
    try:
        await conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    finally:
        await conn.close()
    return with_database(server_url, name)


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def database_url(
    pg_server_url: str, template_database: str
) -> AsyncIterator[str]:
    """A fresh migrated database for this test module."""
    url = await clone_database(pg_server_url, template_database)
    yield url
    await drop_database(pg_server_url, url.rsplit("/", 1)[1].split("?")[0])


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def pool(database_url: str) -> AsyncIterator[asyncpg.Pool]:
    """A pool on this module's database."""
    pool = await create_pool(database_url, min_size=2, max_size=20)
    yield pool
    await pool.close()


@pytest_asyncio.fixture(loop_scope="session")
async def fresh_pool(
    pg_server_url: str, template_database: str
) -> AsyncIterator[asyncpg.Pool]:
    """A database of this test's own (for tests that tamper or run a relay)."""
    url = await clone_database(pg_server_url, template_database)
    pool = await create_pool(url, min_size=1, max_size=8)
    yield pool
    await pool.close()
    await drop_database(pg_server_url, url.rsplit("/", 1)[1].split("?")[0])


@pytest.fixture(scope="session", autouse=True)
def events_match_their_schemas() -> Iterator[SchemaCheck]:
    """Every service event any test appends in this process validates against its
    committed schema (tests/schema_check.py) before it is stored: a test that makes
    an event its published contract refuses fails there."""
    check = SchemaCheck()
    append = Appending.append

    async def checked_append(
        self: Appending, stream_id: str, events: Sequence[Event], **kwargs: Any
    ) -> Appended:
        check.check_events(events)
        return await append(self, stream_id, events, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Appending, "append", checked_append)
        yield check
