"""Answers that caches may keep: a strong `ETag` over the body, `Cache-Control`, and
304 Not Modified when the client already holds that body (`If-None-Match`)."""

from __future__ import annotations

import hashlib

from fastapi import Request, Response
from pydantic import BaseModel


def cacheable(
    request: Request, view: BaseModel, *, max_age: int, varying: frozenset[str]
) -> Response:
    """The view as JSON with an ETag made of every field but those in `varying`
    (a timestamp of the answer itself), or 304 when `If-None-Match` names it."""
    stable = view.model_dump_json(exclude=set(varying)).encode()
    etag = '"' + hashlib.sha256(stable).hexdigest()[:32] + '"'
    headers = {
        "ETag": etag,
        "Cache-Control": f"public, max-age={max_age}",
        "Vary": "Accept-Encoding",
    }
    tags = _tags(request.headers.get("if-none-match"))
    if etag in tags or "*" in tags:
        return Response(status_code=304, headers=headers)
    return Response(
        view.model_dump_json(), media_type="application/json", headers=headers
    )


def _tags(header: str | None) -> set[str]:
    if not header:
        return set()
    return {t.strip().removeprefix("W/") for t in header.split(",")}
