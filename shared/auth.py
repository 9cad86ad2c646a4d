"""Identity: Ed25519-signed JWT bearer tokens naming a person, their unit and roles."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import jwt
import structlog
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from pydantic import BaseModel, ConfigDict, ValidationError

from shared.domain import Role
from shared.errors import Unauthenticated

ISSUER = "qingqian"
ALGORITHM = "EdDSA"


class Actor(BaseModel):
    """The person acting, their unit and their platform roles."""

    model_config = ConfigDict(frozen=True)
    person: str
    unit: str
    roles: frozenset[Role]

    def has_any(self, roles: frozenset[Role]) -> bool:
        """Whether the actor holds at least one of the roles."""
        return bool(self.roles & roles)


SYSTEM_ACTOR = Actor(person="system", unit="system", roles=frozenset({Role.SYSTEM}))


def issue_token(
    private_key_pem: str, actor: Actor, *, ttl: timedelta = timedelta(hours=12)
) -> str:
    """A signed token for the actor, valid for `ttl`."""
    key = serialization.load_pem_private_key(private_key_pem.encode(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError("the token key is not an Ed25519 private key")
    now = datetime.now(UTC)
    claims = {
        "iss": ISSUER,
        "sub": actor.person,
        "unit": actor.unit,
        "roles": sorted(actor.roles),
        "iat": now,
        "exp": now + ttl,
    }
    return jwt.encode(claims, key, algorithm=ALGORITHM)


def public_key_pem(private_key_pem: str) -> str:
    """The PEM public key matching a PEM private key."""
    key = serialization.load_pem_private_key(private_key_pem.encode(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError("not an Ed25519 private key")
    return (
        key.public_key()
        .public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        .decode()
    )


# How many verified tokens a service remembers (a district has a few hundred users).
_VERIFIED_TOKENS_KEPT = 4096


class TokenVerifier:
    """Checks bearer tokens against the platform's public key."""

    def __init__(self, public_key_pem: str) -> None:
        key = serialization.load_pem_public_key(public_key_pem.encode())
        if not isinstance(key, Ed25519PublicKey):
            raise ValueError("JWT_PUBLIC_KEY is not an Ed25519 public key")
        self._key = key
        # Tokens already verified, with their actor and expiry: a client sends the
        # same token with every request, and checking its signature each time was a
        # tenth of a request's cost. Only verified tokens get in; each until it expires.
        self._verified: dict[str, tuple[Actor, float]] = {}

    def actor(self, authorization: str | None) -> Actor:
        """The actor a `Bearer …` header names; raises Unauthenticated otherwise."""
        if not authorization:
            raise Unauthenticated("this request needs a bearer token")
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token:
            raise Unauthenticated("the Authorization header must be 'Bearer <token>'")
        token = token.strip()
        known = self._verified.get(token)
        if known is not None and time.time() < known[1]:
            actor = known[0]
        else:
            actor = self._verify(token)
        structlog.contextvars.bind_contextvars(actor=actor.person, unit=actor.unit)
        return actor

    def _verify(self, token: str) -> Actor:
        self._verified.pop(token, None)
        try:
            claims = jwt.decode(
                token,
                self._key,
                algorithms=[ALGORITHM],
                issuer=ISSUER,
                options={"require": ["exp", "sub", "iss"]},
            )
            actor = Actor(
                person=claims["sub"],
                unit=claims.get("unit", ""),
                roles=claims.get("roles", []),
            )
            expires = float(claims["exp"])
        except (
            jwt.PyJWTError,
            KeyError,
            ValidationError,
            TypeError,
            ValueError,
        ) as exc:
            raise Unauthenticated(f"the bearer token is not valid: {exc}") from exc
        if len(self._verified) >= _VERIFIED_TOKENS_KEPT:
            self._verified.clear()
        self._verified[token] = (actor, expires)
        return actor
