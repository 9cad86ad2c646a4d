"""Every problem code and invalid-input rule the services can answer with, found in the
code (not a hand list): `RuleViolated(code, …)` calls, error classes' `code`, and
`InvalidInput(field, rule, …)` rule names, each with where it is raised."""

from __future__ import annotations

import ast
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

# Test code and the demo raise nothing a client sees.
_SKIPPED_PARTS = frozenset({"tests", "demo", "__pycache__"})


@dataclass(frozen=True)
class Found:
    """One name (a problem code or a rule) and one place that raises it."""

    kind: str  # "code" or "rule"
    name: str
    where: str  # path:line, relative to the repository


def _text(node: ast.expr | None) -> str | None:
    return (
        node.value
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
        else None
    )


def _argument(call: ast.Call, position: int, keyword: str) -> ast.expr | None:
    for given in call.keywords:
        if given.arg == keyword:
            return given.value
    return call.args[position] if len(call.args) > position else None


def _called(call: ast.Call) -> str:
    func = call.func
    return func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")


def _in_module(tree: ast.Module, where: str) -> Iterator[Found]:
    errors = _error_classes(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _called(node) == "RuleViolated":
            name = _text(_argument(node, 0, "code"))
            if name:
                yield Found("code", name, f"{where}:{node.lineno}")
        elif isinstance(node, ast.Call) and _called(node) == "_problem":
            # The kernel's problem+json answers built without an error class.
            name = _text(_argument(node, 1, "code"))
            if name:
                yield Found("code", name, f"{where}:{node.lineno}")
        elif (
            isinstance(node, ast.Assign)
            and _target_is_code(node)
            and isinstance(node.value, ast.Call)
        ):
            # `code = {404: "not-found", …}.get(status, "http-error")`
            for name in _mapped_texts(node.value):
                yield Found("code", name, f"{where}:{node.lineno}")
        elif isinstance(node, ast.Call) and _called(node) == "InvalidInput":
            name = _text(_argument(node, 1, "rule"))
            if name:
                yield Found("rule", name, f"{where}:{node.lineno}")
        elif isinstance(node, ast.ClassDef) and node.name in errors:
            yield from _class_code(node, where)
        elif isinstance(node, ast.Dict):
            # A problem's `errors` entry built by hand ({"rule": …}), as the kernel's
            # IdempotencyKeyReused does.
            for key, value in zip(node.keys, node.values, strict=True):
                name = _text(value)
                if _text(key) == "rule" and name:
                    yield Found("rule", name, f"{where}:{node.lineno}")


def _error_classes(tree: ast.Module) -> set[str]:
    """Classes of the module derived, at any depth, from a class named `…Error` (the
    kernel's DomainError) or from one of the kernel's error names imported here."""
    bases = {
        node.name: {b.id for b in node.bases if isinstance(b, ast.Name)}
        for node in ast.walk(tree)
        if isinstance(node, ast.ClassDef)
    }
    errors = {"DomainError", "ConcurrencyConflict"}
    grown = True
    while grown:
        more = {name for name, of in bases.items() if of & errors} - errors
        errors |= more
        grown = bool(more)
    return errors - {"DomainError"}


def _mapped_texts(value: ast.expr) -> list[str]:
    """The texts a `{…}.get(key, default)` can give."""
    if isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute):
        owner = value.func.value
        texts = [_text(v) for v in owner.values] if isinstance(owner, ast.Dict) else []
        texts += [_text(a) for a in value.args[1:]]
        return [t for t in texts if t]
    return []


def _class_code(node: ast.ClassDef, where: str) -> Iterator[Found]:
    """`code = "…"` in the body of an error class."""
    for statement in node.body:
        if (
            isinstance(statement, ast.Assign | ast.AnnAssign)
            and _target_is_code(statement)
            and (name := _text(statement.value))
        ):
            yield Found("code", name, f"{where}:{statement.lineno}")


def _target_is_code(statement: ast.Assign | ast.AnnAssign) -> bool:
    targets = (
        statement.targets if isinstance(statement, ast.Assign) else [statement.target]
    )
    return any(isinstance(t, ast.Name) and t.id == "code" for t in targets)


def scan(root: Path, folders: tuple[str, ...] = ("shared", "services")) -> list[Found]:
    """Every code and rule under the folders, in path order."""
    found: list[Found] = []
    for folder in folders:
        for path in sorted((root / folder).rglob("*.py")):
            relative = path.relative_to(root)
            if _SKIPPED_PARTS.intersection(relative.parts):
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            found.extend(_in_module(tree, relative.as_posix()))
    return found


def _service(where: str) -> str:
    parts = where.split("/")
    return parts[1] if parts[0] == "services" else "kernel"


def table(found: list[Found], kind: str) -> str:
    """A markdown table: each name once, the services it is raised in, and where."""
    places: dict[str, list[str]] = defaultdict(list)
    for item in found:
        if item.kind == kind:
            places[item.name].append(item.where)
    heading = "Code" if kind == "code" else "Rule"
    lines = [f"| {heading} | Raised by | Where |", "|---|---|---|"]
    for name in sorted(places):
        wheres = places[name]
        services = ", ".join(sorted({_service(w) for w in wheres}))
        links = "<br>".join(f"`{w}`" for w in wheres)
        lines.append(f"| `{name}` | {services} | {links} |")
    return "\n".join(lines)
