"""Rates and percentiles: how every figure of the benchmark is reduced to a number."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Sequence

# Each figure's values over the repetitions of one run (a single value if not repeated).
Figures = dict[str, list[float]]


async def rate(work: Callable[[], Awaitable[int]]) -> float:
    """Items per second of one run of `work` (which returns how many items it did)."""
    started = time.perf_counter()
    items = await work()
    return items / (time.perf_counter() - started)


async def seconds(work: Callable[[], Awaitable[object]]) -> float:
    """Seconds one run of `work` takes."""
    started = time.perf_counter()
    await work()
    return time.perf_counter() - started


def percentile(values: Sequence[float], fraction: float) -> float:
    """The value below which `fraction` of `values` lie (nearest rank)."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))]


def record(figures: Figures, found: dict[str, float]) -> None:
    """Add one repetition's figures."""
    for name, value in found.items():
        figures.setdefault(name, []).append(value)
