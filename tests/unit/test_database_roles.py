"""Which role a service serves as, and which role migrates (docs/deployment.md)."""

from __future__ import annotations

from shared.db import role_of, runtime_role
from shared.local import with_user

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
