"""The service's signing key, taken from its settings (never from a table), and the
public half published at `/.well-known/jwks.json` for whoever verifies to pin."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse

from shared.boundary import known_query_only
from shared.settings import ServiceSettings
from shared.signatures import KeySigner, signer_from_pem
from shared.trust import Jwks

# Keys change only with a deployment: a verifier may keep the set for a while.
_CACHE_CONTROL = "public, max-age=300"


def service_signer(settings: ServiceSettings) -> KeySigner:
    """The key the service signs its appends (writer tags) and seals with:
    `SEAL_PRIVATE_KEY` (a compose secret, a Kubernetes Secret), a key of the suite
    `SIGNATURE_SUITE` names. Raises without it, or with a key of another suite."""
    if settings.seal_private_key is None:
        raise ValueError("SEAL_PRIVATE_KEY is required")
    return signer_from_pem(
        settings.seal_private_key.get_secret_value(), settings.signature_suite
    )


def published_keys(settings: ServiceSettings) -> Jwks:
    """What the service publishes: its key now and the retired ones with their validity
    (`SIGNING_KEYS_RETIRED`), so what they signed still verifies after a rotation."""
    return Jwks.of_signers(service_signer(settings), settings.signing_keys_retired)


def jwks_router(keys: Jwks) -> APIRouter:
    """`GET /.well-known/jwks.json`: no token needed, it holds public keys only."""
    router = APIRouter(tags=["operations"], dependencies=[Depends(known_query_only)])
    body = keys.model_dump(mode="json")

    @router.get("/.well-known/jwks.json", response_model=Jwks)
    async def jwks() -> JSONResponse:
        """The keys this service's events and seals verify with (RFC 7517: Ed25519 as
        OKP, or SM2 as EC with `alg` SM2SM3), current first; pin them (`qingqian verify --trust`)."""
        return JSONResponse(body, headers={"Cache-Control": _CACHE_CONTROL})

    return router
