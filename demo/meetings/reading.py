"""What the demo reads back from the meetings API: whether meetings knows the member
units and roles yet, the meetings and action items there are, and whether the watcher
has flagged the items left overdue."""

from __future__ import annotations

import asyncio
from collections.abc import Collection, Mapping
from typing import Any, Final

import httpx
import structlog

from demo.run import has_read

log = structlog.get_logger()

_PAGE: Final = 500
# Meetings invite the units and check chairs against the roles members publishes.
_FROM_MEMBERS: Final = ("member_units", "joint_meeting_roles")


async def wait_for_members(client: httpx.AsyncClient, *, timeout: float) -> None:
    """Wait until meetings has read the member directory and the joint meeting's roles
    (a plenary invites every active unit; a chair must hold a role)."""
    if not await has_read(client, _FROM_MEMBERS, timeout=timeout):
        log.warning("demo_members_not_yet_known")


async def _pages(
    client: httpx.AsyncClient, path: str, params: Mapping[str, Any]
) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    query = {**params, "limit": _PAGE, "offset": 0}
    while True:
        answer = await client.get(path, params=query)
        answer.raise_for_status()
        page: list[dict[str, Any]] = answer.json()
        found += page
        if len(page) < _PAGE:
            return found
        query["offset"] += _PAGE


def _waiting(wait_for: str | None) -> dict[str, str]:
    return {"wait_for": wait_for} if wait_for else {}


async def meeting_ids(client: httpx.AsyncClient, wait_for: str | None) -> set[str]:
    """Every meeting's id."""
    meetings = await _pages(client, "/meetings", _waiting(wait_for))
    return {m["meeting_id"] for m in meetings}


async def action_items(
    client: httpx.AsyncClient, params: Mapping[str, Any], *, wait_for: str | None
) -> list[dict[str, Any]]:
    """The action items the list shows for these filters."""
    return await _pages(client, "/action-items", {**params, **_waiting(wait_for)})


async def until_overdue(
    client: httpx.AsyncClient,
    action_ids: Collection[str],
    *,
    wait_for: str | None,
    timeout: float,
) -> set[str]:
    """Those of the items that do not show overdue within `timeout` seconds; only the
    watcher flags an item (every DEADLINE_WATCH_SECONDS)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        flagged = await action_items(client, {"overdue": "true"}, wait_for=wait_for)
        waiting = set(action_ids) - {i["action_id"] for i in flagged}
        if not waiting or loop.time() >= deadline:
            return waiting
        await asyncio.sleep(1.0)


async def every_item(
    client: httpx.AsyncClient,
    action_ids: Collection[str],
    *,
    wait_for: str | None,
    timeout: float,
) -> list[dict[str, Any]]:
    """The list's rows of the action items, once it shows them all or after `timeout`
    seconds: `wait_for` promises only the last write's stream, and items of other
    streams may reach the read model later (another partition)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        items = await action_items(client, {}, wait_for=wait_for)
        listed = {i["action_id"] for i in items}
        if set(action_ids) <= listed or loop.time() >= deadline:
            return [i for i in items if i["action_id"] in action_ids]
        await asyncio.sleep(0.5)
