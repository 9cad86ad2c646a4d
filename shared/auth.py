"""Identity: Ed25519-signed JWT bearer tokens, each naming its key (`kid`) in the
platform's key set, its deployment (`aud`) and a short lifetime; a person's token names
the person, their unit and organisational roles, a service account's (another agency's
system) names the scopes it may read."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

import jwt
import structlog
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from pydantic import BaseModel, ConfigDict, ValidationError

from shared.chain import Ed25519Signer, Ed25519Verifier
from shared.domain import INTERNAL_ROLES, ROSTER_ROLES, Role
from shared.errors import Unauthenticated
from shared.settings import ServiceSettings
from shared.trust import Jwk, Jwks

ISSUER = "qingqian"
ALGORITHM = "EdDSA"
DEFAULT_LIFETIME = timedelta(hours=12)
# `sub` of a service account, and its `typ` claim.
SERVICE_PREFIX = "svc:"
SERVICE_TYPE = "service"


class Scope(StrEnum):
    """What a service account may read: `<area>:<what>:read`. A scope names a set of
    read endpoints; a service account reads nothing else and runs no command."""

    # credit's check API and decided listings (/check, /listings…).
    EXCHANGE_CREDIT_READ = "exchange:credit:read"
    # Every service's event feeds (/events, /streams/{id}/events).
    EVENTS_READ = "events:read"
    # Registering webhooks of the restricted profile, and managing its own
    # (/subscriptions, docs/webhooks.md).
    EXCHANGE_SUBSCRIBE = "exchange:subscribe"


class Actor(BaseModel):
    """The person acting, their unit and organisational roles; or a service account
    with its scopes and no roles."""

    model_config = ConfigDict(frozen=True)
    person: str
    unit: str
    roles: frozenset[Role]
    scopes: frozenset[Scope] = frozenset()
    is_service_account: bool = False

    def has_any(self, roles: frozenset[Role]) -> bool:
        """Whether the actor holds at least one of the roles."""
        return bool(self.roles & roles)

    def may_read(self, scope: Scope) -> bool:
        """A person reads what the endpoint shows people; a service account only what
        one of its scopes names."""
        return not self.is_service_account or scope in self.scopes


SYSTEM_ACTOR = Actor(person="system", unit="system", roles=frozenset({Role.SYSTEM}))


def service_account(name: str, scopes: frozenset[Scope]) -> Actor:
    """The actor of another agency's system, named `svc:<name>`."""
    person = f"{SERVICE_PREFIX}{name}"
    return Actor(
        person=person,
        unit=person,
        roles=frozenset(),
        scopes=scopes,
        is_service_account=True,
    )


