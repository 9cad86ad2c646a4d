"""The table a run prints and the JSON it keeps: each figure's median, and the ratios
issue #6 sets targets for, each marked met or not."""

from __future__ import annotations

import json
import math
import statistics
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from bench.http_commands import SATURATION
from bench.timing import Figures

RESULTS = Path(__file__).parent / "results"


@dataclass(frozen=True)
class Target:
    """A figure over another (or a figure alone) and the bound it should keep."""

    name: str
    over: str
    under: str | None = None
    at_least: float | None = None
    at_most: float | None = None

    def value(self, medians: dict[str, float]) -> float:
        """The ratio (NaN when a figure is missing)."""
        top = medians.get(self.over, math.nan)
        return top / medians.get(self.under, math.nan) if self.under else top

    def is_met(self, value: float) -> bool:
        """Whether the value keeps the bound."""
        if self.at_least is not None:
            return value >= self.at_least
        return self.at_most is not None and value <= self.at_most

    @property
    def rule(self) -> str:
        """`≥ 5` or `≤ 2`."""
        if self.at_least is not None:
            return f"≥ {self.at_least:g}"
        return f"≤ {self.at_most:g}"


K8 = "kernel commands/s, 8 tasks"
PEER4 = "peer commands/s, 4 threads"
ENVELOPES = "kernel read log as envelope JSON/s"
LOAD10 = "kernel load 10-event aggregates/s"
TARGETS = (
    Target("kernel 8 tasks / peer 4 threads", K8, PEER4, at_least=5),
    Target(
        "kernel 8 tasks / raw 8-connection commits",
        K8,
        "raw single-row commits/s, 8 connections",
        at_least=0.5,
    ),
    Target(
        "envelope read / peer decoded read",
        ENVELOPES,
        "peer read log decoded events/s",
        at_least=2,
    ),
    Target(
        "envelope read / raw ordered read",
        ENVELOPES,
        "raw ordered read rows/s (keyset pages)",
        at_least=0.4,
    ),
    Target(
        "aggregate load / peer reconstruct",
        LOAD10,
        "peer reconstruct 10-event aggregates/s",
        at_least=3,
    ),
    Target(
        "aggregate load / raw stream read",
        LOAD10,
        "raw stream reads/s (10 rows by stream id)",
        at_least=0.5,
    ),
    Target(
        "HTTP saturation / peer 4 threads",
        SATURATION,
        PEER4,
        at_least=2,
    ),
    Target(
        "relay / raw keyed produce",
        "relay events/s",
        "raw keyed produce messages/s (acks=all)",
        at_least=0.5,
    ),
    # Time per load, 1000-event stream over 10-event stream: the inverse of the rates.
    Target(
        "load time 1000-event / 10-event aggregate",
        LOAD10,
        "kernel load 1000-event aggregates/s",
        at_most=2,
    ),
    Target("rebuild process peak RSS MB", "rebuild process peak RSS MB", at_most=150),
    # The figures with a bound of their own.
    Target(
        "HTTP p99 ms at half saturation",
        "HTTP command p99 ms at half saturation",
        at_most=50,
    ),
    Target(
        "projection apply events/s (event by event)",
        "projection apply events/s",
        at_least=10_000,
    ),
    Target(
        "command → other service p99 ms at 100/s",
        "command → other service's projection ms at 100/s, p99",
        at_most=250,
    ),
    # A million events in under two minutes.
    Target("rebuild events/s", "rebuild events/s", at_least=8_334),
    Target(
        "verify seconds per million events",
        "verify seconds per million events",
        at_most=60,
    ),
)
# Issue #15: the timeline fast on a log of millions of events, every filter; a genuine
# log ingested without a finding.
AUDIT_TARGETS = (
    *(
        Target(
            f"audit timeline by {name}, p99 ms",
            f"audit timeline by {name}, p99 ms",
            at_most=50,
        )
        for name in (
            "entity",
            "uscc",
            "actor",
            "actor office",
            "unit",
            "correlation_id",
            "time range (1 day)",
            "unit and time range",
        )
    ),
    Target(
        "audit timeline filters whose plan scans audit_events",
        "audit timeline filters whose plan scans audit_events",
        at_most=0,
    ),
    Target("audit ingest findings", "audit ingest findings", at_most=0),
)


def medians(figures: Figures) -> dict[str, float]:
    """Each figure's median over its repetitions."""
    return {name: statistics.median(values) for name, values in figures.items()}


def table(figures: Figures, targets: tuple[Target, ...] = TARGETS) -> str:
    """Figures (median and how many runs), then the targets."""
    found = medians(figures)
    width = max(len(name) for name in [*found, *(t.name for t in targets)])
    lines = [f"{'figure':<{width}}  {'median':>12}  runs"]
    lines += [
        f"{name:<{width}}  {value:>12,.2f}  {len(figures[name]):>4}"
        for name, value in found.items()
    ]
    lines += ["", f"{'ratio (same run)':<{width}}  {'value':>12}  target"]
    for target in targets:
        value = target.value(found)
        mark = (
            "—" if math.isnan(value) else "met" if target.is_met(value) else "NOT met"
        )
        lines.append(
            f"{target.name:<{width}}  {value:>12,.2f}  {target.rule:<6} {mark}"
        )
    return "\n".join(lines)


def _number(value: float) -> float | None:
    # JSON has no NaN: a figure that could not be taken is null.
    return None if math.isnan(value) else value


def write_json(
    figures: Figures,
    *,
    mode: str,
    seconds: float,
    targets: tuple[Target, ...] = TARGETS,
) -> Path:
    """bench/results/bench-<UTC time>.json; returns its path."""
    found = medians(figures)
    body = {
        "mode": mode,
        "seconds": seconds,
        "figures": {name: _number(value) for name, value in found.items()},
        "runs": {name: len(values) for name, values in figures.items()},
        "ratios": {
            t.name: {
                "value": _number(t.value(found)),
                "target": t.rule,
                "is_met": t.is_met(t.value(found)),
            }
            for t in targets
        },
    }
    RESULTS.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = RESULTS / f"bench-{stamp}.json"
    path.write_text(json.dumps(body, indent=2, ensure_ascii=False), encoding="utf-8")
    return path
