"""The meetings demo enters a plenary for every half-year since 2017, special meetings
and a joint inspection through the API; units carry out their action items, some are
left for the watcher to flag overdue, the inspection's arrears become one case, and
running it again writes nothing."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import httpx
import pytest
import pytest_asyncio

from demo.meetings import DemoSummary, run_demo
from qingqian_local.commands import DEMO_UNITS
from services.meetings.watcher import action_watcher
from shared.db import create_pool
from shared.domain import Role
from shared.jwks import service_signer
from shared.store import EventStore
from tests.integration.credit.conftest import TOKENS, fetchval, ok
from tests.integration.meetings.conftest import Stack
from tests.session_zone import TODAY, ZONE
from tests.support import eventually

pytestmark = [
    pytest.mark.integration,
    pytest.mark.asyncio(loop_scope="session"),
    pytest.mark.timeout(300),
]


def _token(role: Role, *, person: str, unit: str) -> str:
    header = TOKENS.headers(role, person=person, unit=unit)["Authorization"]
    return header.removeprefix("Bearer ")


# Every unit `qingqian demo` gives a token to, and the convener (as the CLI does).
TOKENS_FOR = {
    **{u: _token(Role.UNIT_STAFF, person=f"{u}-staff", unit=u) for u in DEMO_UNITS},
    "convener": _token(Role.CONVENER, person="2017-01", unit="qzf"),
}
# Events the demo wrote: the watcher writes as `system`.
_OURS = "SELECT count(*) FROM events WHERE actor <> 'system'"
# Action items whose row in the read model is behind their stream.
_BEHIND = (
    "SELECT count(*) FROM (SELECT stream_id, max(version) AS version FROM events"
    " WHERE stream_id LIKE 'action-%' GROUP BY stream_id) e LEFT JOIN action_items a"
    " ON 'action-' || a.action_id = e.stream_id"
    " WHERE a.version IS DISTINCT FROM e.version"
)


@dataclass(frozen=True)
class Runs:
    first: DemoSummary
    second: DemoSummary
    written_before: int
    written_after: int
    flagged: int


async def _roster_known(stack: Stack) -> None:
    url = stack.meetings_settings.database_url

    async def known() -> bool:
        roles = "SELECT count(*) FROM joint_meeting_roles WHERE role = 'convener'"
        units = "SELECT count(*) FROM member_units WHERE is_active"
        return bool(await fetchval(url, roles)) and await fetchval(url, units) > 20

    await eventually(known, timeout=60)


async def _watch_once(stack: Stack) -> int:
    """One round of the action-item watcher, once the read model shows every item."""
    url = stack.meetings_settings.database_url

    async def caught_up() -> bool:
        return bool(await fetchval(url, _BEHIND) == 0)

    await eventually(caught_up, timeout=30)
    pool = await create_pool(url or "")
    try:
        watcher = action_watcher(
            EventStore(pool, signer=service_signer(stack.meetings_settings)),
            pool,
            zone=ZONE,
            interval=3600,
        )
        return await watcher.check_once()
    finally:
        await pool.close()


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def runs(stack: Stack) -> AsyncIterator[Runs]:
    """The demo run, the watcher run once, the demo run again."""
    await _roster_known(stack)
    url = stack.meetings_settings.database_url
    first = await run_demo(
        stack.meetings, today=TODAY, unit_tokens=TOKENS_FOR, watcher_wait=0
    )
    flagged = await _watch_once(stack)
    written = await fetchval(url, _OURS)
    second = await run_demo(
        stack.meetings, today=TODAY, unit_tokens=TOKENS_FOR, watcher_wait=30
    )
    yield Runs(first, second, written, await fetchval(url, _OURS), flagged)


async def _rows(
    g: httpx.AsyncClient, path: str, **params: str | int
) -> list[dict[str, Any]]:
    answer = await g.get(path, params=params)
    assert answer.status_code == 200, answer.text
    rows: list[dict[str, Any]] = answer.json()
    return rows


async def _meetings(g: httpx.AsyncClient, kind: str) -> list[dict[str, Any]]:
    return await _rows(g, "/meetings", kind=kind, limit=500)


def _half(day: date) -> tuple[int, int]:
    return day.year, 1 if day.month <= 6 else 2


async def test_a_second_run_writes_nothing(runs: Runs) -> None:
    first, second = runs.first, runs.second

    assert first.unexpected == ()
    assert first.skipped == ()
    assert first.unflagged > 0
    assert "not yet flagged" in first.line()
    assert first.created == len(first.meeting_ids) >= 20
    assert first.left_to_units == 0
    assert second.unexpected == ()
    assert second.skipped == ()
    assert second.unflagged == 0
    assert second.created == 0
    assert second.meeting_ids == first.meeting_ids
    assert second.action_ids == first.action_ids
    assert runs.written_after == runs.written_before


async def test_there_is_a_plenary_held_in_every_half_year_since_2017(
    stack: Stack, runs: Runs
) -> None:
    plenaries = await _meetings(stack.meetings, "plenary")
    halves = [_half(date.fromisoformat(m["held_on"])) for m in plenaries]
    current = _half(TODAY)
    every_past_half = {
        (y, h)
        for y in range(2017, TODAY.year + 1)
        for h in (1, 2)
        if (2017, 2) <= (y, h) < current
    }

    assert runs.first.by_kind["plenary"] == len(plenaries)
    assert len(halves) == len(set(halves))
    assert set(halves) - {current} == every_past_half
    assert all(date.fromisoformat(m["held_on"]) <= TODAY for m in plenaries)
    assert runs.first.by_kind["special"] == 2
    assert runs.first.by_kind["inspection"] == 1
    rule = await ok(await stack.meetings.get("/plenary-rule"))
    assert rule["missed_half_years"] == []
    held = sorted(date.fromisoformat(m["held_on"]) for m in plenaries)
    longest = max((b - a).days for a, b in itertools.pairwise(held))
    assert rule["longest_interval"]["days"] == longest
    latest = max(plenaries, key=lambda m: str(m["held_on"]))
    detail = await ok(await stack.meetings.get(f"/meetings/{latest['meeting_id']}"))
    assert len(detail["missing_by_unit"]) == 1


async def test_items_are_done_left_overdue_or_still_open(
    stack: Stack, runs: Runs
) -> None:
    second = runs.second
    g = stack.meetings
    overdue = await _rows(g, "/action-items", overdue="true", limit=1000)

    assert runs.flagged > 0
    assert second.done > second.overdue > 0
    assert second.open > 0
    assert second.done + second.overdue + second.open == len(second.action_ids)
    assert {i["action_id"] for i in overdue} <= set(second.action_ids)
    assert all(date.fromisoformat(i["due"]) < TODAY for i in overdue)
    sent_back = [
        i
        for i in second.action_ids
        if (await ok(await g.get(f"/action-items/{i}")))["state"]["sent_back_reasons"]
    ]
    assert sent_back


async def test_the_inspections_arrears_finding_became_one_case(
    stack: Stack, runs: Runs
) -> None:
    (inspection,) = await _meetings(stack.meetings, "inspection")
    base = f"/meetings/{inspection['meeting_id']}"

    async def linked() -> bool:
        detail = await ok(await stack.meetings.get(base))
        return detail["findings"][0]["case_id"] is not None

    await eventually(linked, timeout=60)
    detail = await ok(await stack.meetings.get(base))
    received = await fetchval(
        stack.cases_settings.database_url,
        "SELECT count(*) FROM events WHERE event_type = 'CaseReceived'"
        " AND data->>'source_reference' = $1",
        f"meeting-{inspection['meeting_id']}/f1",
    )
    assert runs.second.unexpected == ()
    assert [f["is_wage_arrears"] for f in detail["findings"]] == [True, False]
    assert received == 1
    case = await ok(await stack.cases.get(f"/cases/{detail['findings'][0]['case_id']}"))
    assert case["state"]["source"] == "inspection_finding"
