"""`python -m shared.migrate`: the migration Job's command migrates, and exits."""

from __future__ import annotations

import asyncio
import os
import sys
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import pytest
import pytest_asyncio

from qingqian_local.embedded import drop_database, ensure_database

pytestmark = [
    pytest.mark.integration,
    pytest.mark.asyncio(loop_scope="session"),
    pytest.mark.timeout(60),
]

ROOT = Path(__file__).resolve().parents[2]
MEMBERS_MIGRATIONS = "services/members/migrations"


@pytest_asyncio.fixture(loop_scope="session")
async def empty_database(pg_server_url: str) -> AsyncIterator[str]:
    name = f"qq_test_{uuid.uuid4().hex[:10]}"
    url = await ensure_database(pg_server_url, name)
    yield url
    await drop_database(pg_server_url, name)


async def run_migrate(*folders: str, database_url: str | None) -> int:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    if database_url is not None:
        env["DATABASE_URL"] = database_url
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "shared.migrate",
        *folders,
        cwd=ROOT,
        env=env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    return await asyncio.wait_for(process.wait(), 45)


async def applied(database_url: str) -> list[str]:
    conn = await asyncpg.connect(database_url)
    try:
        rows = await conn.fetch("SELECT name FROM schema_migrations ORDER BY name")
    finally:
        await conn.close()
    return [r["name"] for r in rows]


async def test_the_migration_command_applies_kernel_and_service_migrations_once(
    empty_database: str,
) -> None:
    # As shared.db.migrate names them: the folder's parent, then the file.
    wanted = sorted(
        [f"shared/{p.name}" for p in (ROOT / "shared/migrations").glob("*.sql")]
        + [f"members/{p.name}" for p in (ROOT / MEMBERS_MIGRATIONS).glob("*.sql")]
    )

    first = await run_migrate(MEMBERS_MIGRATIONS, database_url=empty_database)
    after_first = await applied(empty_database)
    second = await run_migrate(MEMBERS_MIGRATIONS, database_url=empty_database)

    assert (first, second) == (0, 0)
    assert sorted(after_first) == wanted
    assert await applied(empty_database) == after_first


async def test_the_migration_command_refuses_to_run_without_a_database_url() -> None:
    assert await run_migrate(MEMBERS_MIGRATIONS, database_url=None) == 2


async def test_the_migration_command_refuses_a_folder_that_is_not_there(
    empty_database: str,
) -> None:
    exit_code = await run_migrate(
        "services/nowhere/migrations", database_url=empty_database
    )

    assert exit_code == 2
