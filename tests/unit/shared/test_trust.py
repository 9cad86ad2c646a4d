"""Published and pinned verification keys (JWK, Ed25519 as OKP)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pydantic import ValidationError

from shared.chain import Ed25519Signer, new_private_key_pem
from shared.trust import Jwk, Jwks, TrustFile


def test_a_published_key_checks_what_its_signer_signed() -> None:
    signer = Ed25519Signer.from_pem(new_private_key_pem())
    jwks = Jwks.of_signers(signer)
    key = jwks.find(signer.key_id)
    assert key is not None
    assert key.verifier().verify(b"seal", signer.sign(b"seal"))
    other = Ed25519Signer.from_pem(new_private_key_pem())
    assert not key.verifier().verify(b"seal", other.sign(b"seal"))


def test_a_retired_key_stays_published_with_its_validity() -> None:
    old = Ed25519Signer.from_pem(new_private_key_pem())
    ended = datetime(2026, 1, 1, tzinfo=UTC)
    retired = Jwk.of(old.private_key.public_key(), kid=old.key_id, expires=ended)
    now = Ed25519Signer.from_pem(new_private_key_pem())
    jwks = Jwks.of_signers(now, (retired,))
    assert [k.kid for k in jwks.keys] == [now.key_id, old.key_id]
    assert retired.covers(datetime(2025, 12, 31, tzinfo=UTC))
    assert not retired.covers(ended)


def test_a_trust_file_pins_each_services_keys(tmp_path: Path) -> None:
    signer = Ed25519Signer.from_pem(new_private_key_pem())
    path = tmp_path / "trust.json"
    path.write_text(
        json.dumps({"cases": Jwks.of_signers(signer).model_dump(mode="json")})
    )
    trust = TrustFile.load(path)
    assert trust.for_service("cases").find(signer.key_id) is not None
    assert trust.for_service("credit").keys == ()


def test_a_key_that_is_not_ed25519_is_refused() -> None:
    with pytest.raises(ValidationError):
        Jwk.model_validate({"kty": "RSA", "crv": "Ed25519", "x": "a" * 43, "kid": "k"})
