"""`GET /schemas/{type}`: a service serves the schema of each event type it publishes,
the one its envelopes' `dataschema` names; any other type is a 404 problem."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI

from services.cases.domain.case import CASE
from shared.contracts import schemas_router, service_schemas
from shared.problems import add_problem_handlers

SCHEMAS = service_schemas("cases", [CASE])


pytestmark = pytest.mark.asyncio


async def get(path: str) -> httpx.Response:
    app = FastAPI()
    add_problem_handlers(app, retry_after=1)
    app.include_router(schemas_router(SCHEMAS))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        return await client.get(path)


async def test_a_type_the_service_publishes_is_served_as_its_schema() -> None:
    answer = await get("/schemas/qingqian.cases.CaseAssigned.v1")

    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/schema+json"
    assert answer.json() == SCHEMAS["qingqian.cases.CaseAssigned.v1"]
    assert answer.json()["$id"] == "urn:qingqian:schema:qingqian.cases.CaseAssigned.v1"


async def test_the_list_names_every_type_of_the_service() -> None:
    answer = await get("/schemas")

    assert answer.json() == sorted(SCHEMAS)
    assert "qingqian.cases.CaseReceived.v2" in answer.json()


async def test_another_type_or_version_is_a_404_problem() -> None:
    for unknown in (
        "qingqian.cases.CaseAssigned.v2",
        "qingqian.members.UnitAdmitted.v1",
        "nothing",
    ):
        answer = await get(f"/schemas/{unknown}")

        assert answer.status_code == 404
        assert answer.headers["content-type"] == "application/problem+json"
        assert answer.json()["code"] == "not-found"
