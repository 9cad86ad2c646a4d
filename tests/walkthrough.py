"""Runs the curl examples of an API walkthrough (docs/*-api.md) against running services,
in the order the page gives them, and holds each answer against the one the page shows.

The page stays as a reader sees it. A `curl` line of a ```sh block is run with the
walkthrough's variables (`$QQ`, `$QQ_TOKEN`…) set by the test; its answer is the
`# {…}` comment after it, or the ```json block right after the ```sh block (for the
block's last command). An answer is compared by shape: a JSON answer written in full
must match except for what differs between runs (positions, ids, times, hashes); one
shortened with `…` must hold every field it names, with the values it shows. Commands
that need the shell (`$(…)`, pipes) are skipped."""

from __future__ import annotations

import json
import re
import shlex
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

# What differs from run to run, and what the page says may differ (the day a watcher
# found something is the day the walkthrough runs).
VOLATILE = frozenset(
    {
        *("position", "id", "time", "hash", "prevhash", "correlationid"),
        *("causationid", "detected_on", "recommended_on", "today", "flagged_on"),
    }
)
_DECODER = json.JSONDecoder()
# Ids made per run (correlation ids, event ids) differ wherever they appear.
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


@dataclass
class Example:
    """One curl command of the page and the answer shown for it."""

    line: int
    command: str
    answer: str | None = None


@dataclass
class Walkthrough:
    """The services (by the variable that names their base URL) and the variables."""

    clients: dict[str, httpx.AsyncClient]
    variables: dict[str, str]
    # A position the page shows → the one this run gave (for `?wait_for=…@P`).
    positions: dict[int, int] = field(default_factory=dict)
    # A value the page shows that came from a variable on the day it was written (its
    # `$DUE`) → that variable's value now.
    shown_as: dict[str, str] = field(default_factory=dict)
    checked: int = 0


def examples(page: Path) -> list[Example]:
    """Every curl command of the page's ```sh blocks, with its answer."""
    found: list[Example] = []
    lines = page.read_text(encoding="utf-8").splitlines()
    row = 0
    while row < len(lines):
        if lines[row].strip() == "```sh":
            row, block = _block(lines, row + 1)
            found += block
            after = row + 1
            if block and after < len(lines) and lines[after].strip() == "```json":
                end = lines.index("```", after + 1)
                block[-1].answer = "\n".join(lines[after + 1 : end])
                row = end
        row += 1
    return found


def _block(lines: list[str], row: int) -> tuple[int, list[Example]]:
    """The examples of one ```sh block, and the row of its closing fence."""
    found: list[Example] = []
    while lines[row].strip() != "```":
        text, start = lines[row], row
        # A command goes on after a trailing backslash, and inside an open quote.
        while text.rstrip().endswith("\\") or not _is_closed(text):
            row += 1
            text = text.rstrip().removesuffix("\\") + " " + lines[row].strip()
        if text.lstrip().startswith("curl "):
            found.append(Example(start + 1, text.strip()))
        elif text.lstrip().startswith("# {") and found:
            found[-1].answer = text.lstrip()[2:]
        row += 1
    return row, found


def _is_closed(text: str) -> bool:
    try:
        shlex.split(text, comments=True)
    except ValueError:
        return False
    return True


def _words(example: Example, variables: dict[str, str]) -> list[str]:
    command = example.command
    for name in sorted(variables, key=len, reverse=True):
        command = command.replace(f"${name}", variables[name])
    return shlex.split(command, comments=True)


def _request(words: list[str]) -> tuple[str, str, dict[str, str], str | None]:
    method, url, headers, body = "GET", "", {}, None
    given = iter(words[1:])
    for word in given:
        if word == "-X":
            method = next(given)
        elif word == "-H":
            name, _, value = next(given).partition(":")
            headers[name.strip()] = value.strip()
        elif word == "-d":
            body = next(given)
            method = "POST" if method == "GET" else method
        elif not word.startswith("-"):
            url = word
    return method, url, headers, body


def is_query(example: Example) -> bool:
    """A GET: its answer may show what a projection or a watcher does a moment later."""
    return " -X " not in example.command and " -d " not in example.command


