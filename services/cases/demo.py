"""Demo data for the local stack: some forty wage-arrears cases of Chengdong District over
the last eighteen months, in every state, entered through the cases HTTP API only.

    python -m services.cases.demo --url http://127.0.0.1:8002 --token <office token>

Every step sends an `Idempotency-Key` made of the seed and the step's number, so a second
run on the same day writes nothing. Progress reports of units other than the office's
need that unit's token (`--token-for jsj=<token>`); without one they are skipped."""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import structlog
from stdnum.cn import ric, uscc

from services.cases.demo_plan import Plan, Step, build_plan
from shared.log import configure_logging

log = structlog.get_logger()

_RETRIES = 5
_OFFICE_UNIT = "rsj"


@dataclass(frozen=True)
class DemoSummary:
    """What a run did: the demo's cases, how many are new, where they stand."""

    seed: int
    case_ids: tuple[str, ...]
    created: int
    by_status: Mapping[str, int]
    by_criminal: Mapping[str, int]
    skipped: tuple[str, ...]
    unexpected: tuple[str, ...]
    is_loaded_earlier: bool = False

    def line(self) -> str:
        """One line for the terminal."""
        if self.is_loaded_earlier:
            return (
                f"demo (seed {self.seed}): already loaded on an earlier day; nothing "
                "written (pass --seed N for another set)"
            )
        states = ", ".join(f"{s} {n}" for s, n in sorted(self.by_status.items()))
        criminal = ", ".join(f"{s} {n}" for s, n in sorted(self.by_criminal.items()))
        return (
            f"demo (seed {self.seed}): {len(self.case_ids)} cases, {self.created} created"
            f" — {states}; criminal track: {criminal}; {len(self.skipped)} steps skipped"
            f", {len(self.unexpected)} unexpected answers"
        )


@dataclass
class _Runner:
    client: httpx.AsyncClient
    seed: int
    unit_tokens: Mapping[str, str]
    overdue_wait: float
    skipped: list[str] = field(default_factory=list)
    unexpected: list[str] = field(default_factory=list)
    last: str | None = None

    def headers(self, number: int, unit: str | None) -> dict[str, str] | None:
        headers = {"Idempotency-Key": f"demo-{self.seed}-{number:04d}"}
        if unit is None or unit == _OFFICE_UNIT:
            return headers
        token = self.unit_tokens.get(unit)
        if token is None:
            return None
        return headers | {"Authorization": f"Bearer {token}"}

    async def post(
        self, path: str, body: dict[str, Any], headers: dict[str, str]
    ) -> httpx.Response:
        """POST, again while another writer (the deadline watcher) got there first."""
        for _ in range(_RETRIES):
            answer = await self.client.post(path, json=body, headers=headers)
            if _code(answer) != "concurrency-conflict":
                break
        if answer.is_success:
            appended = answer.json()
            self.last = f"{appended['stream']}@{appended['position']}"
        return answer

    async def run_step(self, case_id: str, step: Step) -> bool:
        """Run one step of a case; False when it was skipped or refused."""
        headers = self.headers(step.number, step.unit)
        if headers is None:
            self.skipped.append(f"{case_id} {step.path}: no token for {step.unit}")
            return False
        path = f"/cases/{case_id}/{step.path}"
        answer = await self.post(path, step.body, headers)
        if step.needs_overdue:
            answer = await self._until_overdue(path, step, headers, answer)
        if answer.is_success:
            return True
        if _is_waiting_for_watcher(answer):
            self.skipped.append(f"{case_id} {step.path}: order not yet overdue")
        else:
            self._refused(path, answer)
        return False

    async def _until_overdue(
        self,
        path: str,
        step: Step,
        headers: dict[str, str],
        answer: httpx.Response,
    ) -> httpx.Response:
        # Only the deadline watcher makes an order overdue; it checks every 30 s or so.
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.overdue_wait
        while _is_waiting_for_watcher(answer) and loop.time() < deadline:
            await asyncio.sleep(1.0)
            answer = await self.post(path, step.body, headers)
        return answer

    def _refused(self, path: str, answer: httpx.Response) -> None:
        self.unexpected.append(f"POST {path} → {answer.status_code} {_code(answer)}")
        log.warning(
            "demo_step_refused", path=path, status=answer.status_code, code=_code(answer)
        )


