"""`qingqian verify-bundle` pins audit's key with the services' (a trust file, or the
local installation's keys), and says what it cannot read."""

from __future__ import annotations

from pathlib import Path

import pytest

from qingqian_local.cli import main
from qingqian_local.keys import LocalKeys
from shared.chain import Ed25519Signer
from shared.trust import TrustFile


def test_the_trust_command_pins_audits_key_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    audit = Ed25519Signer.from_pem(LocalKeys(tmp_path / "keys").seal_private("audit"))

    code = main(["--home", str(tmp_path), "trust"])
    trust = TrustFile.model_validate_json(capsys.readouterr().out)

    assert code == 0
    assert [k.kid for k in trust.for_service("audit").keys] == [audit.key_id]


def test_without_trust_it_pins_the_local_keys_and_names_the_first_failure(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    LocalKeys(tmp_path / "keys").seal_private("audit")
    bundle = tmp_path / "bundle.json"
    bundle.write_text('{"payloadType": "text/plain"}', encoding="utf-8")

    code = main(["--home", str(tmp_path), "verify-bundle", str(bundle)])

    out = capsys.readouterr().out
    assert code == 1
    assert "trusting the local keys" in out
    assert "FAILED envelope" in out


def test_a_home_without_keys_is_named_rather_than_trusted_empty(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["--home", str(tmp_path), "verify-bundle", str(tmp_path / "b.json")])

    assert code == 2
    assert "no data at" in capsys.readouterr().out


def test_a_missing_file_is_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    trust = tmp_path / "trust.json"
    trust.write_text("{}", encoding="utf-8")

    code = main(["verify-bundle", str(tmp_path / "none.json"), "--trust", str(trust)])

    assert code == 2
    assert "cannot read" in capsys.readouterr().out
