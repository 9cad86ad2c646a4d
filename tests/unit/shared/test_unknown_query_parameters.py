"""Every GET route of every service refuses a query parameter it does not declare with
a 422 naming it (issue 14: a misspelt filter must not answer as if unfiltered). The
apps are served without starting (no database): the boundary answers before any route
or dependency that needs one runs."""

from __future__ import annotations

import re
import warnings

import httpx
import pytest
from fastapi import FastAPI

from tests.unit.shared.test_operation_ids import APPS

pytestmark = pytest.mark.asyncio
_PATH_PARAMETER = re.compile(r"\{[^}]+\}")
BOGUS = "bogus_filter"
# Probes and the metrics scrape are configured outside the system, take nothing and
# filter nothing: a probe with a cache-busting parameter must not fail the pod.
PROBES = {"/healthz", "/readyz", "/metrics"}


def _get_paths(app: FastAPI) -> list[str]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        paths = app.openapi()["paths"]
    return sorted(
        path
        for path, operations in paths.items()
        if "get" in operations and path not in PROBES
    )


@pytest.mark.parametrize("service", sorted(APPS))
async def test_every_get_route_refuses_an_unknown_query_parameter(
    service: str,
) -> None:
    app = APPS[service]()
    paths = _get_paths(app)
    assert paths, f"{service} documents no GET route"
    answered = {}
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        for path in paths:
            url = _PATH_PARAMETER.sub("x1", path)
            answer = await client.get(url, params={BOGUS: "1"})
            body = answer.json() if answer.status_code == 422 else {}
            answered[path] = (answer.status_code, BOGUS in str(body))

    assert {p: a for p, a in answered.items() if a != (422, True)} == {}