def needs_the_shell(example: Example, variables: dict[str, str]) -> bool:
    """`$(…)`, pipes and variables the test does not set are for a shell, not for us."""
    named = set(re.findall(r"\$(\w+)", example.command))
    return (
        "$(" in example.command
        or " | " in example.command
        or bool(named - set(variables))
    )


async def run(walk: Walkthrough, example: Example) -> httpx.Response:
    """Sends the example's request to the service its URL names."""
    words = _words(example, walk.variables)
    method, url, headers, body = _request(words)
    base, client = next(
        (base, c) for base, c in walk.clients.items() if url.startswith(base)
    )
    parts = urlsplit(url[len(base) :])
    query = re.sub(
        r"@(\d+)\b", lambda m: f"@{walk.positions.get(int(m[1]), m[1])}", parts.query
    )
    target = parts.path + (f"?{query}" if query else "")
    content = body.encode() if body is not None else None
    return await client.request(method, target, headers=headers, content=content)


def check(walk: Walkthrough, example: Example, answer: httpx.Response) -> None:
    """Holds the answer against the page's, by shape; a page without one wants a 2xx."""
    where = f"line {example.line}: {example.command[:80]}"
    if example.answer is None or "{" not in example.answer:
        assert answer.status_code < 400, f"{where}\n{answer.text}"
        return
    got = answer.json()
    shown = example.answer
    for then, now in walk.shown_as.items():
        shown = shown.replace(then, now)
    try:
        expected, _ = _DECODER.raw_decode(shown)
    except json.JSONDecodeError:
        _holds_every_pair(shown, got, where)
    else:
        _matches(expected, got, where)
        _learn_positions(walk, expected, got)
    status = re.search(r'"status":(\d{3})', shown)
    if status and int(status[1]) >= 400:
        assert answer.status_code == int(status[1]), f"{where}\n{answer.text}"
    else:
        assert answer.status_code < 400, f"{where}\n{answer.text}"
    walk.checked += 1


def _matches(expected: Any, got: Any, where: str) -> None:
    if isinstance(expected, dict):
        assert isinstance(got, dict), f"{where}: {got!r}"
        assert set(expected) == set(got), f"{where}: fields {set(got) ^ set(expected)}"
        for name, value in expected.items():
            if name not in VOLATILE:
                _matches(value, got[name], f"{where} .{name}")
    elif isinstance(expected, list):
        assert isinstance(got, list), f"{where}: {got!r}"
        assert len(got) == len(expected), f"{where}: {got!r}"
        for shown, given in zip(expected, got, strict=True):
            _matches(shown, given, where)
    elif not (isinstance(expected, str) and _UUID.fullmatch(expected)):
        assert got == expected, f"{where}: {got!r}, the page shows {expected!r}"


def _learn_positions(walk: Walkthrough, expected: Any, got: Any) -> None:
    if (
        isinstance(expected, dict)
        and isinstance(got, dict)
        and isinstance(expected.get("position"), int)
        and "position" in got
    ):
        walk.positions[expected["position"]] = got["position"]


# `"name":` followed by a value written out: a text, a number, true/false/null.
_PAIR = re.compile(r'"(\w+)":("(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?|true|false|null)')
_KEY = re.compile(r'"(\w+)":')


def _holds_every_pair(shown: str, got: Any, where: str) -> None:
    """A shortened answer: every field it names is there, with a value it shows."""
    names = {name for name, _ in _pairs(got)}
    for name in _KEY.findall(shown):
        assert name in names, f"{where}: no field {name!r} in {json.dumps(got)[:300]}"
    for name, text in _PAIR.findall(shown):
        if name in VOLATILE:
            continue
        value = json.loads(text)
        if isinstance(value, str) and _UUID.fullmatch(value):
            continue
        values = [v for n, v in _pairs(got) if n == name]
        assert value in values, f"{where}: {name}={value!r}, the answer has {values}"


def _pairs(value: Any) -> Iterator[tuple[str, Any]]:
    """Every (field, value) anywhere in the answer."""
    if isinstance(value, dict):
        for name, inner in value.items():
            yield name, inner
            yield from _pairs(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _pairs(inner)
