"""Running the demo's meetings against the meetings HTTP API: each step with its
Idempotency-Key and the token of whoever takes it; then waiting for the watcher to
flag the items left overdue."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType
from typing import Any, Final

import httpx
import structlog

from demo.command_line import DemoCommand
from demo.meetings.plan import build_plan
from demo.meetings.reading import (
    every_item,
    meeting_ids,
    until_overdue,
    wait_for_members,
)
from demo.meetings.story import (
    OFFICE,
    OFFICE_UNIT,
    SEED,
    ItemPlan,
    Step,
    Story,
)
from demo.meetings.summary import DemoSummary, summarize
from demo.run import DemoRun
from services.meetings.domain.deciding import action_id_for

log = structlog.get_logger()

# Roles reach meetings from members over Kafka: a chair may be unknown for a moment.
_CHAIR_RETRIES: Final = 10
_CHAIR_PAUSE: Final = 1.0
# Steps a story goes on without when nobody may take them (no token given).
_OPTIONAL: Final = frozenset({"submit-material", "approve-minutes"})
_NO_TOKENS: Final[Mapping[str, str]] = MappingProxyType({})


@dataclass
class _Runner(DemoRun):
    meetings: dict[str, str] = field(default_factory=dict)
    items: dict[str, ItemPlan] = field(default_factory=dict)
    left_to_units: int = 0

    def key(self, story: Story, name: str) -> dict[str, str]:
        return {"Idempotency-Key": f"meetings-demo-{self.seed}-{story.key}-{name}"}

    def auth(self, by: str) -> dict[str, str] | None:
        """The headers a step goes with: {} for the office and its own unit, None when
        no token was given for whoever takes it."""
        if by in (OFFICE, OFFICE_UNIT):
            return {}
        return self.bearer(by)

    async def post(
        self, path: str, body: Mapping[str, Any], headers: Mapping[str, str]
    ) -> httpx.Response:
        """POST, again while another writer (the watcher) got there first or while the
        chair's role has not yet arrived from members."""
        return await self.api.post(path, body, headers, again=_ChairWait(path))

    async def propose(self, story: Story) -> str | None:
        """Propose the story's meeting; its id (the same on a second run)."""
        answer = await self.post(
            "/meetings", story.proposal, self.key(story, "propose")
        )
        if not answer.is_success:
            return None
        meeting_id = str(answer.json()["stream"]).removeprefix("meeting-")
        self.meetings[story.key] = meeting_id
        return meeting_id

    async def run(self, story: Story, meeting_id: str) -> None:
        """The story's steps in order, then its action items carried out; a refused
        step ends the story there."""
        taken: set[str] = set()
        for step in story.steps:
            path = f"/meetings/{meeting_id}/{step.path}"
            outcome = await self.take(story, step, path)
            if outcome is None:
                self.skipped.append(f"{story.key} {step.name}: no token for {step.by}")
            if outcome is None and step.path in _OPTIONAL:
                continue
            if not outcome:
                break
            taken.add(step.name)
        for item in story.items:
            if item.opened_by in taken:
                await self.carry_out(story, meeting_id, item)

    async def take(self, story: Story, step: Step, path: str) -> bool | None:
        """Whether the step was taken; None when no token was given for it."""
        auth = self.auth(step.by)
        if auth is None:
            return None
        answer = await self.post(path, step.body, self.key(story, step.name) | auth)
        return answer.is_success

    async def carry_out(self, story: Story, meeting_id: str, item: ItemPlan) -> None:
        """The unit's reports and the office's answers, in order, while each succeeds."""
        action_id = action_id_for(meeting_id, item.source, item.key)
        self.items[action_id] = item
        for step in item.steps:
            path = f"/action-items/{action_id}/{step.path}"
            outcome = await self.take(story, step, path)
            if outcome is None:
                self.left_to_units += 1
            if not outcome:
                return


class _ChairWait:
    """Waits (a few times) while members has not yet told meetings who chairs."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.waits = 0

    async def __call__(self, answer: httpx.Response) -> bool:
        if not _is_unknown_chair(answer) or self.waits >= _CHAIR_RETRIES:
            return False
        self.waits += 1
        log.warning("demo_chair_not_yet_known", path=self.path)
        await asyncio.sleep(_CHAIR_PAUSE)
        return True


def _is_unknown_chair(answer: httpx.Response) -> bool:
    if answer.status_code != 422:
        return False
    try:
        errors = answer.json().get("errors") or []
    except ValueError:
        return False
    return any(e.get("pointer") == "#/chair_person_id" for e in errors)


async def run_demo(
    client: httpx.AsyncClient,
    *,
    today: date,
    unit_tokens: Mapping[str, str] = _NO_TOKENS,
    seed: int = SEED,
    watcher_wait: float = 90.0,
) -> DemoSummary:
    """Enter the demo meetings held by today and carry out their action items through
    the API (the client carries the office token; `unit_tokens` holds the units' and
    the convener's, as `convener`); a second run with the same seed writes nothing.
    Waits up to `watcher_wait` seconds for the watcher to flag the items left overdue."""
    await wait_for_members(client, timeout=30.0)
    before = await meeting_ids(client, None)
    runner = _Runner(client, seed, unit_tokens)
    plan = build_plan(seed, today)
    for number, story in enumerate(plan):
        meeting_id = await runner.propose(story)
        if meeting_id is None and number == 0 and runner.is_key_reused():
            return DemoSummary.loaded_otherwise(seed)
        if meeting_id is not None:
            await runner.run(story, meeting_id)
    expected = {i for i, item in runner.items.items() if item.is_left_overdue(today)}
    unflagged = await until_overdue(
        client, expected, wait_for=runner.last, timeout=watcher_wait
    )
    items = await every_item(
        client, runner.items, wait_for=runner.last, timeout=max(watcher_wait, 30.0)
    )
    return summarize(
        seed,
        meetings=runner.meetings,
        kinds={s.key: s.kind for s in plan},
        before=before,
        items={i["action_id"]: i for i in items},
        left_to_units=runner.left_to_units,
        unflagged=len(unflagged),
        waited=watcher_wait,
        skipped=runner.skipped,
        unexpected=runner.unexpected,
    )


COMMAND: Final = DemoCommand(
    "meetings",
    8003,
    "Enter the joint meeting's plenaries since 2017, special meetings and a joint"
    " inspection, and carry out their action items, through the API.",
    "seconds to wait for the watcher to flag the items left overdue",
    run_demo,
)
