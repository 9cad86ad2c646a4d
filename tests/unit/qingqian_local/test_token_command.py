"""`qingqian token`: a person's token or a service account's, for this deployment, no
longer-lived than the maximum; never a joint-meeting role or `system`."""

from __future__ import annotations

from pathlib import Path

import jwt
import pytest

from qingqian_local.cli import main
from qingqian_local.keys import LocalKeys
from shared.auth import Scope, TokenVerifier, token_keys


@pytest.fixture(autouse=True)
def _default_deployment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("DISTRICT", "TOKEN_AUDIENCE", "TOKEN_MAX_LIFETIME_HOURS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("JWT_PRIVATE_KEY", raising=False)


def issue(
    home: Path, capsys: pytest.CaptureFixture[str], *args: str
) -> tuple[int, str]:
    LocalKeys(home / "keys").jwt_private()  # as `qingqian up` made it
    status = main(["--home", str(home), "token", *args])
    return status, capsys.readouterr().out.strip()


def local_verifier(home: Path) -> TokenVerifier:
    keys = token_keys(LocalKeys(home / "keys").jwt_public())
    return TokenVerifier(keys, audience="qingqian-chengdong")


def test_a_persons_token_is_for_the_deployment_and_lives_12_hours(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, token = issue(tmp_path, capsys, "--person", "p", "--unit", "jsj")

    assert status == 0
    claims = jwt.decode(token, options={"verify_signature": False})
    assert claims["aud"] == "qingqian-chengdong"
    assert claims["exp"] - claims["iat"] == 12 * 3600
    assert local_verifier(tmp_path).actor(f"Bearer {token}").roles == {"office"}


def test_a_service_accounts_token_carries_its_scopes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, token = issue(
        tmp_path,
        capsys,
        "--service-account",
        "tax-bureau",
        "--scopes",
        "exchange:credit:read,events:read",
    )

    assert status == 0
    actor = local_verifier(tmp_path).actor(f"Bearer {token}")
    assert actor.person == "svc:tax-bureau"
    assert actor.scopes == {Scope.EXCHANGE_CREDIT_READ, Scope.EVENTS_READ}
    assert actor.roles == frozenset()


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--person", "p", "--unit", "u", "--ttl-hours", "87600"], "at most 12"),
        (["--service-account", "tax"], "--scopes"),
        (["--service-account", "tax", "--scopes", "cases:write"], "cases:write"),
        (["--person", "p"], "--unit"),
        (["--person", "p", "--unit", "u", "--scopes", "events:read"], "--scopes"),
    ],
)
def test_a_token_no_service_would_take_is_not_issued(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], says: str
) -> None:
    status, output = issue(tmp_path, capsys, *args)

    assert status == 2
    assert output.startswith("error:")
    assert says in output


@pytest.mark.parametrize(
    ("roles", "says"),
    [
        ("convener", "roster"),
        ("office,system", "system"),
        ("admin", "unknown role 'admin' (one of: "),
        ("bogus", "unknown role 'bogus'"),
    ],
)
def test_a_role_no_token_carries_is_a_usage_error_not_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], roles: str, says: str
) -> None:
    with pytest.raises(SystemExit) as exited:
        issue(tmp_path, capsys, "--person", "p", "--unit", "u", "--roles", roles)

    assert exited.value.code == 2
    error = capsys.readouterr().err
    assert "argument --roles: " in error
    assert says in error
    assert "Traceback" not in error


def test_a_fresh_home_gets_no_new_signing_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main(["token", "--home", str(tmp_path), "--person", "p", "--unit", "u"])

    assert status == 2
    out = capsys.readouterr().out
    assert out == f"error: no data at {tmp_path} — start it with `qingqian up`\n"
    assert not (tmp_path / "keys").exists()


def test_the_maximum_and_audience_follow_the_environment(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TOKEN_MAX_LIFETIME_HOURS", "24")
    monkeypatch.setenv("DISTRICT", "xicheng")

    status, token = issue(
        tmp_path, capsys, "--person", "p", "--unit", "u", "--ttl-hours", "24"
    )

    assert status == 0
    assert jwt.decode(token, options={"verify_signature": False})["aud"] == (
        "qingqian-xicheng"
    )
