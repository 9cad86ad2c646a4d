"""The benchmark page's tables, rendered from the JSON runs `python -m bench` writes to
`bench/results/` (bench/report.py): the runs kept in the repository (`reference-*.json`)
and, on a machine that ran it, the newest run there."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def runs(folder: Path) -> list[Path]:
    """The kept reference runs, then the newest local run (if any), oldest first."""
    if not folder.is_dir():
        return []
    kept = sorted(folder.glob("reference-*.json"))
    local = sorted(folder.glob("bench-*.json"))
    return kept + local[-1:]


def _number(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:,.2f}" if abs(value) < 100 else f"{value:,.0f}"


def run_table(path: Path) -> str:
    """One run: its targets (value, bound, met) and every figure's median."""
    body: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    lines = [
        f"### `{path.name}` ({body['mode']} run, {body['seconds']:.0f} s)",
        "",
        "| ratio or bound (same run) | value | target | met |",
        "|---|---|---|---|",
    ]
    for name, ratio in body["ratios"].items():
        met = "yes" if ratio["is_met"] else "**no**"
        lines.append(
            f"| {name} | {_number(ratio['value'])} | {ratio['target']} | {met} |"
        )
    lines += ["", "| figure | median | runs |", "|---|---|---|"]
    for name, value in body["figures"].items():
        lines.append(f"| {name} | {_number(value)} | {body['runs'].get(name, '')} |")
    return "\n".join(lines)


def page_section(folder: Path) -> str:
    """Every run to show, or a line saying how to make one."""
    found = runs(folder)
    if not found:
        return "No run in `bench/results/` here: `python -m bench --quick` makes one."
    return "\n\n".join(run_table(path) for path in found)
