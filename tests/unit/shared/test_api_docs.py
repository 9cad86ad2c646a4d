"""Swagger UI and ReDoc work without internet: their pages load only what the service
itself serves, and the OpenAPI offers the bearer token to the Authorize button."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import APIRouter, Depends
from pydantic import SecretStr

from shared.auth import Actor
from shared.chain import new_private_key_pem
from shared.dependencies import current_actor
from shared.http import create_service_app
from shared.key_wrapping import Kek
from shared.settings import ServiceSettings

BASE = "http://service.test"


def _router() -> APIRouter:
    router = APIRouter()

    @router.get("/whoami")
    async def whoami(actor: Actor = Depends(current_actor)) -> str:  # noqa: B008
        return actor.person

    return router


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    settings = ServiceSettings(
        database_url="postgresql://unused/unused",
        jwt_public_key=SecretStr("unused"),
        seal_private_key=SecretStr(new_private_key_pem()),
        personal_data_kek=SecretStr(Kek.generate().to_base64()),
    )
    app = create_service_app(settings, title="t", routers=(_router(),))
    # No lifespan: the pages and their assets need no database.
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url=BASE) as http:
        yield http


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
async def test_a_docs_page_loads_nothing_from_outside_the_service(
    client: httpx.AsyncClient, page: str
) -> None:
    answer = await client.get(page)

    assert answer.status_code == 200
    outside = re.findall(r"""(?:src|href)\s*=\s*["'](?!/)([^"']*)""", answer.text)
    assert outside == []
    assert re.findall(r"https?://", answer.text) == []
    for asset in re.findall(r"""(?:src|href)\s*=\s*["'](/[^"']*)""", answer.text):
        served = await client.get(asset)
        assert served.status_code == 200, asset
        assert len(served.content) > 1000, asset


async def test_the_openapi_offers_the_bearer_token(client: httpx.AsyncClient) -> None:
    schema = (await client.get("/openapi.json")).json()

    assert schema["components"]["securitySchemes"]["bearer"] == {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "JWT",
        "description": "An Ed25519-signed JWT: the one `qingqian up` prints, or"
        " `qingqian token`.",
    }
    operation = schema["paths"]["/whoami"]["get"]
    assert operation["security"] == [{"bearer": []}]
    assert "parameters" not in operation  # no longer a header field of its own
