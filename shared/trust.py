"""Verification keys as JWK (RFC 7517/8037: Ed25519 as OKP), published by each service
at `/.well-known/jwks.json` and PINNED by whoever verifies (`qingqian verify --trust
trust.json`, the audit service): a verifier never takes a key from the database it
checks.

A trust file maps each service name to the key set it published:
`{"cases": {"keys": [{"kty": "OKP", "crv": "Ed25519", "x": "…", "kid": "ed25519:…",
"use": "sig", "alg": "EdDSA", "nbf": 1767225600, "exp": null}, …]}, …}`; `nbf`/`exp`
(seconds since the epoch, optional) bound when a key may have signed (rotation: a
retired key stays published with its end)."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from pydantic import BaseModel, ConfigDict, Field, RootModel

from shared.chain import Ed25519Signer, Ed25519Verifier


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class Jwk(BaseModel):
    """One public Ed25519 key as a JWK, with the time it may have signed in."""

    model_config = ConfigDict(frozen=True, extra="ignore")
    kty: str = Field(pattern="^OKP$")
    crv: str = Field(pattern="^Ed25519$")
    x: str = Field(min_length=43, max_length=43)
    kid: str = Field(min_length=1, max_length=100)
    use: str = "sig"
    alg: str = "EdDSA"
    nbf: int | None = None
    exp: int | None = None

    @classmethod
    def of(
        cls,
        public: Ed25519PublicKey,
        *,
        kid: str,
        not_before: datetime | None = None,
        expires: datetime | None = None,
    ) -> Jwk:
        """The JWK of a public key."""
        raw = public.public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )
        return cls(
            kty="OKP",
            crv="Ed25519",
            x=_b64url(raw),
            kid=kid,
            nbf=None if not_before is None else int(not_before.timestamp()),
            exp=None if expires is None else int(expires.timestamp()),
        )

    def verifier(self) -> Ed25519Verifier:
        """What checks signatures made with this key."""
        raw = _unb64url(self.x)
        return Ed25519Verifier(Ed25519PublicKey.from_public_bytes(raw))

    def covers(self, moment: datetime) -> bool:
        """Whether the key was in force at `moment`."""
        seconds = moment.astimezone(UTC).timestamp()
        return (self.nbf is None or self.nbf <= seconds) and (
            self.exp is None or seconds < self.exp
        )


class Jwks(BaseModel):
    """A key set: what `/.well-known/jwks.json` serves."""

    model_config = ConfigDict(frozen=True, extra="ignore")
    keys: tuple[Jwk, ...] = ()

    def find(self, kid: str) -> Jwk | None:
        """The key with that id, if the set has it."""
        return next((k for k in self.keys if k.kid == kid), None)

    @classmethod
    def of_signers(cls, current: Ed25519Signer, retired: tuple[Jwk, ...] = ()) -> Jwks:
        """The set a service publishes: the key it signs with now (its id as the
        signatures name it) and the keys it signed with before, with their validity."""
        now = Jwk.of(current.private_key.public_key(), kid=current.key_id)
        return cls(keys=(now, *(k for k in retired if k.kid != now.kid)))


class TrustFile(RootModel[dict[str, Jwks]]):
    """Pinned key sets per service (`qingqian verify --trust trust.json`)."""

    @classmethod
    def load(cls, path: Path) -> TrustFile:
        """Read and validate a trust file."""
        return cls.model_validate(json.loads(path.read_text(encoding="utf-8")))

    def for_service(self, service: str) -> Jwks:
        """The pinned set of one service (empty when the file names none)."""
        return self.root.get(service, Jwks())
