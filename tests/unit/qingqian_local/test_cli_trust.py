"""`qingqian trust` prints the local services' public keys as a trust file, and
`qingqian verify` pins a trust file (or the local keys, saying so) — never keys from
the database it checks."""

from __future__ import annotations

from pathlib import Path

import pytest

from qingqian_local.cli import main
from qingqian_local.keys import LocalKeys
from shared.chain import Ed25519Signer
from shared.trust import TrustFile


def test_the_trust_command_prints_each_local_services_public_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    keys = LocalKeys(tmp_path / "keys")
    cases = Ed25519Signer.from_pem(keys.seal_private("cases"))

    code = main(["--home", str(tmp_path), "trust"])
    trust = TrustFile.model_validate_json(capsys.readouterr().out)

    assert code == 0
    assert [k.kid for k in trust.for_service("cases").keys] == [cases.key_id]
    # A service whose key is not here is trusted with nothing (and no key is made).
    assert trust.for_service("credit").keys == ()
    assert not (tmp_path / "keys" / "seal_credit.pem").exists()


def test_verify_refuses_a_trust_file_it_cannot_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "trust.json"
    bad.write_text('{"cases": {"keys": [{"kty": "RSA"}]}}', encoding="utf-8")

    code = main(["--home", str(tmp_path), "verify", "--trust", str(bad)])

    assert code == 2
    assert "cannot read the trust file" in capsys.readouterr().out
