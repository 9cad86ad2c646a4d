"""Running the demo: each step over HTTP with its Idempotency-Key; the steps that
need an overdue order once the deadline watcher has made it so; and the command line."""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, ClassVar, Final

import httpx
import structlog

from demo.api import problem_code
from demo.cases.plan import Plan, Step
from demo.cases.stories import build_plan
from demo.command_line import SEED, DemoCommand
from demo.run import DemoRun, RunSummary, tally

log = structlog.get_logger()

_OFFICE_UNIT = "rsj"
# How long a run waits by default for the deadline watcher (it looks every 30 s or
# so) to mark the orders overdue.
_WATCHER_WAIT: Final = 120.0


@dataclass(frozen=True, kw_only=True)
class DemoSummary(RunSummary):
    """What a run did: the demo's cases, how many are new, where they stand."""

    demo: ClassVar[str] = "demo"

    case_ids: tuple[str, ...]
    created: int
    by_status: Mapping[str, int]
    by_criminal: Mapping[str, int]

    def counts(self) -> str:
        """The cases, the new ones, their states and criminal tracks."""
        return (
            f"{len(self.case_ids)} cases, {self.created} created —"
            f" {tally(self.by_status)}; criminal track: {tally(self.by_criminal)}"
        )


@dataclass
class _Runner(DemoRun):
    # Every request of one run carries it, so the events this run wrote are known by it.
    correlation_id: str = field(default_factory=lambda: f"demo-{uuid.uuid4()}")

    def key(self, number: int) -> dict[str, str]:
        """The step's Idempotency-Key (the seed and the step's number) and the run's
        correlation id."""
        return {
            "Idempotency-Key": f"demo-{self.seed}-{number:04d}",
            "X-Correlation-ID": self.correlation_id,
        }

    def headers(self, step: Step) -> dict[str, str] | None:
        """The step's headers, with the unit's token for a unit's own step; None
        when that token was not given."""
        if step.unit is None or step.unit == _OFFICE_UNIT:
            return self.key(step.number)
        auth = self.bearer(step.unit)
        return None if auth is None else self.key(step.number) | auth

    async def post(
        self, path: str, body: dict[str, Any], headers: dict[str, str]
    ) -> httpx.Response:
        """POST, again while another writer (the deadline watcher) got there first."""
        return await self.api.send(path, body, headers)

    async def run_step(self, case_id: str, step: Step) -> bool:
        """Run one step of a case; False when it was skipped or refused."""
        headers = self.headers(step)
        if headers is None:
            self.skipped.append(f"{case_id} {step.path}: no token for {step.unit}")
            return False
        path = f"/cases/{case_id}/{step.path}"
        answer = await self.post(path, step.body, headers)
        if not answer.is_success:
            self.api.refused(path, answer)
        return answer.is_success

    async def is_overdue(self, case_id: str, until: float) -> bool:
        """Wait (until the loop's time `until`) for the deadline watcher to have moved
        the case on from `ordered_to_pay`; it looks every 30 s or so."""
        loop = asyncio.get_running_loop()
        while True:
            answer = await self.client.get(f"/cases/{case_id}")
            answer.raise_for_status()
            if answer.json()["status"] != "ordered_to_pay":
                return True
            if loop.time() >= until:
                self.skipped.append(f"{case_id}: the order is not overdue yet")
                return False
            await asyncio.sleep(0.5)


async def _where_they_stand(
    runner: _Runner, case_ids: Sequence[str]
) -> list[tuple[str, str, bool]]:
    """Each case's (status, criminal track, whether this run received it), read
    from its stream, so neither the read models nor the watcher can lag behind."""
    found = []
    for case_id in case_ids:
        answer = await runner.client.get(f"/cases/{case_id}")
        answer.raise_for_status()
        case = answer.json()
        received = case["history"][0]["correlationid"] == runner.correlation_id
        found.append((case["status"], case["criminal"], received))
    return found


async def run_demo(
    client: httpx.AsyncClient,
    *,
    today: date,
    unit_tokens: Mapping[str, str] | None = None,
    seed: int = SEED,
    watcher_wait: float = _WATCHER_WAIT,
) -> DemoSummary:
    """Enter the demo cases through the API (the client carries the office token);
    a second run with the same seed on the same day writes nothing. Waits up to
    `watcher_wait` seconds for the deadline watcher to mark the orders overdue."""
    plan = build_plan(seed, today)
    runner = _Runner(client, seed, unit_tokens or {})
    case_ids: list[str] = []
    waiting: list[tuple[str, list[Step]]] = []
    for case in plan.cases:
        receive, *steps = case.steps
        answer = await runner.post("/cases", receive.body, runner.key(receive.number))
        if problem_code(answer) == "idempotency-key-reused" and not case_ids:
            return _loaded_earlier(seed)
        if not answer.is_success:
            runner.api.refused("/cases", answer)
            continue
        case_id = str(answer.json()["stream"]).removeprefix("case-")
        case_ids.append(case_id)
        now = [s for s in steps if not s.is_deferred]
        if await _run_all(runner, case_id, now) and case.awaits_overdue:
            waiting.append((case_id, [s for s in steps if s.is_deferred]))
    until = asyncio.get_running_loop().time() + watcher_wait
    for case_id, later in waiting:
        if await runner.is_overdue(case_id, until):
            await _run_all(runner, case_id, later)
    return _summary(plan, runner, case_ids, await _where_they_stand(runner, case_ids))


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
    standing: Sequence[tuple[str, str, bool]],
) -> DemoSummary:
    return DemoSummary(
        seed=plan.seed,
        case_ids=tuple(case_ids),
        created=sum(1 for _, _, is_new in standing if is_new),
        by_status=dict(Counter(status for status, _, _ in standing)),
        by_criminal=dict(Counter(c for _, c, _ in standing if c != "none")),
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


COMMAND: Final = DemoCommand(
    "cases",
    8002,
    "Enter some forty realistic wage-arrears cases through the API.",
    "seconds to wait for the deadline watcher to mark orders overdue",
    run_demo,
    wait_default=_WATCHER_WAIT,
)
