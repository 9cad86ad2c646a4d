"""Which role a service serves as, and which role migrates (docs/deployment.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from qingqian_local.embedded import with_user
from shared.db import role_of, runtime_role

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = ROOT / "docker-compose.yml"
INIT_SQL = ROOT / "deploy" / "postgres-init" / "01-databases.sql"
QINGQIAN_SERVICES = ("members", "cases", "meetings", "credit", "audit")
APP = "postgresql://app:secret@db:5432/qingqian_cases"
OWNER = "postgresql://owner:secret@db:5432/qingqian_cases"


def test_the_runtime_role_is_database_url_s_when_migrations_connect_as_another() -> (
    None
):
    assert runtime_role(APP, OWNER) == "app"


def test_without_an_owner_or_with_the_same_role_nothing_is_granted() -> None:
    assert runtime_role(APP, None) is None
    assert runtime_role(APP, APP) is None


def test_a_url_is_pointed_at_another_role_with_its_password_quoted() -> None:
    socket = "postgresql://postgres@/qingqian_cases?host=/tmp/pg"

    moved = with_user(socket, "qingqian_cases_app", "p@ss/word")

    assert (
        moved
        == "postgresql://qingqian_cases_app:p%40ss%2Fword@/qingqian_cases?host=/tmp/pg"
    )
    assert role_of(moved) == "qingqian_cases_app"


def _compose_services() -> dict[str, Any]:
    compose = yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))
    services: dict[str, Any] = compose["services"]
    return services


def test_compose_services_serve_as_their_runtime_role_and_wait_for_migration() -> None:
    services = _compose_services()
    for name in QINGQIAN_SERVICES:
        service = services[name]
        url = service["environment"]["DATABASE_URL"]

        assert role_of(url) == f"qingqian_{name}_app", name
        assert "MIGRATION_DATABASE_URL" not in service["environment"], name
        migrated = service["depends_on"][f"{name}-migrate"]["condition"]
        assert migrated == "service_completed_successfully", name


def test_compose_migrates_each_service_as_its_owner_granting_its_runtime_role() -> None:
    services = _compose_services()
    for name in QINGQIAN_SERVICES:
        step = services[f"{name}-migrate"]
        env = step["environment"]

        assert step["image"] == services[name]["image"], name
        assert step["command"][:3] == ["python", "-m", "shared.migrate"], name
        assert role_of(env["MIGRATION_DATABASE_URL"]) == f"qingqian_{name}_owner"
        assert env["DATABASE_URL"] == services[name]["environment"]["DATABASE_URL"]


def test_the_init_script_makes_both_roles_and_the_database_owned_by_the_owner() -> None:
    sql = INIT_SQL.read_text(encoding="utf-8")
    for name in QINGQIAN_SERVICES:
        for role in (f"qingqian_{name}_owner", f"qingqian_{name}_app"):
            assert f"CREATE ROLE {role} LOGIN PASSWORD" in sql, role
        owned = f"CREATE DATABASE qingqian_{name} OWNER qingqian_{name}_owner;"
        assert owned in sql, name


def _k8s_env(service: str, kind: str) -> set[str]:
    documents = yaml.safe_load_all(
        (ROOT / "deploy" / "k8s" / f"{service}.yaml").read_text(encoding="utf-8")
    )
    [workload] = [d for d in documents if d["kind"] == kind]
    [container] = workload["spec"]["template"]["spec"]["containers"]
    return {e["name"] for e in container["env"]}


def test_only_the_k8s_migration_job_is_given_the_owner_s_url() -> None:
    for name in QINGQIAN_SERVICES:
        assert "MIGRATION_DATABASE_URL" in _k8s_env(name, "Job"), name
        assert "MIGRATION_DATABASE_URL" not in _k8s_env(name, "Deployment"), name
