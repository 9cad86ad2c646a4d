"""A service process refuses to start without its database, broker and keys: one line
naming what is missing, exit status 2, no traceback, no embedded server."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import SecretStr

from services.members.settings import MembersSettings
from shared.serving import SettingsRefused, checked_settings, missing_settings

ROOT = Path(__file__).resolve().parents[3]
REQUIRED = (
    "DATABASE_URL",
    "KAFKA_BOOTSTRAP",
    "JWT_PUBLIC_KEY",
    "SEAL_PRIVATE_KEY",
    "PERSONAL_DATA_KEK",
)


def _bare_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """The test run's environment without any setting a service requires."""
    env = {k: v for k, v in os.environ.items() if k not in REQUIRED}
    # Where the embedded server would have put its data: it must stay empty.
    return env | {"QINGQIAN_HOME": str(tmp_path / "home")} | extra


def test_every_required_setting_is_named_when_unset(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in REQUIRED:
        monkeypatch.delenv(name, raising=False)
    assert missing_settings(MembersSettings()) == list(REQUIRED)


def test_settings_with_everything_named_pass() -> None:
    settings = MembersSettings(
        database_url="postgresql://app@db/qingqian_members",
        kafka_bootstrap="kafka:9092",
        jwt_public_key=SecretStr("public"),
        seal_private_key=SecretStr("private"),
        personal_data_kek=SecretStr("kek"),
    )
    assert missing_settings(settings) == []


def test_a_malformed_setting_is_refused_by_name_without_its_value(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PORT", "eighty-eighty")
    with pytest.raises(SettingsRefused, match=r"^PORT: ") as refused:
        checked_settings(MembersSettings)
    assert "eighty-eighty" not in str(refused.value)


def test_a_service_without_database_url_exits_2_with_one_line(tmp_path: Path) -> None:
    env = _bare_env(tmp_path, KAFKA_BOOTSTRAP="127.0.0.1:1")
    done = subprocess.run(
        [sys.executable, "-m", "services.members"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("error: DATABASE_URL, JWT_PUBLIC_KEY")
    assert "KAFKA_BOOTSTRAP" not in lines[0]
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "home").exists()
