"""Running the demo's stories against the credit HTTP API."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType
from typing import Any, ClassVar, Final

import httpx
import structlog

from demo.command_line import DemoCommand
from demo.credit.plan import build_plan, from_case
from demo.credit.story import CONFIRM, LIFT, SEED, Step, Story
from demo.run import DemoRun, RunSummary, has_read, tally

log = structlog.get_logger()

# The office's own unit: the office token confirms that unit's sanctions.
_OFFICE_UNIT: Final = "rsj"
_EXPIRING: Final = ("expired", "expired-rep")
_NO_TOKENS: Final[Mapping[str, str]] = MappingProxyType({})


@dataclass(frozen=True, kw_only=True)
class DemoSummary(RunSummary):
    """What a run did: the demo's listings, how many are new, where they stand."""

    demo: ClassVar[str] = "credit demo"

    listing_ids: tuple[str, ...]
    created: int
    by_status: Mapping[str, int]
    confirmed: int
    left_to_units: int

    def counts(self) -> str:
        """The listings, the new ones, their states, the sanctions confirmed."""
        return (
            f"{len(self.listing_ids)} listings, {self.created} created —"
            f" {tally(self.by_status)}; {self.confirmed} sanction confirmations,"
            f" {self.left_to_units} left to units without a token"
        )


@dataclass
class _Runner(DemoRun):
    listing_ids: dict[str, str] = field(default_factory=dict)
    confirmed: int = 0
    left_to_units: int = 0

    def key(self, *parts: str) -> dict[str, str]:
        return {"Idempotency-Key": "-".join(("credit-demo", str(self.seed), *parts))}

    async def open(self, story: Story) -> str | None:
        """Open the story's candidate; its listing id, or None when refused."""
        answer = await self.api.post(
            "/listings", story.open_body(), self.key(story.key)
        )
        if not answer.is_success:
            return None
        listing_id = str(answer.json()["stream"]).removeprefix("listing-")
        self.listing_ids[story.key] = listing_id
        return listing_id

    async def run(self, story: Story, listing_id: str) -> None:
        """The story's steps in order; a refused step ends the story there."""
        for step in story.steps:
            if step.path in (CONFIRM, LIFT):
                await self.sanctions(story, listing_id, step)
                continue
            body = dict(step.body)
            if step.path == "decide" and story.employer is not None:
                if story.employer not in self.listing_ids:
                    self.skipped.append(f"{story.key}: no employer listing to link")
                    return
                body["employer_listing_id"] = self.listing_ids[story.employer]
            path = f"/listings/{listing_id}/{step.path}"
            answer = await self.api.post(path, body, self.key(story.key, step.path))
            if not answer.is_success:
                return

    async def list_from_case(self, today: date) -> None:
        """Take the first candidate credit opened from a case (the cases demo's, run
        before this one: none when run alone) through listing and publication."""
        answer = await self.client.get(
            "/listings", params={"status": "candidate", "limit": 500}
        )
        answer.raise_for_status()
        from_cases = sorted(
            x["listing_id"]
            for x in answer.json()
            if x["opened_from"] == "case_recommendation"
        )
        if from_cases:
            await self.run(from_case(today), from_cases[0])

    async def sanctions(self, story: Story, listing_id: str, step: Step) -> None:
        """Each unit with a token confirms its own tasks still to do: applied after
        publication, lifted once the listing ended."""
        wanted, command = (
            ("pending", "record-sanction-applied")
            if step.path == CONFIRM
            else ("lift_pending", "record-sanction-lifted")
        )
        for task in await self.tasks(listing_id):
            if task["status"] != wanted:
                continue
            auth = self.auth(task["unit_code"])
            if auth is None:
                self.left_to_units += 1
                continue
            body = dict(step.body) | {
                "task_id": task["task_id"],
                "reference": f"{task['unit_code']}-{listing_id}-{step.path}",
            }
            headers = self.key(story.key, task["task_id"], step.path) | auth
            path = f"/listings/{listing_id}/{command}"
            self.confirmed += (await self.api.post(path, body, headers)).is_success

    def auth(self, unit: str) -> dict[str, str] | None:
        """The headers a unit's confirmation goes with: {} for the office's unit."""
        if unit == _OFFICE_UNIT:
            return {}
        return self.bearer(unit)

    async def tasks(self, listing_id: str) -> list[dict[str, Any]]:
        answer = await self.client.get(f"/listings/{listing_id}")
        answer.raise_for_status()
        tasks: list[dict[str, Any]] = answer.json()["state"]["sanction_tasks"]
        return tasks


