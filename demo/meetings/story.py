"""What a demo meeting is made of: the proposal, the steps that take it to the state it
shows, and the action items its decisions and work plan open, each with the steps that
carry it out."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum
from typing import Any, Final

SEED: Final = 2017
"""The default seed: another seed makes other dates, meetings and Idempotency-Keys."""

OFFICE: Final = "office"
"""Who sends most steps: the office, with the token the demo's client carries."""

CONVENER: Final = "convener"
"""…and who approves special meetings and minutes: `--token-for convener=<token>`."""

OFFICE_UNIT: Final = "rsj"
"""The office's own unit: the office token submits its materials and reports its tasks."""

UNITS: Final = ("rsj", "jsj", "gafj", "xfj", "sfj", "fy", "yjkz", "sq-linjiaya")
"""The units the demo hands tasks and material requests to: the office's own and those
`qingqian demo` gives a unit-staff token (`DEMO_UNITS` in qingqian_local/cli.py)."""


@dataclass(frozen=True)
class Step:
    """One command, `POST /meetings/{id}/<path>` (or `/action-items/{id}/<path>` in an
    item's steps), sent `by` the office, the convener or a unit on the day `on`; `name`
    is unique in its story and ends its Idempotency-Key."""

    name: str
    path: str
    body: Mapping[str, Any]
    on: date
    by: str = OFFICE


class Fate(StrEnum):
    """How a unit carries out its task: done and accepted, sent back once then done,
    started but never finished, or never reported on."""

    DONE = "done"
    SENT_BACK = "sent_back"
    UNDERWAY = "underway"
    NEGLECTED = "neglected"


@dataclass(frozen=True)
class ItemPlan:
    """One action item a decision (`source` `d1`, `key` the unit) or the work plan
    (`wp<year>`, `key` its number) opens, and the steps that carry it out."""

    source: str
    key: str
    unit: str
    due: date
    fate: Fate
    steps: tuple[Step, ...] = ()

    @property
    def opened_by(self) -> str:
        """The name of the story's step that opens the item."""
        if self.source.startswith("wp"):
            return "work-plan"
        return f"decision-{self.source.removeprefix('d')}"

    def is_left_overdue(self, today: date) -> bool:
        """Whether the watcher should show it overdue: never finished, due date passed."""
        return self.fate in (Fate.UNDERWAY, Fate.NEGLECTED) and self.due < today


@dataclass(frozen=True)
class Story:
    """One meeting: `key` names it in the Idempotency-Keys; `proposal` is the body of
    `POST /meetings`."""

    key: str
    kind: str
    proposal: Mapping[str, Any]
    steps: tuple[Step, ...] = ()
    items: tuple[ItemPlan, ...] = ()

    def until(self, today: date) -> Story:
        """The story as far as today: no step dated after it."""
        return replace(
            self,
            steps=tuple(s for s in self.steps if s.on <= today),
            items=tuple(
                replace(i, steps=tuple(s for s in i.steps if s.on <= today))
                for i in self.items
            ),
        )


def step(name: str, path: str, on: date, by: str = OFFICE, **body: Any) -> Step:
    """A step whose body is the keyword arguments, dates written as ISO strings."""
    return Step(name, path, {k: _json(v) for k, v in body.items()}, on, by)


def _json(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_json(v) for v in value]
    if isinstance(value, dict):
        return {k: _json(v) for k, v in value.items()}
    return value
