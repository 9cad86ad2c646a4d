"""Verification keys as JWK (RFC 7517/8037: Ed25519 as OKP; SM2 as EC on curve
"SM2", `alg` "SM2SM3" — docs/log-format.md "Algorithms"), published by each service
at `/.well-known/jwks.json` and PINNED by whoever verifies (`qingqian verify --trust
trust.json`, the audit service): a verifier never takes a key from the database it
checks.

A trust file maps each service name to the key set it published:
`{"cases": {"keys": [{"kty": "OKP", "crv": "Ed25519", "x": "…", "kid": "ed25519:…",
"use": "sig", "alg": "EdDSA", "nbf": 1767225600, "exp": null}, …]}, …}`; `nbf`/`exp`
(seconds since the epoch, optional) bound when a key may have signed (rotation: a
retired key stays published with its end). A key's `alg` says which verifier checks
what it signed: a verifier needs no setting of its own."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    RootModel,
    SerializerFunctionWrapHandler,
    model_serializer,
    model_validator,
)

from shared.chain import Ed25519Signer, Ed25519Verifier, SignatureVerifier
from shared.sm2 import Sm2Signer, Sm2Verifier

# The two kinds of key a service signs with: (kty, crv, alg), `y` only for EC.
_ED25519 = ("OKP", "Ed25519", "EdDSA")
_SM2 = ("EC", "SM2", "SM2SM3")


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class Jwk(BaseModel):
    """One public key as a JWK (Ed25519 as OKP, or SM2 as EC with `x` and `y`), with
    the time it may have signed in."""

    model_config = ConfigDict(frozen=True, extra="ignore")
    kty: str = Field(pattern="^(OKP|EC)$")
    crv: str = Field(pattern="^(Ed25519|SM2)$")
    x: str = Field(min_length=43, max_length=43)
    y: str | None = Field(default=None, min_length=43, max_length=43)
    kid: str = Field(min_length=1, max_length=100)
    use: str = "sig"
    alg: str = "EdDSA"
    nbf: int | None = None
    exp: int | None = None

    @model_validator(mode="after")
    def _one_suite(self) -> Jwk:
        kind = (self.kty, self.crv, self.alg)
        if kind not in (_ED25519, _SM2) or (self.y is None) != (kind == _ED25519):
            raise ValueError(
                "a key is OKP/Ed25519/EdDSA (x) or EC/SM2/SM2SM3 (x and y)"
            )
        # Refused when read (a trust file, a setting), not when first used.
        self.verifier()
        return self

    @model_serializer(mode="wrap")
    def _without_y(self, handler: SerializerFunctionWrapHandler) -> dict[str, object]:
        # An Ed25519 key has no `y`: leave it out rather than publish a null.
        body: dict[str, object] = handler(self)
        if body.get("y") is None:
            body.pop("y", None)
        return body

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

    @classmethod
    def of_sm2(cls, public: Sm2Verifier, *, kid: str) -> Jwk:
        """The JWK of an SM2 public key: EC, curve SM2, x and y 32 bytes each."""
        return cls(
            kty="EC",
            crv="SM2",
            x=_b64url(public.point[:32]),
            y=_b64url(public.point[32:]),
            kid=kid,
            alg="SM2SM3",
        )

    def verifier(self) -> SignatureVerifier:
        """What checks signatures made with this key: chosen by its `alg`."""
        if self.alg == "SM2SM3" and self.y is not None:
            return Sm2Verifier(_unb64url(self.x) + _unb64url(self.y))
        return self.ed25519_verifier()

    def ed25519_verifier(self) -> Ed25519Verifier:
        """The key as Ed25519 (what bearer tokens are checked with); ValueError for
        a key of another kind."""
        if (self.kty, self.crv, self.alg) != _ED25519:
            raise ValueError(f"key {self.kid} is not an Ed25519 key")
        return Ed25519Verifier(Ed25519PublicKey.from_public_bytes(_unb64url(self.x)))

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
    def of_signers(
        cls, current: Ed25519Signer | Sm2Signer, retired: tuple[Jwk, ...] = ()
    ) -> Jwks:
        """The set a service publishes: the key it signs with now (its id as the
        signatures name it) and the keys it signed with before, with their validity."""
        now = (
            Jwk.of_sm2(current.verifier(), kid=current.key_id)
            if isinstance(current, Sm2Signer)
            else Jwk.of(current.private_key.public_key(), kid=current.key_id)
        )
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
