"""The published contract of every event: a JSON Schema (draft 2020-12) of its `data`
per event type and version, made from the event class, named by the envelope's
`dataschema` and served at `GET /schemas/{type}` (docs/log-format.md, "Event schemas").

A published schema never changes: a change of shape is a new `schema_version` plus an
upcaster (tests/contract/test_event_schemas.py compares these with contracts/events/)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse

from shared.boundary import known_query_only
from shared.domain import Aggregate, Event, event_classes
from shared.envelope import schema_uri, type_name
from shared.errors import NotFound
from shared.problems import problem_responses

DIALECT = "https://json-schema.org/draft/2020-12/schema"
MEDIA_TYPE = "application/schema+json"
# Keys of a schema that say what it means, not what it accepts: changing them changes no
# event's validity, so it needs no new version (only the generator run again).
ANNOTATIONS = frozenset({"title", "description", "examples"})
# Keys whose value maps names to schemas (not a schema itself).
_SCHEMA_MAPS = frozenset({"properties", "patternProperties", "$defs"})

Schema = dict[str, Any]


def event_schema(service: str, cls: type[Event]) -> Schema:
    """The JSON Schema of the data of `cls` as the store writes it (`model_dump` in JSON
    mode), with the 2020-12 dialect and `$id` = the envelope's `dataschema`."""
    ce_type = type_name(service, cls.event_type(), cls.schema_version)
    body = cls.model_json_schema(mode="serialization")
    return {"$schema": DIALECT, "$id": schema_uri(ce_type), **body}


def service_schemas(
    service: str, aggregates: Iterable[Aggregate[Any, Any]]
) -> dict[str, Schema]:
    """Every event type's current schema of one service, by CloudEvents `type`."""
    return {
        schema["$id"].removeprefix(schema_uri("")): schema
        for aggregate in aggregates
        for cls in event_classes(aggregate.events)
        for schema in [event_schema(service, cls)]
    }


def structure(schema: Any) -> Any:
    """`schema` without its annotations (`ANNOTATIONS`): what decides which data it
    accepts, the part a published version may never change."""
    if isinstance(schema, list):
        return [structure(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    kept: Schema = {}
    for key, value in schema.items():
        if key in ANNOTATIONS:
            continue
        if key in _SCHEMA_MAPS and isinstance(value, dict):
            kept[key] = {name: structure(sub) for name, sub in value.items()}
        else:
            kept[key] = structure(value)
    return kept


def schemas_router(schemas: Mapping[str, Schema]) -> APIRouter:
    """`GET /schemas` (the types) and `GET /schemas/{type}` (one type's schema; 404
    for a type this service does not publish). No token: the contract is public."""
    router = APIRouter(
        tags=["contracts"],
        dependencies=[Depends(known_query_only)],
        responses=problem_responses(404, 422),
    )

    @router.get("/schemas", summary="The event types this service publishes")
    async def list_schemas() -> list[str]:
        return sorted(schemas)

    @router.get(
        "/schemas/{ce_type}",
        summary="The JSON Schema (2020-12) of one event type's data",
        response_class=JSONResponse,
        responses={200: {"content": {MEDIA_TYPE: {}}}},
    )
    async def get_schema(ce_type: str) -> JSONResponse:
        schema = schemas.get(ce_type)
        if schema is None:
            raise NotFound(f"no schema for event type {ce_type}")
        return JSONResponse(schema, media_type=MEDIA_TYPE)

    return router
