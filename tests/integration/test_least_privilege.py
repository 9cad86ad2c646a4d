"""Least privilege (DESIGN.md §2 "Trust model"): a service serves as a runtime role that
appends and reads, and can neither rewrite the log nor switch off what protects it."""

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
from pydantic import SecretStr

from qingqian_local.embedded import (
    drop_database,
    ensure_database,
    ensure_service_database,
    with_database,
)
from qingqian_local.keys import LocalKeys
from services.members.app import create_app
from services.members.settings import MembersSettings
from shared.chain import new_private_key_pem
from shared.db import create_pool, is_superuser, migrate, migrate_as_owner
from shared.domain import Role
from shared.key_wrapping import Kek
from tests.conftest import SERVICE_MIGRATIONS, RuntimeRole
from tests.service_server import new_token_maker, serving, unique_namespace
from tests.support import eventually

pytestmark = [
    pytest.mark.integration,
    pytest.mark.asyncio(loop_scope="session"),
    pytest.mark.timeout(60),
]

TOKENS = new_token_maker()
ROOT = Path(__file__).resolve().parents[2]


@pytest_asyncio.fixture(loop_scope="session")
async def as_runtime(
    database_url: str, pool: asyncpg.Pool, runtime_role: RuntimeRole
) -> AsyncIterator[asyncpg.Connection]:
    """A connection as the runtime role to this module's database, migrated by its
    owner as a service's start does (a clone does not keep its template's database
    privileges)."""
    await migrate(pool, *SERVICE_MIGRATIONS, runtime_role=runtime_role.name)
    conn = await asyncpg.connect(runtime_role.url(database_url))
    yield conn
    await conn.close()


REFUSED = [
    # What a superuser could do to the log despite its append-only triggers.
    "ALTER TABLE events DISABLE TRIGGER events_append_only",
    "ALTER TABLE events DISABLE TRIGGER ALL",
    "DROP TRIGGER events_no_truncate ON events",
    "SET session_replication_role = replica",
    "UPDATE events SET data = '{}'::jsonb",
    "DELETE FROM events",
    "TRUNCATE events",
    "UPDATE event_sequence SET position = position",
    "DELETE FROM event_sequence",
    "TRUNCATE event_sequence",
    "UPDATE seals SET signature = ''",
    "DELETE FROM seals",
    "TRUNCATE seals",
    "DELETE FROM forgotten_subjects",
    "SELECT setval('events_position_seq', 1)",
    # No DDL, no objects of its own, no privileges to hand out.
    "CREATE TABLE intruder (id int)",
    "CREATE TEMPORARY TABLE intruder (id int)",
    "CREATE FUNCTION intruder() RETURNS int LANGUAGE sql AS 'SELECT 1'",
    "ALTER TABLE events ADD COLUMN intruder int",
    "DROP TABLE snapshots",
    "SELECT qingqian_grant_runtime(current_user)",
    "INSERT INTO schema_migrations (name) VALUES ('shared/999_intruder.sql')",
    # The key tables: a verifier's keys are not the writer's to change.
    "UPDATE seal_keys SET public_key = ''",
    "DELETE FROM seal_keys",
    "TRUNCATE seal_keys",
]


@pytest.mark.parametrize("statement", REFUSED)
async def test_the_runtime_role_may_not(
    as_runtime: asyncpg.Connection, statement: str
) -> None:
    with pytest.raises(asyncpg.InsufficientPrivilegeError):
        await as_runtime.execute(statement)


async def test_the_runtime_role_owns_nothing_and_is_no_superuser(
    as_runtime: asyncpg.Connection,
) -> None:
    owned = await as_runtime.fetchval(
        "SELECT count(*) FROM pg_class WHERE relowner = current_user::regrole"
    )
    is_super = await as_runtime.fetchval(
        "SELECT rolsuper OR rolcreaterole OR rolcreatedb OR rolbypassrls"
        " FROM pg_roles WHERE rolname = current_user"
    )

    assert (owned, is_super) == (0, False)


async def test_a_pool_tells_whether_it_connects_as_a_superuser(
    pool: asyncpg.Pool, database_url: str, runtime_role: RuntimeRole
) -> None:
    served = await create_pool(runtime_role.url(database_url), min_size=1, max_size=1)
    try:
        is_runtime_super = await is_superuser(served)
    finally:
        await served.close()
    is_owner_super = await pool.fetchval(
        "SELECT rolsuper FROM pg_roles WHERE rolname = current_user"
    )

    assert is_runtime_super is False
    assert await is_superuser(pool) is is_owner_super


async def test_migrations_refuse_to_grant_the_runtime_privileges_to_a_superuser(
    pool: asyncpg.Pool,
) -> None:
    superuser = await pool.fetchval(
        "SELECT rolname FROM pg_roles WHERE rolsuper ORDER BY rolname LIMIT 1"
    )

    with pytest.raises(asyncpg.InsufficientPrivilegeError):
        await migrate(pool, runtime_role=superuser)


