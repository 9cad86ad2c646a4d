"""The `qingqian` command line: `--home` on either side of the subcommand, every option
explained with its default, `--version`, and commands that read the local stack's data
saying there is none rather than making it."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from qingqian_local.cli import build_parser, main
from qingqian_local.embedded import ServiceDatabase
from qingqian_local.keys import LocalKeys
from qingqian_local.paths import DISTRICT_FILE
from qingqian_local.supervisor.ports import Replica
from qingqian_local.supervisor.stack import _service_env

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(autouse=True)
def _no_outside_servers(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("DATABASE_URL", "JWT_PRIVATE_KEY", "DISTRICT_FILE", "QINGQIAN_HOME"):
        monkeypatch.delenv(name, raising=False)


def _trust_of(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, object]:
    assert main(list(argv)) == 0
    trust: dict[str, object] = json.loads(capsys.readouterr().out)
    return trust


def test_home_is_taken_before_or_after_the_subcommand(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ours, other = tmp_path / "ours", tmp_path / "other"
    LocalKeys(ours / "keys").seal_private("cases")

    before = _trust_of(capsys, "--home", str(ours), "trust")
    after = _trust_of(capsys, "trust", "--home", str(ours))
    both = _trust_of(capsys, "--home", str(other), "trust", "--home", str(ours))

    assert before == after == both
    assert before["cases"] != _trust_of(capsys, "--home", str(other), "trust")["cases"]


def _subcommands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    raise AssertionError("no subcommands")


def test_every_option_says_what_it_is() -> None:
    for name, command in _subcommands().items():
        for action in command._actions:
            assert action.help, f"{name} {action.option_strings} has no help"


def test_help_shows_the_defaults(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["token", "--help"])

    text = " ".join(capsys.readouterr().out.split())
    assert "(default: office)" in text
    assert "(default: 12.0)" in text


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--version"])

    assert exited.value.code == 0
    assert capsys.readouterr().out.startswith("qingqian 0.")


@pytest.mark.parametrize(
    "argv",
    [
        ["verify"],
        ["verify", "--service", "cases"],
        ["verify", "--from-kafka"],
        ["export", "--service", "cases"],
    ],
)
def test_a_home_without_data_is_said_so_and_left_empty(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    status = main([*argv, "--home", str(tmp_path)])

    assert status == 2
    out = capsys.readouterr().out
    assert out == f"error: no data at {tmp_path} — start it with `qingqian up`\n"
    assert list(tmp_path.iterdir()) == []


def test_demo_on_a_fresh_home_makes_no_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["demo", "--home", str(tmp_path)]) == 2
    assert "no data at" in capsys.readouterr().out
    assert list(tmp_path.iterdir()) == []


def test_services_get_the_district_file_of_the_checkout_from_anywhere(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    replica = Replica(service="cases", index=1, port=8002)
    database = ServiceDatabase(owner_url="postgresql://o", runtime_url="postgresql://a")

    env = _service_env(replica, LocalKeys(tmp_path / "keys"), database, "kafka:9092")

    assert DISTRICT_FILE == ROOT / "deploy" / "district.toml"
    assert env["DISTRICT_FILE"] == str(DISTRICT_FILE)


def test_up_without_a_district_file_says_so_before_starting_anything(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DISTRICT_FILE", str(tmp_path / "missing.toml"))

    assert main(["up", "--home", str(tmp_path / "home")]) == 2
    assert "no district file at" in capsys.readouterr().out
    assert not (tmp_path / "home").exists()
