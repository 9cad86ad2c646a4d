"""README and docs/*.md point only at files that exist: every relative link, and every
repository path written in backticks (`shared/chain.py`, `deploy/district.toml`)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
LINK = re.compile(r"\]\(([^)\s]+)\)")
# A path in backticks that starts at a top-level folder of the repository.
TOP = "shared|services|docs|deploy|tests|bench|scripts|\\.ci"
CODE_PATH = re.compile(rf"`((?:{TOP})/[\w./-]*)`")


def _targets(page: Path) -> list[str]:
    text = page.read_text(encoding="utf-8")
    links = [
        link.split("#")[0]
        for link in LINK.findall(text)
        if not re.match(r"[a-z]+:|#", link)
    ]
    return [link for link in links if link]


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_every_relative_link_points_at_a_file(page: Path) -> None:
    missing = [t for t in _targets(page) if not (page.parent / t).exists()]
    assert missing == []


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_every_repository_path_in_backticks_exists(page: Path) -> None:
    paths = CODE_PATH.findall(page.read_text(encoding="utf-8"))
    missing = [p for p in paths if not (ROOT / p.rstrip(".")).exists()]
    assert [p for p in missing if not _made_by_the_operator(p)] == []


def _made_by_the_operator(path: str) -> bool:
    """A path git ignores (keys under deploy/k8s/secrets/, bench/results/…) is one the
    reader makes, not one the repository forgot."""
    git = shutil.which("git")
    assert git is not None
    ignored = subprocess.run([git, "check-ignore", "-q", path], cwd=ROOT, check=False)
    return ignored.returncode == 0