async def run_demo(
    client: httpx.AsyncClient,
    *,
    today: date,
    unit_tokens: Mapping[str, str] = _NO_TOKENS,
    seed: int = SEED,
    watcher_wait: float = 90.0,
) -> DemoSummary:
    """Open the demo listings and take each to its state through the API (the client
    carries the office token); a second run with the same seed the same day writes
    nothing. Waits up to `watcher_wait` seconds for the watcher to expire the listing
    decided over 3 years ago."""
    runner = _Runner(client, seed, unit_tokens)
    # Sanction tasks go to the units credit knows from members' events.
    if not await has_read(client, ("member_units",), timeout=30.0):
        log.warning("demo_unit_directory_empty")
    before = await _statuses(client, None)
    stories = build_plan(seed, today)
    for number, story in enumerate(stories):
        listing_id = await runner.open(story)
        if listing_id is None and number == 0 and runner.is_key_reused():
            return _loaded_earlier(seed)
        if listing_id is not None:
            await runner.run(story, listing_id)
    await runner.list_from_case(today)
    expiring = [runner.listing_ids[k] for k in _EXPIRING if k in runner.listing_ids]
    if not await _until_expired(client, expiring, timeout=watcher_wait):
        runner.skipped.append("expiry: the watcher has not yet expired the old listing")
    # The list waits for the demo's last write, so a run right after sees it all.
    await _statuses(client, runner.last)
    after = {i: await _status(client, i) for i in runner.listing_ids.values()}
    return _summary(seed, runner, before, after)


async def _until_expired(
    client: httpx.AsyncClient, listing_ids: Sequence[str], *, timeout: float
) -> bool:
    # Only the watcher expires a listing; it looks every DEADLINE_WATCH_SECONDS.
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        answers = [await client.get(f"/listings/{i}") for i in listing_ids]
        if all(a.is_success and a.json()["status"] == "expired" for a in answers):
            return True
        if loop.time() >= deadline:
            return False
        await asyncio.sleep(1.0)


async def _status(client: httpx.AsyncClient, listing_id: str) -> str:
    """A listing's status, from its stream (the watcher may have moved it)."""
    answer = await client.get(f"/listings/{listing_id}")
    answer.raise_for_status()
    return str(answer.json()["status"])


async def _statuses(client: httpx.AsyncClient, wait_for: str | None) -> dict[str, str]:
    """Every listing's status, page by page."""
    found: dict[str, str] = {}
    params: dict[str, Any] = {"limit": 500, "offset": 0}
    if wait_for:
        params["wait_for"] = wait_for
    while True:
        answer = await client.get("/listings", params=params)
        answer.raise_for_status()
        page = answer.json()
        found |= {x["listing_id"]: x["status"] for x in page}
        if len(page) < params["limit"]:
            return found
        params["offset"] += params["limit"]


def _summary(
    seed: int, runner: _Runner, before: Mapping[str, str], after: Mapping[str, str]
) -> DemoSummary:
    ids = tuple(runner.listing_ids.values())
    return DemoSummary(
        seed=seed,
        listing_ids=ids,
        created=sum(1 for i in ids if i not in before),
        by_status=dict(Counter(after[i] for i in ids if i in after)),
        confirmed=runner.confirmed,
        left_to_units=runner.left_to_units,
        skipped=tuple(runner.skipped),
        unexpected=tuple(runner.unexpected),
    )


def _loaded_earlier(seed: int) -> DemoSummary:
    return DemoSummary(
        seed=seed,
        listing_ids=(),
        created=0,
        by_status={},
        confirmed=0,
        left_to_units=0,
        skipped=(),
        unexpected=(),
        is_loaded_earlier=True,
    )


COMMAND: Final = DemoCommand(
    "credit",
    8004,
    "Open some twenty credit listings in every state through the API.",
    "seconds to wait for the watcher to expire the listing of 3 years ago",
    run_demo,
)
