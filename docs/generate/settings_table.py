"""The configuration reference, made from the settings classes themselves: every
environment variable each service reads (`ServiceSettings` and each service's own
class) and every key of the district file's limits, with its type, default and bounds
as pydantic holds them. What each one does comes from `docs/settings-notes.yml`; a
setting without a note, or a note without a setting, stops the build."""

from __future__ import annotations

import ast
import inspect
import textwrap
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from services.audit.settings import AuditSettings
from services.cases.domain.limits import CaseLimits
from services.cases.settings import CasesSettings
from services.credit.domain.limits import CreditLimits
from services.credit.settings import CreditSettings
from services.meetings.settings import MeetingsSettings
from services.members.settings import MembersSettings
from shared.settings import ServiceSettings

SERVICES: dict[str, type[ServiceSettings]] = {
    "members": MembersSettings,
    "cases": CasesSettings,
    "meetings": MeetingsSettings,
    "credit": CreditSettings,
    "audit": AuditSettings,
}
LIMITS: dict[str, type[BaseModel]] = {"cases": CaseLimits, "credit": CreditLimits}
_BOUNDS = {"ge": "≥", "gt": ">", "le": "≤", "lt": "<"}
_LENGTHS = {"min_length": "length ≥", "max_length": "length ≤"}


class NotesOutOfStep(Exception):
    """The notes and the settings classes name different settings."""


def notes(path: Path) -> dict[str, str]:
    """What each setting does, by environment variable or `limits.<service>.<key>`."""
    loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {str(k): " ".join(str(v).split()) for k, v in loaded.items()}


def _bounds(field: FieldInfo) -> str:
    said: list[str] = []
    for item in field.metadata:
        for name, sign in {**_BOUNDS, **_LENGTHS}.items():
            value = getattr(item, name, None)
            if value is not None:
                said.append(f"{sign} {value}")
        if getattr(item, "pattern", None):
            said.append(f"matches `{item.pattern}`")
    return ", ".join(said)


def _default(field: FieldInfo) -> str:
    if field.is_required():
        return "required"
    value: Any = (
        field.default_factory()  # type: ignore[call-arg]
        if field.default_factory is not None
        else field.default
    )
    if value is None or value is PydanticUndefined:
        return "unset"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if value in ((), {}, []):
        return "empty"
    return f"`{value}`"


def _type(field: FieldInfo) -> str:
    annotation = field.annotation
    text = annotation.__name__ if isinstance(annotation, type) else str(annotation)
    text = text.replace("typing.", "").replace("pathlib.", "")
    text = text.replace("pydantic.types.", "").replace("shared.trust.", "")
    return f"`{text}`".replace("|", "\\|")


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _service_defaults(name: str) -> str:
    """`8001` for all, or `members 8001, cases 8002` when the services differ."""
    given = {
        svc: _default(cls.model_fields[name])
        for svc, cls in SERVICES.items()
        if name in cls.model_fields
    }
    if len(set(given.values())) == 1:
        return next(iter(given.values()))
    return ", ".join(f"{svc}: {value}" for svc, value in given.items())


def _who(name: str) -> str:
    having = [svc for svc, cls in SERVICES.items() if name in cls.model_fields]
    return "all" if len(having) == len(SERVICES) else ", ".join(having)


def service_table(said: dict[str, str]) -> str:
    """Every environment variable a service reads, as a markdown table."""
    names = list(
        dict.fromkeys(n for cls in SERVICES.values() for n in cls.model_fields)
    )
    _check(said, (n.upper() for n in names), prefix="")
    lines = [
        "| Variable | Services | Type | Default | Bounds | What it does |",
        "|---|---|---|---|---|---|",
    ]
    for name in names:
        field = next(
            c.model_fields[name] for c in SERVICES.values() if name in c.model_fields
        )
        lines.append(
            f"| `{name.upper()}` | {_who(name)} | {_type(field)} | "
            f"{_service_defaults(name)} | {_bounds(field)} | {_cell(said[name.upper()])} |"
        )
    return "\n".join(lines)


def limits_table(service: str, said: dict[str, str]) -> str:
    """The `[limits.<service>]` keys of the district file, as a markdown table."""
    model = LIMITS[service]
    prefix = f"limits.{service}."
    _check(said, (prefix + n for n in model.model_fields), prefix=prefix)
    comments = field_comments(model)
    lines = ["| Key | Default | Bounds | What it is |", "|---|---|---|---|"]
    for name, field in model.model_fields.items():
        what = said.get(prefix + name) or comments.get(name, "")
        lines.append(
            f"| `{name}` | {_default(field)} | {_bounds(field)} | {_cell(what)} |"
        )
    return "\n".join(lines)


def _check(said: dict[str, str], names: Iterable[str], *, prefix: str) -> None:
    wanted = set(names)
    ours = {k for k in said if k.startswith("limits.") == bool(prefix)}
    ours = {k for k in ours if k.startswith(prefix)}
    unknown = sorted(ours - wanted)
    if unknown:
        raise NotesOutOfStep(f"docs/settings-notes.yml names no setting: {unknown}")
    if not prefix and (missing := sorted(wanted - ours)):
        raise NotesOutOfStep(f"docs/settings-notes.yml has no note for {missing}")


def field_comments(model: type[BaseModel]) -> dict[str, str]:
    """The comment lines right above each field in the class's source."""
    source = textwrap.dedent(inspect.getsource(model))
    lines = source.splitlines()
    found: dict[str, str] = {}
    for node in ast.parse(source).body[0].body:  # type: ignore[attr-defined]
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            above: list[str] = []
            row = node.lineno - 2
            while row >= 0 and lines[row].strip().startswith("#"):
                above.insert(0, lines[row].strip().lstrip("# "))
                row -= 1
            found[node.target.id] = " ".join(above)
    return found
