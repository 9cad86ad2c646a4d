"""A service's AsyncAPI 3.0 document, made from its aggregates' event classes: the
events topic (a CloudEvents message per event type and version, keyed by stream id)
and the seals topic (the signed tree heads of docs/log-format.md). Pure: the service
hands in what it stores; `qingqian contracts` writes the same document to
contracts/asyncapi/<service>.json and `GET /asyncapi.json` serves it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from shared.boundary import known_query_only
from shared.domain import Aggregate, Event, event_classes
from shared.envelope import CONTENT_TYPE, Envelope, type_name
from shared.relay.batches import CLOUDEVENTS_JSON, CONTENT_TYPE_HEADER, EPOCH_HEADER
from shared.relay.topics import WHOLE_LOG_CONFIGS
from shared.tree_head import Seal

ASYNCAPI_VERSION = "3.0.0"
KAFKA_BINDING_VERSION = "0.5.0"
_SCHEMAS = "#/components/schemas/"
ENVELOPE_SCHEMA = "CloudEvent"
SEAL_SCHEMA = "SealMessage"
SEAL_MESSAGE = "seal"


class SealMessage(Seal):
    """The body of a message on `<namespace>.<service>.seals`: the seal and the `source`
    of the log it seals (not signed)."""

    source: str


def asyncapi_document(
    *, service: str, namespace: str, aggregates: Sequence[Aggregate[Any, Any]]
) -> dict[str, Any]:
    """The AsyncAPI 3.0 document of what the service's relay publishes: the same for
    the same code, namespace and service (no clock, no host)."""
    events = sorted(
        ((a.category, cls) for a in aggregates for cls in event_classes(a.events)),
        key=lambda found: found[1].event_type(),
    )
    refs, schemas = _schemas([cls for _, cls in events])
    messages = {
        type_name(service, cls.event_type(), cls.schema_version): _event_message(
            service, category, cls, data_ref=refs[cls]
        )
        for category, cls in events
    }
    messages[SEAL_MESSAGE] = _seal_message()
    return {
        "asyncapi": ASYNCAPI_VERSION,
        "id": f"urn:qingqian:{service}",
        "info": _info(service),
        "defaultContentType": CONTENT_TYPE,
        "channels": _channels(service, namespace, [*messages]),
        "operations": _operations(service, [*messages]),
        "components": {"schemas": schemas, "messages": messages},
    }


def _info(service: str) -> dict[str, Any]:
    return {
        "title": f"Qingqian {service}: events and seals",
        "version": "1.0.0",
        "description": (
            f"What the {service} service publishes to Kafka. Each event is a"
            " CloudEvents 1.0 event in structured JSON mode, keyed by its stream id, so"
            " a stream's events keep their order in one partition; its `data` follows"
            " the schema of its `type` (`qingqian.<service>.<Event>.v<n>`: a changed"
            " shape is a new version, never a changed one). Each seal signs the tree"
            " head of every event published before it (docs/log-format.md)."
        ),
    }


def _schemas(
    classes: Sequence[type[Event]],
) -> tuple[dict[type[Event], str], dict[str, Any]]:
    """Each event class's `$ref` and every schema the document holds: the event
    classes and their parts, the CloudEvents envelope and the seal message, under one
    namespace of names (`models_json_schema` keeps clashing names apart)."""
    models: list[type[BaseModel]] = [*classes, Envelope, SealMessage]
    found, top = models_json_schema(
        [(m, "serialization") for m in models], ref_template=_SCHEMAS + "{model}"
    )
    defs: dict[str, Any] = top.get("$defs", {})
    renamed = {
        found[(Envelope, "serialization")]["$ref"]: ENVELOPE_SCHEMA,
        found[(SealMessage, "serialization")]["$ref"]: SEAL_SCHEMA,
    }
    for ref, name in renamed.items():
        defs[name] = defs.pop(ref.removeprefix(_SCHEMAS))
    refs = {cls: found[(cls, "serialization")]["$ref"] for cls in classes}
    return refs, {name: _asyncapi_schema(defs[name]) for name in sorted(defs)}


def _asyncapi_schema(node: Any) -> Any:
    """The schema in AsyncAPI's dialect: its `discriminator` is the property's name
    alone, where pydantic writes OpenAPI's object (the `oneOf` still decides)."""
    if isinstance(node, list):
        return [_asyncapi_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    return {
        key: (
            value["propertyName"]
            if key == "discriminator" and isinstance(value, dict)
            else _asyncapi_schema(value)
        )
        for key, value in node.items()
    }


def _event_message(
    service: str, category: str, cls: type[Event], *, data_ref: str
) -> dict[str, Any]:
    ce_type = type_name(service, cls.event_type(), cls.schema_version)
    stream = {
        "type": "string",
        "pattern": f"^{category}-",
        "description": f"The stream id, `{category}-<id>`.",
    }
    return {
        "name": ce_type,
        "title": cls.event_type(),
        "summary": _summary(cls),
        "contentType": CONTENT_TYPE,
        "headers": _headers(),
        "payload": {
            "allOf": [{"$ref": _SCHEMAS + ENVELOPE_SCHEMA}],
            "type": "object",
            "required": ["type", "subject", "data"],
            "properties": {
                "type": {"const": ce_type},
                "subject": stream,
                "data": {"$ref": data_ref},
            },
        },
        "correlationId": {"location": "$message.payload#/correlationid"},
        "bindings": {"kafka": {"key": stream, "bindingVersion": KAFKA_BINDING_VERSION}},
    }


def _headers() -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {
            EPOCH_HEADER: {
                "type": "string",
                "description": (
                    "The relay's epoch: a new one starts when the broker lost what it"
                    " held, and consumers read the topic again from the start."
                ),
            },
            CONTENT_TYPE_HEADER: {
                "const": CLOUDEVENTS_JSON,
                "description": (
                    "CloudEvents structured mode (Kafka protocol binding): the value"
                    " is the whole event as JSON."
                ),
            },
        },
        "required": [EPOCH_HEADER, CONTENT_TYPE_HEADER],
    }


