"""The credit demo opens listings in every state through the API, units confirm only
their own sanctions, and running it again writes nothing."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence

import httpx
import pytest
import pytest_asyncio

from demo.credit import run_demo
from shared.domain import Role
from tests.integration.credit.conftest import TOKENS, Chain, running_chain
from tests.session_zone import TODAY

pytestmark = [
    pytest.mark.integration,
    pytest.mark.asyncio(loop_scope="session"),
    pytest.mark.timeout(240),
]

# Every state a listing can show; `published` activates at once, so shows as active.
STATES = {
    "candidate",
    "notice_served",
    "objection_filed",
    "under_review",
    "not_listed",
    "listed",
    "active",
    "removed",
    "revoked",
    "expired",
}
# Only the office's unit (rsj) and these two get tokens: other units confirm nothing.
UNIT_TOKENS = {
    unit: TOKENS.headers(Role.UNIT_STAFF, person=f"{unit}-staff", unit=unit)[
        "Authorization"
    ].removeprefix("Bearer ")
    for unit in ("jsj", "fy")
}


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def watched(
    pg_server_url: str, template_database: str, kafka_bootstrap: str
) -> AsyncIterator[Chain]:
    """A stack whose credit watcher looks every half second, as the demo waits on it
    to expire the listing decided over 3 years ago."""
    async with running_chain(
        pg_server_url, template_database, kafka_bootstrap, deadline_watch_seconds=0.5
    ) as chain:
        yield chain


async def _written_by_people(
    credit: httpx.AsyncClient, listing_ids: Sequence[str]
) -> dict[str, int]:
    """Per listing, the events the office and units wrote (not the watcher)."""
    counts: dict[str, int] = {}
    for listing_id in listing_ids:
        answer = await credit.get(f"/listings/{listing_id}")
        assert answer.status_code == 200, answer.text
        history = answer.json()["history"]
        counts[listing_id] = sum(1 for e in history if e["actor"] != "system")
    return counts


async def _task_statuses(credit: httpx.AsyncClient, unit: str) -> set[str]:
    answer = await credit.get(f"/sanction-tasks/{unit}")
    assert answer.status_code == 200, answer.text
    return {t["status"] for t in answer.json()}


async def test_the_demo_shows_listings_in_every_state_and_runs_again_idle(
    watched: Chain,
) -> None:
    first = await run_demo(
        watched.credit, today=TODAY, unit_tokens=UNIT_TOKENS, watcher_wait=60
    )
    written = await _written_by_people(watched.credit, first.listing_ids)
    second = await run_demo(
        watched.credit, today=TODAY, unit_tokens=UNIT_TOKENS, watcher_wait=60
    )

    assert first.unexpected == ()
    assert first.skipped == ()
    assert first.created == len(first.listing_ids) >= 15
    assert len(first.by_status) >= 6
    assert set(first.by_status) == STATES
    assert first.confirmed > 0
    assert first.left_to_units > 0
    assert second.unexpected == ()
    assert second.created == 0
    assert second.listing_ids == first.listing_ids
    assert second.confirmed == 0
    assert await _written_by_people(watched.credit, first.listing_ids) == written


async def test_units_confirm_only_their_own_sanctions_in_the_demo(
    watched: Chain,
) -> None:
    await run_demo(watched.credit, today=TODAY, unit_tokens=UNIT_TOKENS, watcher_wait=0)

    assert "applied" in await _task_statuses(watched.credit, "jsj")
    assert "applied" in await _task_statuses(watched.credit, "rsj")
    assert "applied" not in await _task_statuses(watched.credit, "fgj")
    assert "lifted" in await _task_statuses(watched.credit, "fy")
