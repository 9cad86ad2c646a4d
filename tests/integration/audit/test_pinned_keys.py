"""Audit pins each service's keys at first use from its published key set, and takes a
new key later only when that set records the rotation."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import asyncpg
import pytest
import pytest_asyncio
from fastapi import FastAPI

from services.audit.checks import FindingKind
from services.audit.keys import KeyPins
from shared.chain import Ed25519Signer
from shared.trust import Jwk, Jwks
from tests.service_server import serving

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]

OLD = Ed25519Signer.generate()
NEW = Ed25519Signer.generate()


class PublishedKeys:
    """A service's `/.well-known/jwks.json`, changed at will."""

    def __init__(self) -> None:
        self.keys = Jwks.of_signers(OLD)
        self.url = ""


@pytest_asyncio.fixture(loop_scope="session")
async def published() -> AsyncIterator[PublishedKeys]:
    keys = PublishedKeys()
    app = FastAPI()

    @app.get("/readyz")
    async def ready() -> dict[str, str]:
        return {}

    @app.get("/.well-known/jwks.json")
    async def jwks() -> dict[str, Any]:
        return keys.keys.model_dump(mode="json")

    async with serving(app) as client:
        keys.url = str(client.base_url)
        yield keys


async def prepare(pool: asyncpg.Pool, pins: KeyPins, kid: str) -> list[Any]:
    async with pool.acquire() as conn:
        return await pins.prepare(conn, "cases", [kid])


async def pinned(pool: asyncpg.Pool, pins: KeyPins) -> set[str]:
    async with pool.acquire() as conn:
        return {k.kid for k in (await pins.trust(conn, "cases")).keys}


async def test_the_keys_published_at_first_use_are_pinned(
    fresh_pool: asyncpg.Pool, published: PublishedKeys
) -> None:
    pins = KeyPins(fresh_pool, configured={}, urls={"cases": published.url})
    found = await prepare(fresh_pool, pins, OLD.key_id)

    assert found == []
    assert await pinned(fresh_pool, pins) == {OLD.key_id}


async def test_a_rotation_the_key_set_records_pins_the_new_key(
    fresh_pool: asyncpg.Pool, published: PublishedKeys
) -> None:
    pins = KeyPins(fresh_pool, configured={}, urls={"cases": published.url})
    await prepare(fresh_pool, pins, OLD.key_id)
    retired = Jwk.of(
        OLD.private_key.public_key(), kid=OLD.key_id, expires=datetime.now(UTC)
    )
    published.keys = Jwks.of_signers(NEW, (retired,))

    found = await prepare(fresh_pool, pins, NEW.key_id)

    assert found == []
    assert await pinned(fresh_pool, pins) == {OLD.key_id, NEW.key_id}


async def test_a_key_swapped_without_a_rotation_record_is_a_finding(
    fresh_pool: asyncpg.Pool, published: PublishedKeys
) -> None:
    pins = KeyPins(fresh_pool, configured={}, urls={"cases": published.url})
    await prepare(fresh_pool, pins, OLD.key_id)
    # The old key gone from the set, no end recorded for it: a swap.
    published.keys = Jwks.of_signers(NEW)

    found = await prepare(fresh_pool, pins, NEW.key_id)

    assert [(f.kind, f.key_id) for f in found] == [
        (FindingKind.KEY_SWAPPED, NEW.key_id)
    ]
    assert await pinned(fresh_pool, pins) == {OLD.key_id}
