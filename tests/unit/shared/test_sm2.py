"""SM2 with SM3 (shared/sm2.py): sign and verify, keys as OpenSSL writes them, and a
signature OpenSSL made verifying here (a known answer from another implementation)."""

from __future__ import annotations

import base64

import pytest

from shared.signatures import (
    any_signer_from_pem,
    new_signing_key_pem,
    signer_from_pem,
    suite_of,
)
from shared.sm2 import Sm2Signer, Sm2Verifier, sm3_hex

# Made with OpenSSL 3.0: `openssl genpkey -algorithm EC -pkeyopt
# ec_paramgen_curve:SM2`, then `openssl pkeyutl -sign -rawin -digest sm3 -pkeyopt
# distid:1234567812345678` over MESSAGE (the signature DER-encoded, as OpenSSL writes).
OPENSSL_PRIVATE = """-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqBHM9VAYItBG0wawIBAQQg9IxZos/bFWzgqyGI
rqcLOFgvdKyz741ROxbTBjK4ECyhRANCAATGrCezUkl1vsHDaIVCaCuf29qGcSyu
oRBAUM5daAqmXQ6qIukXPKtgqNYFo4J+yaDFcuY6HleafVd6/2czYoRR
-----END PRIVATE KEY-----
"""
OPENSSL_PUBLIC = """-----BEGIN PUBLIC KEY-----
MFkwEwYHKoZIzj0CAQYIKoEcz1UBgi0DQgAExqwns1JJdb7Bw2iFQmgrn9vahnEs
rqEQQFDOXWgKpl0OqiLpFzyrYKjWBaOCfsmgxXLmOh5Xmn1Xev9nM2KEUQ==
-----END PUBLIC KEY-----
"""
OPENSSL_SIGNATURE_DER = (
    "MEYCIQD9IafKuJ6nlFMsNXgZZEBnMHXqC2u+PePb44ZjboWy6wIhANyW1OxrUCRZlSg5xSNB"
    "1YfOkDxDOWbpfs8m9SJtjHPk"
)
MESSAGE = b'qingqian/seal/v1\n{"seal_no":1}'
ORDER = int("FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123", 16)


def _raw_of_der(der: bytes) -> bytes:
    """r || s from SEQUENCE { INTEGER r, INTEGER s } (short lengths only)."""
    assert der[0] == 0x30
    r_len = der[3]
    r = int.from_bytes(der[4 : 4 + r_len], "big")
    s_at = 4 + r_len
    s = int.from_bytes(der[s_at + 2 : s_at + 2 + der[s_at + 1]], "big")
    return r.to_bytes(32, "big") + s.to_bytes(32, "big")


@pytest.fixture(scope="module")
def signer() -> Sm2Signer:
    return Sm2Signer.generate()


def test_sm3_known_answer() -> None:
    # GM/T 0004-2012 Appendix A, example 1.
    assert sm3_hex(b"abc") == (
        "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    )


def test_a_signature_verifies_and_a_flipped_bit_does_not(signer: Sm2Signer) -> None:
    signature = signer.sign(MESSAGE)
    verifier = signer.verifier()
    assert verifier.verify(MESSAGE, signature)
    changed = bytes([MESSAGE[0] ^ 1]) + MESSAGE[1:]
    assert not verifier.verify(changed, signature)
    raw = bytearray(base64.b64decode(signature))
    raw[40] ^= 0x01
    assert not verifier.verify_raw(MESSAGE, bytes(raw))


def test_another_key_does_not_verify(signer: Sm2Signer) -> None:
    other = Sm2Signer.generate().verifier()
    assert not other.verify(MESSAGE, signer.sign(MESSAGE))
    assert other.key_id != signer.key_id


def test_malformed_signatures_are_refused_not_raised(signer: Sm2Signer) -> None:
    verifier = signer.verifier()
    zero = base64.b64encode(bytes(64)).decode()
    order = bytes.fromhex(
        "FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123"
    )
    assert not verifier.verify(MESSAGE, zero)
    assert not verifier.verify_raw(MESSAGE, order + order)
    assert not verifier.verify(MESSAGE, "not base64!")
    assert not verifier.verify(MESSAGE, base64.b64encode(b"short").decode())


def test_openssl_keys_and_signature_are_understood() -> None:
    signer = Sm2Signer.from_pem(OPENSSL_PRIVATE)
    assert signer.public_pem() == OPENSSL_PUBLIC
    assert signer.private_pem() == OPENSSL_PRIVATE
    verifier = Sm2Verifier.from_pem(OPENSSL_PUBLIC)
    raw = _raw_of_der(base64.b64decode(OPENSSL_SIGNATURE_DER))
    assert verifier.verify_raw(MESSAGE, raw)
    assert not verifier.verify_raw(MESSAGE + b" ", raw)


def test_a_point_off_the_curve_is_refused() -> None:
    point = Sm2Verifier.from_pem(OPENSSL_PUBLIC).point
    with pytest.raises(ValueError, match="curve"):
        Sm2Verifier(point[:63] + bytes([point[63] ^ 1]))


def test_a_deployment_signs_with_the_suite_it_names() -> None:
    sm2_pem = new_signing_key_pem("sm2-sm3")
    ed_pem = new_signing_key_pem("ed25519-sha256")
    assert suite_of(signer_from_pem(sm2_pem, "sm2-sm3")) == "sm2-sm3"
    assert suite_of(signer_from_pem(ed_pem, "ed25519-sha256")) == "ed25519-sha256"
    with pytest.raises(ValueError, match="not an SM2 private key"):
        signer_from_pem(ed_pem, "sm2-sm3")
    with pytest.raises(ValueError, match="not an Ed25519 private key"):
        signer_from_pem(sm2_pem, "ed25519-sha256")
    assert suite_of(any_signer_from_pem(sm2_pem)) == "sm2-sm3"


def test_a_signature_crafted_to_reach_infinity_fails_rather_than_raises(
    signer: Sm2Signer,
) -> None:
    # s·G + (r + s)·P is the point at infinity when s = -r·d / (1 + d) (mod n): gmssl
    # has no answer for it, verify must still say no.
    n, d, r = ORDER, signer.secret, 1
    s = (-r * d * pow(1 + d, -1, n)) % n

    crafted = r.to_bytes(32, "big") + s.to_bytes(32, "big")

    assert not signer.verifier().verify_raw(MESSAGE, crafted)