def _code(answer: httpx.Response) -> str:
    if answer.is_success:
        return ""
    try:
        return str(answer.json().get("code", ""))
    except ValueError:
        return ""


def _is_waiting_for_watcher(answer: httpx.Response) -> bool:
    return (
        _code(answer) == "invalid-transition"
        and answer.json().get("current") == "ordered_to_pay"
    )


async def _case_statuses(
    client: httpx.AsyncClient, wait_for: str | None
) -> dict[str, tuple[str, str]]:
    """Every case's (status, criminal) from the list, page by page."""
    found: dict[str, tuple[str, str]] = {}
    params: dict[str, Any] = {"limit": 500, "offset": 0}
    if wait_for:
        params["wait_for"] = wait_for
    while True:
        answer = await client.get("/cases", params=params)
        answer.raise_for_status()
        page = answer.json()
        found |= {c["case_id"]: (c["status"], c["criminal"]) for c in page}
        if len(page) < params["limit"]:
            return found
        params["offset"] += params["limit"]


async def run_demo(
    client: httpx.AsyncClient,
    *,
    today: date,
    rng_seed: int = 2017,
    unit_tokens: Mapping[str, str] | None = None,
    overdue_wait: float = 120.0,
) -> DemoSummary:
    """Enter the demo cases through the API (the client carries the office token);
    a second run with the same seed on the same day writes nothing."""
    plan = build_plan(rng_seed, today)
    runner = _Runner(client, rng_seed, unit_tokens or {}, overdue_wait)
    before = await _case_statuses(client, None)
    case_ids: list[str] = []
    deferred: list[tuple[str, list[Step]]] = []
    for story in plan.stories:
        receive, *steps = story
        answer = await runner.post("/cases", receive.body, runner.headers(receive.number, None) or {})
        if _code(answer) == "idempotency-key-reused" and not case_ids:
            return _loaded_earlier(rng_seed)
        if not answer.is_success:
            runner._refused("/cases", answer)
            continue
        case_id = str(answer.json()["stream"]).removeprefix("case-")
        case_ids.append(case_id)
        now = [s for s in steps if not s.is_deferred]
        if await _run_all(runner, case_id, now):
            deferred.append((case_id, [s for s in steps if s.is_deferred]))
    for case_id, later in deferred:
        await _run_all(runner, case_id, later)
    after = await _case_statuses(client, runner.last)
    return _summary(plan, runner, case_ids, before, after)


async def _run_all(runner: _Runner, case_id: str, steps: Sequence[Step]) -> bool:
    """Run steps in order; a refused or skipped step ends the case's story there,
    except a skipped progress report, which nothing depends on."""
    for step in steps:
        if not await runner.run_step(case_id, step) and step.path != "report-progress":
            return False
    return True


def _summary(
    plan: Plan,
    runner: _Runner,
    case_ids: list[str],
    before: Mapping[str, tuple[str, str]],
    after: Mapping[str, tuple[str, str]],
) -> DemoSummary:
    ours = [after[c] for c in case_ids if c in after]
    return DemoSummary(
        seed=plan.seed,
        case_ids=tuple(case_ids),
        created=sum(1 for c in case_ids if c not in before),
        by_status=dict(Counter(status for status, _ in ours)),
        by_criminal=dict(Counter(c for _, c in ours if c != "none")),
        skipped=tuple(runner.skipped),
        unexpected=tuple(runner.unexpected),
    )


def _loaded_earlier(seed: int) -> DemoSummary:
    return DemoSummary(
        seed=seed,
        case_ids=(),
        created=0,
        by_status={},
        by_criminal={},
        skipped=(),
        unexpected=(),
        is_loaded_earlier=True,
    )
