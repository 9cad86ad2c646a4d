"""Writes contracts/events/<type>.json, the JSON Schema of every event type and version
the services store (made by shared.contracts from the event classes), and says what a
change to them breaks:

    .venv/bin/python -m qingqian_local.contracts

Run it after adding an event type or a version. tests/contract/test_event_schemas.py
fails until its files are committed, and fails for good when a committed schema accepts
other data than before: a published version never changes (a new version and an
upcaster do). This writer never overwrites such a schema either."""

from __future__ import annotations

import importlib
import json
import pkgutil
import sys
from pathlib import Path
from typing import Any

from shared.contracts import Schema, service_schemas, structure
from shared.domain import Aggregate, event_classes
from shared.envelope import split_type

SERVICES = ("members", "cases", "credit", "meetings", "audit")
EVENTS = Path(__file__).resolve().parents[1] / "contracts" / "events"
GENERATE = "python -m qingqian_local.contracts"


def aggregates(service: str) -> list[Aggregate[Any, Any]]:
    """Every aggregate a service's domain package declares, in whichever module."""
    package = importlib.import_module(f"services.{service}.domain")
    modules = [package] + [
        importlib.import_module(found.name)
        for found in pkgutil.walk_packages(package.__path__, f"{package.__name__}.")
    ]
    found = {
        id(value): value
        for module in modules
        for value in vars(module).values()
        if isinstance(value, Aggregate)
    }
    return list(found.values())


def generated() -> dict[str, Schema]:
    """The current schema of every event type of every service, by CloudEvents type."""
    return {
        ce_type: schema
        for service in SERVICES
        for ce_type, schema in service_schemas(service, aggregates(service)).items()
    }


def committed(folder: Path = EVENTS) -> dict[str, Schema]:
    """The schemas in `folder`, by CloudEvents type (the file's name)."""
    return {
        path.name.removesuffix(".json"): json.loads(path.read_text(encoding="utf-8"))
        for path in sorted(folder.glob("*.json"))
    }


def text(schema: Schema) -> str:
    """A schema file's content (keys in the order pydantic gives them)."""
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


def breaking(new: dict[str, Schema], old: dict[str, Schema]) -> list[str]:
    """Types whose committed schema accepts other data than the generated one."""
    return sorted(
        t for t in new.keys() & old.keys() if structure(new[t]) != structure(old[t])
    )


def stale(new: dict[str, Schema], old: dict[str, Schema]) -> list[str]:
    """Types to (re)write: not committed, or committed with other text (annotations)."""
    return sorted(t for t in new if t not in old or text(new[t]) != text(old[t]))


def orphans(old: dict[str, Schema]) -> list[str]:
    """Committed types that no class makes and that are not an older version of one
    whose aggregate upcasts them (a stored event's schema is kept for good)."""
    upcast = {
        (service, u.event_type, u.from_version)
        for service in SERVICES
        for aggregate in aggregates(service)
        for u in aggregate.upcasters
    }
    current = {
        (service, cls.event_type()): cls.schema_version
        for service in SERVICES
        for aggregate in aggregates(service)
        for cls in event_classes(aggregate.events)
    }
    found = []
    for ce_type in old:
        service, event_type, version = split_type(ce_type)
        now = current.get((service, event_type), 0)
        if version > now or (
            version < now and (service, event_type, version) not in upcast
        ):
            found.append(ce_type)
    return sorted(found)


def write(folder: Path = EVENTS) -> tuple[list[str], list[str]]:
    """Writes the new and the re-annotated schemas into `folder`; (written, refused):
    a schema whose structure changed is refused, never overwritten."""
    new, old = generated(), committed(folder)
    refused = breaking(new, old)
    written = [t for t in stale(new, old) if t not in refused]
    folder.mkdir(parents=True, exist_ok=True)
    for ce_type in written:
        (folder / f"{ce_type}.json").write_text(text(new[ce_type]), encoding="utf-8")
    return written, refused


def main() -> int:
    """Writes contracts/events/; 1 when a published schema would have to change."""
    written, refused = write()
    for ce_type in written:
        print(f"wrote contracts/events/{ce_type}.json")  # noqa: T201 - a tool's output
    for ce_type in refused:
        print(  # noqa: T201 - a tool's output
            f"refused {ce_type}: its published schema would change;"
            " add a new version (schema_version) and an upcaster",
            file=sys.stderr,
        )
    return 1 if refused else 0


if __name__ == "__main__":
    sys.exit(main())
