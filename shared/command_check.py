"""The start-up check of a command table: a table that does not hold together stops the
service before it serves a request, instead of a 500 on the first command it breaks.

Reading a decide function's signature here only checks the rows; the facts a decide
function gets are always the ones its row lists."""

from __future__ import annotations

import inspect
import re
from collections import Counter
from collections.abc import Iterator
from typing import Any

from shared.command_table import (
    CommandTable,
    FromCommand,
    FromContext,
    Given,
    Numbered,
    Row,
)

_VERB = re.compile(r"[a-z][a-z0-9]*(-[a-z0-9]+)*")


class CommandTableError(ValueError):
    """A command table that does not hold together; names every problem found."""


def check_table(table: CommandTable[Any]) -> None:
    """Raises CommandTableError naming each problem of the table: two rows for one
    command; a decide function needing a fact its row does not give, or given one it
    does not take; a route with a bad, missing or repeated verb or path, or whose id
    rule does not fit it; a command a transition names without a row."""
    problems = list(table_problems(table))
    if problems:
        raise CommandTableError("; ".join(problems))


def table_problems(table: CommandTable[Any]) -> Iterator[str]:
    """Each problem of the table, as a sentence."""
    counts = Counter(row.command for row in table.rows)
    for command, count in counts.items():
        if count > 1:
            yield f"{command.__name__} has {count} rows"
    for row in table.rows:
        yield from _fact_problems(row)
        yield from _route_problems(row)
    yield from _repeats(
        "route", [r.route.path for r in table.rows if r.route is not None]
    )
    yield from _repeats(
        "step",
        [f"{r.aggregate.category} {r.verb}" for r in table.rows if r.verb is not None],
    )
    yield from _transition_problems(table)


def _fact_problems(row: Row[Any, Any]) -> Iterator[str]:
    name = f"{row.command.__name__}: {getattr(row.decide, '__name__', row.decide)}"
    parameters = inspect.signature(row.decide).parameters.values()
    positional = [p for p in parameters if p.kind is p.POSITIONAL_OR_KEYWORD]
    if len(positional) != 2:
        yield f"{name} must take (state, command) and then keyword facts"
    keywords = {p.name: p for p in parameters if p.kind is p.KEYWORD_ONLY}
    given = [f.name for f in row.facts]
    if isinstance(row.ids, Numbered) and row.ids.id_fact is not None:
        given.append(row.ids.id_fact)
    yield from (
        f"{name} is given {n} twice" for n, k in Counter(given).items() if k > 1
    )
    for wanted, p in keywords.items():
        if p.default is p.empty and wanted not in given:
            yield f"{name} needs the fact {wanted!r}, which no provider of its row gives"
    for extra in sorted(set(given) - keywords.keys()):
        yield f"{name} is given the fact {extra!r}, which it does not take"


def _route_problems(row: Row[Any, Any]) -> Iterator[str]:
    name = row.command.__name__
    route = row.route
    if route is None:
        return
    if not _VERB.fullmatch(route.verb):
        yield f"{name}: verb {route.verb!r} is missing or not kebab-case"
    if not route.resource or route.resource.startswith("/"):
        yield f"{name}: resource {route.resource!r} must be a path without a leading /"
    if route.creates:
        fits = isinstance(row.ids, FromCommand | Numbered)
        rule = "FromCommand or Numbered"
    elif route.id_param is not None:
        fits, rule = isinstance(row.ids, Given), "GIVEN (the path's id)"
    else:
        fits, rule = isinstance(row.ids, FromContext), "FromContext"
    if not fits:
        yield f"{name}: route {route.path} needs the id rule {rule}"


def _repeats(what: str, names: list[str]) -> Iterator[str]:
    for value, count in Counter(names).items():
        if count > 1:
            yield f"{what} {value} is used by {count} rows"


def _transition_problems(table: CommandTable[Any]) -> Iterator[str]:
    rows = {row.command for row in table.rows}
    for transitions in table.transitions:
        for status, steps in transitions.items():
            for command in steps:
                # A command without a route may be a next step (a watcher's): it is
                # checked by its decide function, and never offered over HTTP.
                if command not in rows:
                    yield f"after {status}: {command.__name__} has no row"
