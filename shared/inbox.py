"""One inbox per unit: each service answers `GET /inbox` with the open work it holds
for a unit, in one shape, so the console and other systems merge the services' lists
without knowing their read models."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from datetime import UTC, date, datetime
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Query
from pydantic import BaseModel

from shared.auth import Actor
from shared.dependencies import ActorDep, RuntimeDep, ServiceRuntime
from shared.domain import Role
from shared.errors import NotPermitted
from shared.values import UNIT_CODE_PATTERN


class InboxItem(BaseModel):
    """待办事项: one piece of open work a unit must act on. `kind` says what it is
    (`assigned_case`, `action_item`, `sanction_task`…), `link` is the API path of the
    thing itself, `due_on` when the unit must have acted (none: no time limit),
    `is_overdue` whether that day has passed in the district's zone, `since` when the
    work arrived, where known."""

    kind: str
    title: str
    due_on: date | None
    is_overdue: bool
    link: str
    unit: str
    since: date | None = None


def district_today(now: datetime, zone: ZoneInfo) -> date:
    """The business date of an aware moment in the district's zone: a day turns over
    at the zone's midnight, not UTC's."""
    return now.astimezone(zone).date()


def inbox_item(
    *,
    kind: str,
    title: str,
    due_on: date | None,
    link: str,
    unit: str,
    today: date,
    since: date | None = None,
) -> InboxItem:
    """An item, overdue when its due day lies before `today` (work due today is not
    late yet; work with no due day never is)."""
    return InboxItem(
        kind=kind,
        title=title,
        due_on=due_on,
        is_overdue=due_on is not None and due_on < today,
        link=link,
        unit=unit,
        since=since,
    )


def in_inbox_order(items: Iterable[InboxItem]) -> list[InboxItem]:
    """Overdue items first, then by due day (those with none last), then by link so
    the order is the same on every read."""
    return sorted(
        items,
        key=lambda i: (
            not i.is_overdue,
            i.due_on is None,
            i.due_on or date.max,
            i.link,
        ),
    )


def inbox_unit(actor: Actor, asked: str | None) -> str:
    """The unit whose inbox is read: the one asked, or the caller's own. The office
    reads any unit's; anyone else only their own (403 naming the unit)."""
    unit = asked or actor.unit
    if unit != actor.unit and not actor.has_any(frozenset({Role.OFFICE})):
        raise NotPermitted(
            f"{actor.person} of {actor.unit} may read only its own unit's inbox,"
            f" not {unit}'s"
        )
    return unit


InboxQuery = Callable[[ServiceRuntime, str, date], Awaitable[list[InboxItem]]]
"""A service's part: the open work it holds for (runtime, unit, today)."""

_UNIT = Annotated[
    str | None,
    Query(
        pattern=UNIT_CODE_PATTERN,
        description="the unit whose open work to list (default: the caller's unit;"
        " only the office may name another)",
    ),
]


def inbox_route(router: APIRouter, query: InboxQuery, *, name: str) -> None:
    """Adds `GET /inbox` to `router`: the open work `query` finds for a unit, overdue
    first then by due day, in the one `InboxItem` shape; `name` is its operation id
    (`cases_inbox`, unique across services). People only (a service account has no
    unit); the router's own dependencies (known query parameters, `wait_for`) apply."""

    async def inbox(
        rt: RuntimeDep, actor: ActorDep, unit: _UNIT = None
    ) -> list[InboxItem]:
        code = inbox_unit(actor, unit)
        today = district_today(datetime.now(UTC), rt.zone)
        return in_inbox_order(await query(rt, code, today))

    router.add_api_route(
        "/inbox",
        inbox,
        methods=["GET"],
        name=name,
        response_model=list[InboxItem],
        description="A unit's open work here, overdue first then by due day, in the"
        " shape every service's inbox shares (docs/inbox.md); 403 for another unit's"
        " inbox unless the caller is the office.",
    )