async def test_a_service_appends_relays_seals_and_projects_as_the_runtime_role(
    database_url: str, runtime_role: RuntimeRole, kafka_bootstrap: str
) -> None:
    settings = MembersSettings(
        database_url=runtime_role.url(database_url),
        migration_database_url=database_url,
        kafka_bootstrap=kafka_bootstrap,
        jwt_public_key=SecretStr(TOKENS.public_pem),
        seal_private_key=SecretStr(new_private_key_pem()),
        personal_data_kek=SecretStr(Kek.generate().to_base64()),
        topic_namespace=unique_namespace(),
        seal_interval_seconds=0.2,
    )
    unit = "u" + uuid.uuid4().hex[:8]
    body = {
        "code": unit,
        "name_zh": "区测试局",
        "name_en": "Test Bureau",
        "kind": "bureau",
        "effective_on": "2020-01-01",
    }
    headers = TOKENS.headers(Role.OFFICE)
    owner = await asyncpg.connect(database_url)
    try:
        async with serving(create_app(settings)) as api:
            admitted = await api.post("/units", json=body, headers=headers)
            at = f"{admitted.json()['stream']}@{admitted.json()['position']}"
            listed = await api.get("/units", params={"wait_for": at}, headers=headers)

            async def sealed() -> bool:
                last = await owner.fetchval("SELECT max(tree_size) FROM seals")
                published = await owner.fetchval(
                    "SELECT max(sequence) FROM event_sequence"
                )
                return last is not None and last == published

            await eventually(sealed, timeout=20)
    finally:
        await owner.close()

    assert admitted.status_code == 201, admitted.text
    assert unit in [u["code"] for u in listed.json()]


async def test_the_runtime_role_may_start_on_an_up_to_date_database_but_not_migrate(
    database_url: str, runtime_role: RuntimeRole, tmp_path: Path
) -> None:
    (tmp_path / "migrations").mkdir()
    (tmp_path / "migrations" / "001_new.sql").write_text("CREATE TABLE later (id int)")
    pool = await create_pool(runtime_role.url(database_url), min_size=1, max_size=1)
    try:
        applied = await migrate(pool, *SERVICE_MIGRATIONS)
        with pytest.raises(asyncpg.InsufficientPrivilegeError):
            await migrate(pool, tmp_path / "migrations")
    finally:
        await pool.close()

    assert applied == []


async def test_up_hands_an_earlier_superuser_database_to_the_owner_role(
    pg_server_url: str, tmp_path: Path
) -> None:
    service = f"t{uuid.uuid4().hex[:8]}"
    owner, app = f"qingqian_{service}_owner", f"qingqian_{service}_app"
    # As an earlier `up` left it: made and migrated by the server's own user.
    made = await ensure_database(pg_server_url, f"qingqian_{service}")
    await migrate_as_owner(made, runtime_role=None)
    keys = LocalKeys(tmp_path / "keys")
    try:
        first = await ensure_service_database(pg_server_url, service, keys)
        again = await ensure_service_database(pg_server_url, service, keys)
        applied = await migrate_as_owner(again.owner_url, runtime_role=app)
        served = await asyncpg.connect(again.runtime_url)
        try:
            owners = await served.fetch(
                "SELECT DISTINCT pg_get_userbyid(c.relowner) FROM pg_class c"
                " JOIN pg_namespace n ON n.oid = c.relnamespace"
                " WHERE n.nspname = 'public'"
            )
            with pytest.raises(asyncpg.InsufficientPrivilegeError):
                await served.execute("ALTER TABLE events DISABLE TRIGGER ALL")
            events = await served.fetchval("SELECT count(*) FROM events")
        finally:
            await served.close()
    finally:
        await drop_database(pg_server_url, f"qingqian_{service}")
        server = await asyncpg.connect(with_database(pg_server_url, "postgres"))
        try:
            for role in (owner, app):
                await server.execute(f'DROP ROLE IF EXISTS "{role}"')
        finally:
            await server.close()

    assert first == again
    assert [r[0] for r in owners] == [owner]
    assert (applied, events) == ([], 0)


async def test_the_migration_command_migrates_as_the_owner_and_grants_the_runtime_role(
    pg_server_url: str, runtime_role: RuntimeRole
) -> None:
    name = f"qq_test_{uuid.uuid4().hex[:10]}"
    owner_url = await ensure_database(pg_server_url, name)
    env = {
        **os.environ,
        "MIGRATION_DATABASE_URL": owner_url,
        "DATABASE_URL": runtime_role.url(owner_url),
    }
    try:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "shared.migrate",
            "services/members/migrations",
            cwd=ROOT,
            env=env,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.DEVNULL,
        )
        code = await asyncio.wait_for(process.wait(), 45)
        served = await asyncpg.connect(runtime_role.url(owner_url))
        try:
            may = await served.fetchrow(
                "SELECT has_table_privilege('events', 'INSERT') AS append,"
                " has_table_privilege('events', 'UPDATE') AS rewrite,"
                " has_table_privilege('unit_directory', 'TRUNCATE') AS rebuild"
            )
        finally:
            await served.close()
    finally:
        await drop_database(pg_server_url, name)

    assert code == 0
    assert dict(may or {}) == {"append": True, "rewrite": False, "rebuild": True}


async def test_a_table_no_migration_declares_is_only_read_by_the_runtime_role(
    pool: asyncpg.Pool, as_runtime: asyncpg.Connection, runtime_role: RuntimeRole
) -> None:
    table = f"undeclared_{uuid.uuid4().hex[:8]}"
    await pool.execute(f"CREATE TABLE {table} (id int)")
    await migrate(pool, *SERVICE_MIGRATIONS, runtime_role=runtime_role.name)

    rows = await as_runtime.fetch(f"SELECT * FROM {table}")
    with pytest.raises(asyncpg.InsufficientPrivilegeError):
        await as_runtime.execute(f"INSERT INTO {table} VALUES (1)")

    assert rows == []