def _private_key(private_key_pem: str) -> Ed25519PrivateKey:
    key = serialization.load_pem_private_key(private_key_pem.encode(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError("the token key is not an Ed25519 private key")
    return key


def key_id(private_key_pem: str) -> str:
    """The `kid` tokens signed with this key carry (its fingerprint)."""
    return Ed25519Signer(_private_key(private_key_pem)).key_id


def issue_token(
    private_key_pem: str,
    actor: Actor,
    *,
    audience: str,
    ttl: timedelta = DEFAULT_LIFETIME,
) -> str:
    """A signed token for the actor and deployment, valid for `ttl`, naming its key."""
    key = _private_key(private_key_pem)
    now = datetime.now(UTC)
    claims: dict[str, Any] = {
        "iss": ISSUER,
        "aud": audience,
        "sub": actor.person,
        "iat": now,
        "exp": now + ttl,
    }
    if actor.is_service_account:
        claims |= {"typ": SERVICE_TYPE, "scopes": sorted(actor.scopes)}
    else:
        claims |= {"unit": actor.unit, "roles": sorted(actor.roles)}
    kid = Ed25519Signer(key).key_id
    return jwt.encode(claims, key, algorithm=ALGORITHM, headers={"kid": kid})


def public_key_pem(private_key_pem: str) -> str:
    """The PEM public key matching a PEM private key."""
    return (
        _private_key(private_key_pem)
        .public_key()
        .public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        .decode()
    )


def token_keys(public_key_pem: str, jwks_json: str | None = None) -> Jwks:
    """The platform's token key set: the key of `JWT_PUBLIC_KEY` (its `kid` is its
    fingerprint) and any other keys `JWT_JWKS` publishes (rotation)."""
    key = serialization.load_pem_public_key(public_key_pem.encode())
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("JWT_PUBLIC_KEY is not an Ed25519 public key")
    current = Jwk.of(key, kid=Ed25519Verifier(key).key_id)
    others = Jwks.model_validate_json(jwks_json).keys if jwks_json else ()
    return Jwks(keys=(current, *(k for k in others if k.kid != current.kid)))


def _actor_of(claims: dict[str, Any]) -> Actor:
    """The actor the verified claims name; Unauthenticated for a token that mixes a
    person's claims with a service account's, or claims a role no token grants."""
    subject = str(claims["sub"])
    if claims.get("typ") == SERVICE_TYPE:
        if not subject.startswith(SERVICE_PREFIX) or claims.get("roles"):
            raise Unauthenticated(
                "a service account's token has a sub 'svc:<name>', scopes and no roles"
            )
        name = subject.removeprefix(SERVICE_PREFIX)
        return service_account(name, frozenset(claims.get("scopes", [])))
    if subject.startswith(SERVICE_PREFIX) or "typ" in claims or "scopes" in claims:
        raise Unauthenticated(
            "a person's token has no typ or scopes, and its sub is not 'svc:…'"
        )
    roles = frozenset(Role(r) for r in claims.get("roles", []))
    if roles & INTERNAL_ROLES:
        raise Unauthenticated("the role 'system' is the service's own, never a token's")
    # Joint-meeting roles are read from the members roster on the day, never from the
    # token (DESIGN.md §2): a token's `convener` grants nothing.
    return Actor(person=subject, unit=str(claims["unit"]), roles=roles - ROSTER_ROLES)


# How many verified tokens a service remembers (a district has a few hundred users).
_VERIFIED_TOKENS_KEPT = 4096


class TokenVerifier:
    """Checks bearer tokens against the platform's key set, picking the key by `kid`:
    signature, issuer, audience, expiry and the maximum lifetime."""

    def __init__(
        self,
        keys: Jwks,
        *,
        audience: str,
        max_lifetime: timedelta = DEFAULT_LIFETIME,
    ) -> None:
        self._keys = keys
        self._audience = audience
        self._max_lifetime = max_lifetime.total_seconds()
        # Tokens already verified, with their actor and expiry: a client sends the
        # same token with every request, and checking its signature each time was a
        # tenth of a request's cost. Only tokens that passed every check get in, each
        # until it expires; the checks depend on nothing but the token and this
        # verifier's fixed settings, so a cached answer stays the answer.
        self._verified: dict[str, tuple[Actor, float]] = {}

    @classmethod
    def from_settings(cls, settings: ServiceSettings) -> TokenVerifier:
        """The verifier a service builds from JWT_PUBLIC_KEY, JWT_JWKS, TOKEN_AUDIENCE
        and TOKEN_MAX_LIFETIME_HOURS."""
        if settings.jwt_public_key is None:
            raise ValueError("JWT_PUBLIC_KEY is required")
        keys = token_keys(settings.jwt_public_key.get_secret_value(), settings.jwt_jwks)
        return cls(
            keys,
            audience=settings.audience,
            max_lifetime=timedelta(hours=settings.token_max_lifetime_hours),
        )

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
            claims = self._claims(token)
            actor = _actor_of(claims)
            expires = float(claims["exp"])
        except (jwt.PyJWTError, KeyError, ValidationError, TypeError, ValueError) as e:
            raise Unauthenticated(f"the bearer token is not valid: {e}") from e
        if len(self._verified) >= _VERIFIED_TOKENS_KEPT:
            self._verified.clear()
        self._verified[token] = (actor, expires)
        return actor

    def _claims(self, token: str) -> dict[str, Any]:
        """The claims of a token that passes every check (Unauthenticated otherwise)."""
        kid = jwt.get_unverified_header(token).get("kid")
        key = self._keys.find(kid) if isinstance(kid, str) else None
        if key is None:
            raise Unauthenticated(
                "the bearer token must name (kid) a key of the platform's key set"
            )
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                key.ed25519_verifier().public_key,
                algorithms=[ALGORITHM],
                issuer=ISSUER,
                audience=self._audience,
                options={"require": ["exp", "iat", "sub", "iss", "aud"]},
            )
        except jwt.InvalidAudienceError as exc:
            raise Unauthenticated(
                f"the bearer token is not for this deployment (aud must be"
                f" {self._audience!r})"
            ) from exc
        lifetime = float(claims["exp"]) - float(claims["iat"])
        if lifetime > self._max_lifetime:
            raise Unauthenticated(
                f"the bearer token lives {lifetime / 3600:g} h; tokens live at most"
                f" {self._max_lifetime / 3600:g} h (exp - iat)"
            )
        if not key.covers(datetime.fromtimestamp(float(claims["iat"]), UTC)):
            raise Unauthenticated(
                f"the key {key.kid} was not in force at the token's iat"
            )
        return claims
