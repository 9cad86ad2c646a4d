"""Signature suites, chosen per deployment (`SIGNATURE_SUITE`, docs/log-format.md
"Algorithms"): what a service's seals, writer tags and audit's co-signatures and
bundles are signed with. The log's own hashes (event hash chain, Merkle tree, seal
hashes) are SHA-256 under every suite; only the signatures change."""

from __future__ import annotations

from typing import Literal, get_args

from shared.chain import Ed25519Signer, new_private_key_pem
from shared.sm2 import Sm2Signer

SignatureSuite = Literal["ed25519-sha256", "sm2-sm3"]
SUITES: tuple[SignatureSuite, ...] = get_args(SignatureSuite)
DEFAULT_SUITE: SignatureSuite = "ed25519-sha256"

# The JWK `alg` that names each suite's keys: verifiers pick the algorithm from it.
JWK_ALG: dict[SignatureSuite, str] = {"ed25519-sha256": "EdDSA", "sm2-sm3": "SM2SM3"}

KeySigner = Ed25519Signer | Sm2Signer


def signer_from_pem(pem: str, suite: SignatureSuite) -> KeySigner:
    """The signer of a PKCS#8 PEM private key of `suite` (ValueError for a key of
    another kind: a deployment signs with the suite it names, never a guess)."""
    if suite == "sm2-sm3":
        return Sm2Signer.from_pem(pem)
    return Ed25519Signer.from_pem(pem)


def any_signer_from_pem(pem: str) -> KeySigner:
    """The signer of a private key of any suite (tools reading a key they made)."""
    errors = []
    for suite in SUITES:
        try:
            return signer_from_pem(pem, suite)
        except ValueError as exc:
            errors.append(str(exc))
    raise ValueError("; ".join(errors))


def new_signing_key_pem(suite: SignatureSuite = DEFAULT_SUITE) -> str:
    """A fresh private key of `suite`, PKCS#8 PEM (what `SEAL_PRIVATE_KEY` holds)."""
    if suite == "sm2-sm3":
        return Sm2Signer.generate().private_pem()
    return new_private_key_pem()


def suite_of(signer: KeySigner) -> SignatureSuite:
    """The suite a signer signs in."""
    return "sm2-sm3" if isinstance(signer, Sm2Signer) else "ed25519-sha256"
