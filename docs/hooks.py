"""mkdocs hooks: the pages whose tables are made from the code at build time.

A page holds a marker `<!-- generated: NAME -->`; the build replaces it with the table
made now from the settings classes, the error raises, bench/results or contracts/asyncapi. Nothing here is
a hand list, so the pages cannot fall out of step with the code."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# mkdocs loads this file by path: the services' settings classes import from the repo.
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from docs.generate import (  # noqa: E402
    asyncapi_pages,
    bench_results,
    problem_codes,
    settings_table,
)

NOTES = ROOT / "docs" / "settings-notes.yml"


def _problems(kind: str) -> str:
    return problem_codes.table(problem_codes.scan(ROOT), kind)


MAKERS: dict[str, Callable[[], str]] = {
    "settings": lambda: settings_table.service_table(settings_table.notes(NOTES)),
    "limits-cases": lambda: settings_table.limits_table(
        "cases", settings_table.notes(NOTES)
    ),
    "limits-credit": lambda: settings_table.limits_table(
        "credit", settings_table.notes(NOTES)
    ),
    "problem-codes": lambda: _problems("code"),
    "invalid-input-rules": lambda: _problems("rule"),
    "bench-results": lambda: bench_results.page_section(ROOT / "bench" / "results"),
    "asyncapi": lambda: asyncapi_pages.page_section(ROOT / "contracts" / "asyncapi"),
}


def render(markdown: str) -> str:
    """The page with every marker replaced; an unknown marker stops the build."""
    for name, make in MAKERS.items():
        marker = f"<!-- generated: {name} -->"
        if marker in markdown:
            markdown = markdown.replace(marker, make())
    if "<!-- generated:" in markdown:
        raise ValueError("a page names a generated table that no maker makes")
    return markdown


def on_page_markdown(markdown: str, **_: Any) -> str:
    """mkdocs: the page's markdown before it is rendered."""
    return render(markdown)
