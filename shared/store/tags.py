"""Writer tags: every event's hash signed with the service's key when it is appended
(DESIGN §2 "Writer signatures"), so a row someone inserted with a database account but
without the key shows. Checked against pinned keys (`Jwks`), never the database's.

Beside the signature the writer stores a MAC of the same bytes under a secret derived
from its private key: a check the relay can afford per event (an Ed25519 verification
costs a hundred times more, an SM2 one in pure Python some ten thousand times). Only
the key holder can make either; the MAC is a fast path of the relay's own check,
never what a third party relies on (`verify` ignores it)."""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import datetime

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from shared.chain import SignatureVerifier, Signer, tag_message
from shared.signatures import KeySigner
from shared.trust import Jwk, Jwks

_MAC_INFO = b"qingqian/writer-mac/v1"


def mac_secret(signer: Signer) -> bytes:
    """The MAC secret of a signing key: HKDF-SHA256 of its 32 raw private bytes (the
    Ed25519 seed, or SM2's d)."""
    raw = signer.private_bytes()
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_MAC_INFO).derive(
        raw
    )


def _mac(secret: bytes, event_hash: str) -> str:
    digest = hmac.new(secret, tag_message(event_hash), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


class WriterTags:
    """What the store writes beside each event: the signature, the MAC, the key id."""

    def __init__(self, signer: KeySigner) -> None:
        self.signer = signer
        self.key_id = signer.key_id
        self._secret = mac_secret(signer)

    def tag(self, event_hash: str) -> tuple[str, str]:
        """The signature and the MAC over the event's hash."""
        return self.signer.sign(tag_message(event_hash)), _mac(self._secret, event_hash)

    def checker(self, keys: Jwks) -> TagChecker:
        """A checker of `keys` that takes this writer's MACs as its fast path."""
        return TagChecker(keys, macs={self.key_id: self._secret})


class TagChecker:
    """Checks writer tags against a key set: the key named, in force when the event was
    recorded, and its signature over the event's hash (or, for a key whose secret it
    holds, the MAC: the same answer, cheaper)."""

    def __init__(self, keys: Jwks, *, macs: dict[str, bytes] | None = None) -> None:
        # Loading a public key costs more than a verification: once per key.
        self._keys: dict[str, tuple[Jwk, SignatureVerifier]] = {
            key.kid: (key, key.verifier()) for key in keys.keys
        }
        self._macs = macs or {}

    def problem(
        self,
        *,
        event_hash: str,
        tag: str | None,
        kid: str | None,
        recorded_at: datetime,
        mac: str | None = None,
    ) -> str | None:
        """Why the event is not authenticated by its writer; None when it is."""
        if not tag or not kid:
            return "the event carries no writer tag"
        found = self._keys.get(kid)
        if found is None:
            return f"the writer tag names a key the trust does not hold ({kid[:100]})"
        key, verifier = found
        if not key.covers(recorded_at):
            return f"key {kid} was not in force when the event was recorded"
        secret = self._macs.get(kid)
        if (
            secret is not None
            and mac is not None
            and hmac.compare_digest(_mac(secret, event_hash), mac)
        ):
            return None
        if not verifier.verify(tag_message(event_hash), tag):
            return "the writer tag does not verify"
        return None
