"""The public keys audit verifies each service with, pinned in its own database: given
in configuration, or fetched from the service's `/.well-known/jwks.json` at first use.
A key that appears later is pinned only when the service's key set records the
rotation (every pinned key still published, the current ones now with an end);
otherwise it is a finding and stays untrusted."""

from __future__ import annotations

from collections.abc import Iterable

import asyncpg
import httpx
import structlog
from pydantic import ValidationError

from services.audit.checks import Finding, FindingKind
from shared.db import DbConnection
from shared.trust import Jwk, Jwks

log = structlog.get_logger()

_FETCH_TIMEOUT = 5.0


class KeyPins:
    """Pinned keys per service, and how new ones come in."""

    def __init__(
        self,
        pool: asyncpg.Pool,
        *,
        configured: dict[str, Jwks],
        urls: dict[str, str],
    ) -> None:
        self.pool = pool
        self.configured = configured
        self.urls = urls

    async def trust(self, conn: DbConnection, service: str) -> Jwks:
        """The keys pinned for the service."""
        rows = await conn.fetch(
            "SELECT jwk FROM pinned_keys WHERE service = $1 ORDER BY pinned_at, kid",
            service,
        )
        return Jwks(keys=tuple(Jwk.model_validate(r["jwk"]) for r in rows))

    async def prepare(
        self, conn: DbConnection, service: str, kids: Iterable[str]
    ) -> list[Finding]:
        """Make sure the keys named by `kids` are pinned if they may be: at first use
        everything the configuration or the service publishes; later, only keys whose
        rotation the published set records. A key that may not be is a finding, once."""
        pinned = await self.trust(conn, service)
        unknown = {k for k in kids if pinned.find(k) is None}
        if not unknown:
            return []
        if not pinned.keys:
            first = self.configured.get(service) or await self._fetch(service)
            pinned = first or Jwks()
            await self._pin(conn, service, pinned.keys, origin="first")
            unknown = {k for k in unknown if pinned.find(k) is None}
            if not unknown:
                return []
        published = await self._fetch(service)
        found: list[Finding] = []
        for kid in sorted(unknown):
            if (
                published is not None
                and published.find(kid)
                and rotation_recorded(pinned, published)
            ):
                await self._pin(conn, service, published.keys, origin="rotation")
            elif not await _reported(conn, service, kid):
                found.append(
                    Finding(
                        FindingKind.KEY_SWAPPED,
                        f"signed with key {kid}, which was never pinned, and the"
                        " service's key set records no rotation to it",
                        key_id=kid,
                    )
                )
        return found

    async def _pin(
        self, conn: DbConnection, service: str, keys: Iterable[Jwk], *, origin: str
    ) -> None:
        for key in keys:
            await conn.execute(
                "INSERT INTO pinned_keys (service, kid, jwk, origin)"
                " VALUES ($1, $2, $3, $4) ON CONFLICT (service, kid) DO NOTHING",
                service,
                key.kid,
                key.model_dump(mode="json"),
                origin,
            )
            log.info("audit_key_pinned", followed=service, kid=key.kid, origin=origin)

    async def _fetch(self, service: str) -> Jwks | None:
        base = self.urls.get(service)
        if base is None:
            return None
        url = base.rstrip("/") + "/.well-known/jwks.json"
        try:
            async with httpx.AsyncClient(timeout=_FETCH_TIMEOUT) as client:
                response = await client.get(url)
                response.raise_for_status()
            return Jwks.model_validate_json(response.content)
        except (httpx.HTTPError, ValidationError) as exc:
            log.warning(
                "audit_jwks_unavailable", followed=service, error=type(exc).__name__
            )
            return None


def rotation_recorded(pinned: Jwks, published: Jwks) -> bool:
    """Whether the published set records a rotation away from the pinned keys: each
    pinned key still published, unchanged, and each that had no end now has one."""
    for key in pinned.keys:
        now = published.find(key.kid)
        if now is None or now.x != key.x:
            return False
        if key.exp is None and now.exp is None:
            return False
    return True


async def _reported(conn: DbConnection, service: str, kid: str) -> bool:
    found = await conn.fetchval(
        "SELECT 1 FROM audit_findings WHERE service = $1 AND kind = $2 AND key_id = $3",
        service,
        FindingKind.KEY_SWAPPED.value,
        kid,
    )
    return found is not None
