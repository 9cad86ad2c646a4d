"""Each service publishes the public half of its signing key, and the keys it signed
with before, at `/.well-known/jwks.json`: no token, cacheable."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import httpx
import pytest
from pydantic import SecretStr

from shared.chain import Ed25519Signer, new_private_key_pem
from shared.http import create_service_app
from shared.jwks import service_signer
from shared.key_wrapping import Kek
from shared.settings import ServiceSettings
from shared.signatures import new_signing_key_pem
from shared.trust import Jwk, Jwks


def _settings(pem: str, **extra: object) -> ServiceSettings:
    return ServiceSettings(
        database_url="postgresql://unused/unused",
        jwt_public_key=SecretStr("unused"),
        seal_private_key=SecretStr(pem),
        personal_data_kek=SecretStr(Kek.generate().to_base64()),
        **extra,  # type: ignore[arg-type]  # pydantic-settings validates the rest
    )


async def test_the_jwks_endpoint_serves_the_current_and_the_retired_keys() -> None:
    pem = new_private_key_pem()
    old = Ed25519Signer.generate()
    retired = Jwk.of(
        old.private_key.public_key(),
        kid=old.key_id,
        not_before=datetime(2025, 1, 1, tzinfo=UTC),
        expires=datetime(2026, 1, 1, tzinfo=UTC),
    )
    app = create_service_app(
        _settings(pem, signing_keys_retired=(retired,)), title="t", routers=()
    )

    # No lifespan: the keys are served without a database, and without a token.
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        response = await client.get("/.well-known/jwks.json")
    keys = Jwks.model_validate(response.json())

    assert response.status_code == 200
    assert "max-age" in response.headers["cache-control"]
    assert [k.kid for k in keys.keys] == [
        Ed25519Signer.from_pem(pem).key_id,
        old.key_id,
    ]
    assert keys.keys[1] == retired


def test_retired_keys_are_read_from_a_json_setting(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    old = Ed25519Signer.generate()
    retired = Jwk.of(old.private_key.public_key(), kid=old.key_id)
    monkeypatch.setenv("SIGNING_KEYS_RETIRED", json.dumps([retired.model_dump()]))

    settings = ServiceSettings()

    assert settings.signing_keys_retired == (retired,)


def test_a_service_without_its_signing_key_refuses_to_start() -> None:
    settings = ServiceSettings(
        database_url="postgresql://unused/unused",
        jwt_public_key=SecretStr("x"),
        personal_data_kek=SecretStr(Kek.generate().to_base64()),
    )

    with pytest.raises(ValueError, match="SEAL_PRIVATE_KEY"):
        create_service_app(settings, title="t", routers=())
    with pytest.raises(ValueError, match="SEAL_PRIVATE_KEY"):
        service_signer(settings)


async def test_an_sm2_deployment_publishes_its_sm2_key_and_an_ed25519_one_retired() -> (
    None
):
    # A deployment that moved to the national algorithms at a rotation.
    old = Ed25519Signer.generate()
    retired = Jwk.of(old.private_key.public_key(), kid=old.key_id)
    pem = new_signing_key_pem("sm2-sm3")
    settings = _settings(
        pem, signature_suite="sm2-sm3", signing_keys_retired=(retired,)
    )
    app = create_service_app(settings, title="t", routers=())

    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        body = (await client.get("/.well-known/jwks.json")).json()

    current, before = body["keys"]
    assert (current["kty"], current["crv"], current["alg"]) == ("EC", "SM2", "SM2SM3")
    assert current["kid"] == service_signer(settings).key_id
    assert (before["kty"], before["alg"], "y" in before) == ("OKP", "EdDSA", False)


def test_an_sm2_deployment_refuses_an_ed25519_key() -> None:
    settings = _settings(new_private_key_pem(), signature_suite="sm2-sm3")

    with pytest.raises(ValueError, match="not an SM2 private key"):
        service_signer(settings)