def _seal_message() -> dict[str, Any]:
    return {
        "name": SEAL_MESSAGE,
        "title": "Seal",
        "summary": _summary(SealMessage),
        "contentType": "application/json",
        "payload": {"$ref": _SCHEMAS + SEAL_SCHEMA},
        "bindings": {
            "kafka": {
                "key": {
                    "type": "string",
                    "description": "The `source` of the log the seal covers.",
                },
                "bindingVersion": KAFKA_BINDING_VERSION,
            }
        },
    }


def _summary(model: type[BaseModel]) -> str:
    doc = model.__doc__ or model.__name__
    return " ".join(doc.split("\n\n", 1)[0].split())


def _channels(service: str, namespace: str, names: list[str]) -> dict[str, Any]:
    def channel(kind: str, messages: list[str], description: str) -> dict[str, Any]:
        return {
            "address": f"{namespace}.{service}.{kind}",
            "description": description,
            "messages": {m: {"$ref": f"#/components/messages/{m}"} for m in messages},
            "bindings": {"kafka": _topic_binding()},
        }

    events = [n for n in names if n != SEAL_MESSAGE]
    return {
        "events": channel(
            "events",
            events,
            "Every event the service appends, once, in the order it numbers them"
            " (`sequence`); one stream's events in order in one partition.",
        ),
        "seals": channel(
            "seals",
            [SEAL_MESSAGE],
            "The signed tree heads over the events topic, numbered without a gap.",
        ),
    }


def _topic_binding() -> dict[str, Any]:
    # The relay makes its topics keep the whole log (shared/relay/topics.py).
    config: dict[str, Any] = {
        "retention.ms": int(WHOLE_LOG_CONFIGS["retention.ms"]),
        "retention.bytes": int(WHOLE_LOG_CONFIGS["retention.bytes"]),
        "cleanup.policy": WHOLE_LOG_CONFIGS["cleanup.policy"].split(","),
    }
    return {"topicConfiguration": config, "bindingVersion": KAFKA_BINDING_VERSION}


def _operations(service: str, names: list[str]) -> dict[str, Any]:
    def send(channel: str, messages: list[str], summary: str) -> dict[str, Any]:
        return {
            "action": "send",
            "channel": {"$ref": f"#/channels/{channel}"},
            "summary": summary,
            "messages": [
                {"$ref": f"#/channels/{channel}/messages/{m}"} for m in messages
            ],
        }

    events = [n for n in names if n != SEAL_MESSAGE]
    return {
        "publishEvents": send(
            "events", events, f"The {service} relay publishes each appended event."
        ),
        "publishSeals": send(
            "seals", [SEAL_MESSAGE], f"The {service} relay publishes each seal."
        ),
    }


def asyncapi_router(document: Mapping[str, Any]) -> APIRouter:
    """`GET /asyncapi.json`: no token needed, it describes the topics only."""
    router = APIRouter(tags=["operations"], dependencies=[Depends(known_query_only)])
    body = dict(document)

    @router.get("/asyncapi.json")
    async def asyncapi() -> JSONResponse:
        """The AsyncAPI 3.0 document of this service's events and seals topics: every
        event type with its schema, the key, the CloudEvents envelope, the seal."""
        return JSONResponse(body, headers={"Cache-Control": "public, max-age=300"})

    return router
