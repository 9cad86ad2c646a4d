"""The local stack's seal keys in the suite `SIGNATURE_SUITE` names when they are
made; a home keeps the suite its keys were made in, and the token key stays Ed25519."""

from __future__ import annotations

from pathlib import Path

import pytest

from qingqian_local.keys import LocalKeys
from shared.chain import Ed25519Signer
from shared.sm2 import Sm2Signer


def test_sm2_seal_keys_are_made_and_named_to_the_service(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SIGNATURE_SUITE", "sm2-sm3")
    keys = LocalKeys(tmp_path)

    env = keys.service_env("cases")
    trust = keys.trust(["cases"]).for_service("cases")

    assert env["SIGNATURE_SUITE"] == "sm2-sm3"
    signer = Sm2Signer.from_pem(env["SEAL_PRIVATE_KEY"])
    assert [(k.kid, k.alg) for k in trust.keys] == [(signer.key_id, "SM2SM3")]
    Ed25519Signer.from_pem(keys.jwt_private())


def test_a_home_keeps_the_suite_of_its_keys(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    LocalKeys(tmp_path).seal_private("cases")  # made with the default suite
    monkeypatch.setenv("SIGNATURE_SUITE", "sm2-sm3")

    env = LocalKeys(tmp_path).service_env("cases")

    assert env["SIGNATURE_SUITE"] == "ed25519-sha256"
    assert LocalKeys(tmp_path).service_env("credit")["SIGNATURE_SUITE"] == "sm2-sm3"


def test_a_suite_of_no_name_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SIGNATURE_SUITE", "rsa")

    with pytest.raises(ValueError, match="SIGNATURE_SUITE must be one of"):
        LocalKeys(tmp_path).seal_private("cases")
