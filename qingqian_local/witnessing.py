"""What `qingqian verify` holds a database against besides its topics: the audit
service's co-signature of the service's latest seal (`GET /witness/{service}`), read
with a token and checked with audit's PINNED key (the trust file's `audit` set, or the
local keys), never with a key fetched beside it."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import httpx
from pydantic import ValidationError

from qingqian_local.keys import LocalKeys
from shared.auth import Scope, issue_token, service_account
from shared.settings import ServiceSettings
from shared.witness import Witnessed

WITNESS = "audit"
_TIMEOUT = 5.0


def witness_token(data: Path) -> str | None:
    """QQ_TOKEN, else a short token of the local stack's (`events:read`, which
    co-signatures are read with); None on a home without the token key."""
    given = os.environ.get("QQ_TOKEN")
    if given:
        return given
    keys = LocalKeys(data / "keys")
    if not keys.has_jwt_private():
        return None
    actor = service_account("verify", frozenset({Scope.EVENTS_READ}))
    audience = ServiceSettings().audience
    return issue_token(
        keys.jwt_private(), actor, audience=audience, ttl=timedelta(minutes=5)
    )


async def witnessed_seal(
    url: str, service: str, token: str | None
) -> tuple[Witnessed | None, str]:
    """The witness's co-signature of the service's latest seal, or None; and a line
    saying what was read (or why nothing)."""
    headers = {} if token is None else {"Authorization": f"Bearer {token}"}
    try:
        async with httpx.AsyncClient(timeout=_TIMEOUT, headers=headers) as client:
            answer = await client.get(f"{url.rstrip('/')}/witness/{service}")
    except httpx.HTTPError as exc:
        return None, f"no witness at {url} ({type(exc).__name__})"
    if answer.status_code == 404:
        return None, f"the witness at {url} has co-signed no seal of {service} yet"
    if answer.status_code != 200:
        return None, f"the witness at {url} answered {answer.status_code}"
    try:
        witnessed = Witnessed.model_validate_json(answer.content)
    except ValidationError:
        return None, f"the witness at {url} answered something not a co-signature"
    seal = witnessed.seal
    return witnessed, (
        f"seal {seal.seal_no} (tree of {seal.tree_size}) co-signed by the witness"
        f" at {url}"
    )
