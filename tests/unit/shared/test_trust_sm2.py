"""SM2 keys as JWK (EC, curve SM2, `alg` SM2SM3): published, pinned, and the verifier
chosen by the key's `alg`, never by a setting of the verifier."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from shared.chain import Ed25519Signer, Ed25519Verifier
from shared.sm2 import Sm2Signer, Sm2Verifier
from shared.store.tags import TagChecker, WriterTags
from shared.trust import Jwk, Jwks, TrustFile


@pytest.fixture(scope="module")
def signer() -> Sm2Signer:
    return Sm2Signer.generate()


def test_an_sm2_key_is_published_as_ec_with_its_suite(signer: Sm2Signer) -> None:
    body = Jwks.of_signers(signer).model_dump(mode="json")["keys"][0]
    assert (body["kty"], body["crv"], body["alg"]) == ("EC", "SM2", "SM2SM3")
    assert len(body["x"]) == len(body["y"]) == 43
    assert body["kid"] == signer.key_id


def test_an_ed25519_key_is_published_without_y() -> None:
    body = Jwks.of_signers(Ed25519Signer.generate()).model_dump(mode="json")
    assert "y" not in body["keys"][0]
    assert body["keys"][0]["alg"] == "EdDSA"


def test_the_pinned_key_picks_its_verifier(signer: Sm2Signer) -> None:
    pinned = TrustFile.model_validate(
        json.loads(
            json.dumps({"cases": Jwks.of_signers(signer).model_dump(mode="json")})
        )
    )
    key = pinned.for_service("cases").find(signer.key_id)
    assert key is not None
    verifier = key.verifier()
    assert isinstance(verifier, Sm2Verifier)
    assert verifier.verify(b"seal", signer.sign(b"seal"))
    assert not verifier.verify(b"seal", Sm2Signer.generate().sign(b"seal"))
    ed = Jwks.of_signers(Ed25519Signer.generate()).keys[0]
    assert isinstance(ed.verifier(), Ed25519Verifier)


@pytest.mark.parametrize(
    "fields",
    [
        {"kty": "EC", "crv": "SM2", "alg": "SM2SM3"},  # no y
        {"kty": "OKP", "crv": "Ed25519", "alg": "SM2SM3"},
        {"kty": "EC", "crv": "SM2", "alg": "EdDSA", "y": "a" * 43},
        {"kty": "OKP", "crv": "SM2", "alg": "EdDSA"},
    ],
)
def test_a_key_of_no_suite_is_refused(fields: dict[str, str]) -> None:
    with pytest.raises(ValidationError):
        Jwk.model_validate({"x": "a" * 43, "kid": "k", **fields})


def test_an_sm2_key_is_no_token_key(signer: Sm2Signer) -> None:
    with pytest.raises(ValueError, match="not an Ed25519 key"):
        Jwks.of_signers(signer).keys[0].ed25519_verifier()


def test_writer_tags_under_sm2(signer: Sm2Signer) -> None:
    tags = WriterTags(signer)
    event_hash = "ab" * 32
    tag, mac = tags.tag(event_hash)
    keys = Jwks.of_signers(signer)
    # A third party has no MAC secret: the SM2 signature itself is checked.
    checker = TagChecker(keys)
    now = datetime.now(UTC)
    assert (
        checker.problem(
            event_hash=event_hash, tag=tag, kid=signer.key_id, recorded_at=now
        )
        is None
    )
    assert (
        checker.problem(
            event_hash="cd" * 32, tag=tag, kid=signer.key_id, recorded_at=now
        )
        == "the writer tag does not verify"
    )
    # The writer's own checker takes the MAC as its fast path.
    own = tags.checker(keys)
    assert (
        own.problem(
            event_hash=event_hash, tag=tag, kid=signer.key_id, recorded_at=now, mac=mac
        )
        is None
    )


def test_an_sm2_jwk_off_the_curve_is_refused_when_read(signer: Sm2Signer) -> None:
    body = Jwks.of_signers(signer).model_dump(mode="json")["keys"][0]
    y = bytearray(base64.urlsafe_b64decode(body["y"] + "="))
    y[-1] ^= 1
    body["y"] = base64.urlsafe_b64encode(bytes(y)).rstrip(b"=").decode()

    with pytest.raises(ValidationError, match="curve"):
        Jwk.model_validate(body)


def test_an_sm2_signer_keeps_its_secret_out_of_its_repr(signer: Sm2Signer) -> None:
    assert str(signer.secret) not in repr(signer)
