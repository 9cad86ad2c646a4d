"""The event contracts page, made from the committed AsyncAPI documents
(contracts/asyncapi/<service>.json, which a test holds equal to what the code makes):
each service's channels, and each message with its key and its `data` fields."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

_SCHEMAS = "#/components/schemas/"


def load(folder: Path) -> dict[str, dict[str, Any]]:
    """Each service's document, by service, in name order."""
    return {
        path.stem: json.loads(path.read_text(encoding="utf-8"))
        for path in sorted(folder.glob("*.json"))
    }


def page_section(folder: Path) -> str:
    """One section per service: channels, then a subsection per message."""
    documents = load(folder)
    if not documents:
        raise ValueError(f"no AsyncAPI documents in {folder}")
    return "\n\n".join(_service(name, doc) for name, doc in documents.items())


def _service(service: str, doc: dict[str, Any]) -> str:
    lines = [
        f"## {service}",
        "",
        f"`contracts/asyncapi/{service}.json`, served at `GET /asyncapi.json`.",
        "",
        "| channel | address (default namespace) | messages |",
        "|---|---|---|",
    ]
    for name, channel in doc["channels"].items():
        lines.append(
            f"| {name} | `{channel['address']}` | {len(channel['messages'])} |"
        )
    messages = doc["components"]["messages"]
    for name in doc["channels"]["events"]["messages"]:
        lines += ["", *_message(name, messages[name], doc["components"]["schemas"])]
    return "\n".join(lines)


def _message(name: str, message: dict[str, Any], schemas: dict[str, Any]) -> list[str]:
    data_ref = message["payload"]["properties"]["data"]["$ref"]
    schema = schemas[data_ref.removeprefix(_SCHEMAS)]
    key = message["bindings"]["kafka"]["key"]["pattern"].removeprefix("^")
    lines = [
        f"### `{name}`",
        "",
        message["summary"],
        "",
        f"Key: the stream id, `{key}<id>`. Schema of `data`: `GET /schemas/{name}`.",
        "",
        "| field of `data` | type | required |",
        "|---|---|---|",
    ]
    required = set(schema.get("required", ()))
    for field, spec in schema.get("properties", {}).items():
        is_required = "yes" if field in required else ""
        lines.append(f"| `{field}` | {_type(spec)} | {is_required} |")
    return lines


def _type(spec: Any) -> str:
    """A field's type in a few words: a named schema, a list of one, or a union."""
    if not isinstance(spec, dict):
        return "any"
    if "$ref" in spec:
        return f"`{spec['$ref'].removeprefix(_SCHEMAS)}`"
    if "const" in spec:
        return f"`{json.dumps(spec['const'], ensure_ascii=False)}`"
    for union in ("anyOf", "oneOf"):
        if union in spec:
            return " or ".join(_type(option) for option in spec[union])
    kind = spec.get("type", "any")
    if kind == "array":
        return f"list of {_type(spec.get('items'))}"
    if "format" in spec:
        return f"{kind} ({spec['format']})"
    return str(kind)
