"""Bearer tokens: signed by a key of the platform's set named by `kid`, for this
deployment (`aud`), living at most the maximum lifetime; a person's names the person,
unit and organisational roles (never a joint-meeting role, never `system`); a service
account's names its scopes."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization

from shared.auth import (
    Actor,
    Scope,
    TokenVerifier,
    issue_token,
    key_id,
    public_key_pem,
    service_account,
    token_keys,
)
from shared.chain import new_private_key_pem
from shared.domain import Role
from shared.errors import Unauthenticated
from shared.settings import ServiceSettings
from shared.trust import Jwk, Jwks

AUDIENCE = "qingqian-chengdong"
PRIVATE = new_private_key_pem()
STAFF = Actor(person="p1", unit="jsj", roles=frozenset({Role.UNIT_STAFF}))


def verifier(
    private: str = PRIVATE, *, max_lifetime: timedelta = timedelta(hours=12)
) -> TokenVerifier:
    return TokenVerifier(
        token_keys(public_key_pem(private)),
        audience=AUDIENCE,
        max_lifetime=max_lifetime,
    )


def bearer(token: str) -> str:
    return f"Bearer {token}"


def hand_made(claims: dict[str, Any], *, kid: str | None = None) -> str:
    """A token with exactly these claims, signed with the platform key."""
    key = serialization.load_pem_private_key(PRIVATE.encode(), password=None)
    headers = {} if kid is None else {"kid": kid}
    return jwt.encode(claims, key, algorithm="EdDSA", headers=headers)  # type: ignore[arg-type]  # an Ed25519 private key, which PyJWT's stubs do not list


def person_claims(**overrides: Any) -> dict[str, Any]:
    now = int(time.time())
    claims: dict[str, Any] = {
        "iss": "qingqian",
        "aud": AUDIENCE,
        "sub": "p1",
        "unit": "jsj",
        "roles": ["unit_staff"],
        "iat": now,
        "exp": now + 3600,
    }
    return {k: v for k, v in (claims | overrides).items() if v is not None}


def test_a_token_names_the_person_unit_and_roles_and_its_key() -> None:
    token = issue_token(PRIVATE, STAFF, audience=AUDIENCE)

    actor = verifier().actor(bearer(token))

    assert actor == STAFF
    assert jwt.get_unverified_header(token)["kid"] == key_id(PRIVATE)
    assert jwt.decode(token, options={"verify_signature": False})["aud"] == AUDIENCE


@pytest.mark.parametrize(
    "header", [None, "", "Basic abc", "Bearer", "Bearer not.a.token"]
)
def test_a_missing_or_malformed_token_is_unauthenticated(header: str | None) -> None:
    with pytest.raises(Unauthenticated):
        verifier().actor(header)


def test_an_expired_token_is_unauthenticated() -> None:
    token = issue_token(PRIVATE, STAFF, audience=AUDIENCE, ttl=timedelta(seconds=-1))

    with pytest.raises(Unauthenticated):
        verifier().actor(bearer(token))


def test_a_ten_year_token_is_refused_naming_the_maximum_lifetime() -> None:
    token = issue_token(PRIVATE, STAFF, audience=AUDIENCE, ttl=timedelta(days=3650))

    with pytest.raises(Unauthenticated) as refused:
        verifier().actor(bearer(token))

    assert "tokens live at most 12 h" in refused.value.detail


def test_the_maximum_lifetime_is_a_setting() -> None:
    token = issue_token(PRIVATE, STAFF, audience=AUDIENCE, ttl=timedelta(hours=13))
    settings = ServiceSettings(
        jwt_public_key=public_key_pem(PRIVATE), token_max_lifetime_hours=24
    )

    with pytest.raises(Unauthenticated):
        verifier().actor(bearer(token))
    assert TokenVerifier.from_settings(settings).actor(bearer(token)) == STAFF


@pytest.mark.parametrize("missing", ["exp", "iat", "aud", "sub"])
def test_a_token_without_a_required_claim_is_refused(missing: str) -> None:
    token = hand_made(person_claims(**{missing: None}), kid=key_id(PRIVATE))

    with pytest.raises(Unauthenticated) as refused:
        verifier().actor(bearer(token))

    assert missing in refused.value.detail


def test_a_token_for_another_deployment_is_refused() -> None:
    token = issue_token(PRIVATE, STAFF, audience="qingqian-xicheng")

    with pytest.raises(Unauthenticated) as refused:
        verifier().actor(bearer(token))

    assert "aud must be 'qingqian-chengdong'" in refused.value.detail


def test_the_audience_is_the_deployments_unless_set() -> None:
    assert ServiceSettings(district="xicheng").audience == "qingqian-xicheng"
    assert ServiceSettings(token_audience="platform-a").audience == "platform-a"


@pytest.mark.parametrize("kid", [None, "ed25519:0000000000000000"])
def test_a_token_naming_no_key_of_the_set_is_refused(kid: str | None) -> None:
    token = hand_made(person_claims(), kid=kid)

    with pytest.raises(Unauthenticated) as refused:
        verifier().actor(bearer(token))

    assert "kid" in refused.value.detail


def test_the_verifier_picks_the_key_by_kid_from_the_set() -> None:
    retired = new_private_key_pem()
    old_key = token_keys(public_key_pem(retired)).keys[0]
    keys = token_keys(public_key_pem(PRIVATE), Jwks(keys=(old_key,)).model_dump_json())
    both = TokenVerifier(keys, audience=AUDIENCE)

    assert both.actor(bearer(issue_token(retired, STAFF, audience=AUDIENCE))) == STAFF
    assert both.actor(bearer(issue_token(PRIVATE, STAFF, audience=AUDIENCE))) == STAFF


def test_a_token_signed_after_its_key_was_retired_is_refused() -> None:
    retired = new_private_key_pem()
    ended = datetime.now(UTC) - timedelta(hours=1)
    old_key = token_keys(public_key_pem(retired)).keys[0]
    expired = Jwk(**(old_key.model_dump() | {"exp": int(ended.timestamp())}))
    keys = token_keys(public_key_pem(PRIVATE), Jwks(keys=(expired,)).model_dump_json())

    with pytest.raises(Unauthenticated) as refused:
        TokenVerifier(keys, audience=AUDIENCE).actor(
            bearer(issue_token(retired, STAFF, audience=AUDIENCE))
        )

    assert "not in force" in refused.value.detail


def test_a_token_whose_signature_was_changed_is_refused_after_the_real_one() -> None:
    checking = verifier()
    token = issue_token(PRIVATE, STAFF, audience=AUDIENCE)
    assert checking.actor(bearer(token)) == STAFF
    # Another key, whose kid the set does not have; and the real kid on a forged body.
    forged = issue_token(new_private_key_pem(), STAFF, audience=AUDIENCE)
    other_body = hand_made(person_claims(sub="p2"), kid=key_id(PRIVATE))
    resigned = ".".join([*other_body.split(".")[:2], token.split(".")[2]])

    for bad in (forged, resigned, f"{token[:-4]}AAAA"):
        with pytest.raises(Unauthenticated):
            checking.actor(bearer(bad))


def test_a_token_verified_once_is_taken_again_only_until_it_expires() -> None:
    checking = verifier()
    token = issue_token(PRIVATE, STAFF, audience=AUDIENCE, ttl=timedelta(seconds=2))
    expires = jwt.decode(token, options={"verify_signature": False})["exp"]

    assert checking.actor(bearer(token)) == STAFF
    assert checking.actor(bearer(token)) == STAFF
    time.sleep(max(0.0, expires - time.time()) + 0.1)

    with pytest.raises(Unauthenticated):
        checking.actor(bearer(token))


def test_a_refused_token_is_refused_again_and_never_remembered() -> None:
    checking = verifier()
    long_lived = issue_token(PRIVATE, STAFF, audience=AUDIENCE, ttl=timedelta(days=2))

    for _ in range(2):
        with pytest.raises(Unauthenticated):
            checking.actor(bearer(long_lived))


def test_a_joint_meeting_role_in_a_token_grants_nothing() -> None:
    claims = Actor(
        person="2017-09", unit="qzf", roles=frozenset({Role.CONVENER, Role.OFFICE})
    )
    token = issue_token(PRIVATE, claims, audience=AUDIENCE)

    actor = verifier().actor(bearer(token))

    assert actor.roles == {Role.OFFICE}


def test_a_token_claiming_the_system_role_is_refused() -> None:
    token = hand_made(person_claims(roles=["system"]), kid=key_id(PRIVATE))

    with pytest.raises(Unauthenticated) as refused:
        verifier().actor(bearer(token))

    assert "system" in refused.value.detail


def test_a_service_account_token_names_its_scopes_and_no_roles() -> None:
    account = service_account("tax-bureau", frozenset({Scope.EXCHANGE_CREDIT_READ}))
    token = issue_token(PRIVATE, account, audience=AUDIENCE)

    actor = verifier().actor(bearer(token))

    assert actor == account
    assert actor.person == "svc:tax-bureau"
    assert actor.roles == frozenset()
    assert actor.may_read(Scope.EXCHANGE_CREDIT_READ)
    assert not actor.may_read(Scope.EVENTS_READ)
    assert jwt.decode(token, options={"verify_signature": False})["typ"] == "service"


SERVICE = {"typ": "service", "sub": "svc:tax", "scopes": ["events:read"], "roles": None}


@pytest.mark.parametrize(
    "claims",
    [
        # A service account that also claims roles.
        SERVICE | {"roles": ["office"]},
        # A service account whose sub does not say so.
        SERVICE | {"sub": "tax"},
        # A scope no one defined.
        SERVICE | {"scopes": ["cases:write"]},
        # A person's token with a service account's sub, or with scopes.
        {"sub": "svc:tax"},
        {"scopes": ["events:read"]},
    ],
)
def test_a_token_mixing_person_and_service_account_is_refused(
    claims: dict[str, Any],
) -> None:
    token = hand_made(person_claims(**claims), kid=key_id(PRIVATE))

    with pytest.raises(Unauthenticated):
        verifier().actor(bearer(token))


def test_a_well_formed_service_account_token_passes() -> None:
    token = hand_made(person_claims(**SERVICE), kid=key_id(PRIVATE))

    assert verifier().actor(bearer(token)).scopes == {Scope.EVENTS_READ}


def test_a_person_reads_whatever_scope_an_endpoint_names() -> None:
    assert STAFF.may_read(Scope.EVENTS_READ)
    assert STAFF.may_read(Scope.EXCHANGE_CREDIT_READ)
