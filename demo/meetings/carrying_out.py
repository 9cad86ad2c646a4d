"""How the demo's units carry out their tasks: the task a decision or work plan hands
a unit, and by its fate the reports the unit makes and the office's acceptance or
sending back, dated between assignment and a few days past the due date."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any, Final

from demo.meetings.story import OFFICE, Fate, ItemPlan, Step, step
from demo.meetings.wording import document_ref

# Most tasks are done; some are started and left, some never reported on.
_FATES: Final = (Fate.DONE, Fate.UNDERWAY, Fate.NEGLECTED)
_WEIGHTS: Final = (78, 9, 13)
_EVERY: Final = (15, 30, 30, 60)


def fates(rng: random.Random, count: int) -> list[Fate]:
    """The fates of a meeting's `count` tasks: exactly one is sent back once."""
    chosen = rng.choices(_FATES, weights=_WEIGHTS, k=count)
    chosen[rng.randrange(count)] = Fate.SENT_BACK
    return chosen


def task(
    rng: random.Random,
    *,
    source: str,
    key: str,
    unit: str,
    text: str,
    assigned_on: date,
    due: date,
    fate: Fate,
) -> tuple[dict[str, Any], ItemPlan]:
    """The task's body in the decision or work plan, and the item that carries it out;
    only tasks that will be reported on ask for regular reports."""
    reports = fate in (Fate.DONE, Fate.SENT_BACK) and rng.random() < 0.35
    every = rng.choice(_EVERY) if reports else None
    spec: dict[str, Any] = {"unit_code": unit, "task": text, "due": due.isoformat()}
    if every is not None:
        spec["report_every_days"] = every
    steps = _steps(rng, f"{source}-{key}", unit, assigned_on, due, every, fate)
    plan = ItemPlan(source=source, key=key, unit=unit, due=due, fate=fate, steps=steps)
    return spec, plan


def _steps(
    rng: random.Random,
    name: str,
    unit: str,
    assigned_on: date,
    due: date,
    every: int | None,
    fate: Fate,
) -> tuple[Step, ...]:
    if fate is Fate.DONE:
        finished = max(due - timedelta(days=rng.randint(2, 20)), assigned_on)
        return (
            *_regular(name, unit, assigned_on, every, until=finished),
            *_finished(rng, name, unit, finished, "done"),
            _accepted(name, finished + timedelta(days=rng.randint(1, 5))),
        )
    if fate is Fate.SENT_BACK:
        first = max(due - timedelta(days=25), assigned_on)
        again = first + timedelta(days=12)
        return (
            *_regular(name, unit, assigned_on, every, until=first),
            *_finished(rng, name, unit, first, "done"),
            step(
                f"{name}-sent-back",
                "send-back",
                first + timedelta(days=3),
                sent_back_on=first + timedelta(days=3),
                reason="佐证材料不全，请补充台账和整改情况后重新报送",
            ),
            *_finished(rng, name, unit, again, "done-again"),
            _accepted(name, again + timedelta(days=3)),
        )
    if fate is Fate.UNDERWAY:
        return (_progress(name, unit, assigned_on + timedelta(days=10), 1),)
    return ()


def _regular(
    name: str, unit: str, assigned_on: date, every: int | None, *, until: date
) -> tuple[Step, ...]:
    # A report two days before each reporting period ends, so the watcher finds no miss.
    if every is None:
        return ()
    days = range(every - 2, (until - assigned_on).days, every)
    return tuple(
        _progress(name, unit, assigned_on + timedelta(days=d), n)
        for n, d in enumerate(days, start=1)
    )


def _progress(name: str, unit: str, on: date, number: int) -> Step:
    return step(
        f"{name}-progress-{number}",
        "report-progress",
        on,
        unit,
        reported_on=on,
        text="已完成阶段性工作，正在按计划推进",
    )


def _finished(
    rng: random.Random, name: str, unit: str, on: date, what: str
) -> tuple[Step, ...]:
    text = (
        "已按要求完成，报送工作报告"
        if what == "done"
        else "已按退回意见补充台账和整改情况"
    )
    return (
        step(
            f"{name}-{what}",
            "report-progress",
            on,
            unit,
            reported_on=on,
            text=text,
            document_ref=document_ref(unit, on, rng),
            is_complete=True,
        ),
    )


def _accepted(name: str, on: date) -> Step:
    return step(
        f"{name}-accept", "accept", on, OFFICE, accepted_on=on, note="经核实，已完成"
    )
