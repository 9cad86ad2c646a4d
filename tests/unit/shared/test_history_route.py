"""The history route factory: which stream a route reads, what it answers, and the
same OpenAPI a hand-written route has."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Annotated, Any

import httpx
import pytest
from fastapi import APIRouter, FastAPI, Path

from shared.dependencies import RuntimeDep, StoreDep
from shared.envelope import Envelope
from shared.history import history_route, stream_history
from shared.problems import add_problem_handlers
from shared.store import Recorded
from tests.support import LEDGER

LedgerId = Annotated[str, Path(pattern="^[a-z0-9]{1,8}$", examples=["abc"])]


class Store:
    """Records which streams were asked for; holds events only for `ledger-abc` and
    `ledger-chengdong`."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    async def history(
        self, stream_id: str, *, as_of: datetime | None = None
    ) -> list[Recorded]:
        self.asked.append(stream_id)
        if stream_id not in ("ledger-abc", "ledger-chengdong"):
            return []
        return [_recorded(stream_id)]


def _recorded(stream_id: str) -> Recorded:
    return Recorded(
        position=1,
        txid=1,
        event_id=uuid.UUID(int=1),
        stream_id=stream_id,
        version=1,
        event_type="LedgerOpened",
        schema_version=1,
        data={"name": "城东"},
        actor="tester",
        actor_unit="rsj",
        correlation_id="c-1",
        causation_id=None,
        command_id=None,
        recorded_at=datetime(2026, 11, 29, 12, 0, tzinfo=UTC),
        prevhash="0" * 64,
        hash="a" * 64,
    )


def routes() -> APIRouter:
    router = APIRouter()
    history_route(
        router,
        "/ledgers/{ledger_id}/events",
        LEDGER,
        id_type=LedgerId,
        name="ledger_events",
        description="The ledger's history as CloudEvents.",
    )
    history_route(
        router,
        "/the-ledger/events",
        LEDGER,
        name="the_ledger_events",
        description="The district's ledger.",
    )
    return router


def hand_written() -> APIRouter:
    """The routes as they were written before the factory."""
    router = APIRouter()

    @router.get("/ledgers/{ledger_id}/events")
    async def ledger_events(
        ledger_id: LedgerId, store: StoreDep, rt: RuntimeDep
    ) -> list[Envelope]:
        """The ledger's history as CloudEvents."""
        return await stream_history(
            store,
            rt.settings.source,
            rt.settings.service,
            LEDGER.stream_id(ledger_id),
            None,
        )

    @router.get("/the-ledger/events")
    async def the_ledger_events(store: StoreDep, rt: RuntimeDep) -> list[Envelope]:
        """The district's ledger."""
        return await stream_history(
            store,
            rt.settings.source,
            rt.settings.service,
            LEDGER.stream_id(rt.settings.district),
            None,
        )

    return router


def app_of(router: APIRouter, store: Store) -> FastAPI:
    app = FastAPI()
    app.include_router(router)
    add_problem_handlers(app, retry_after=1)
    settings = SimpleNamespace(source="/q/test", service="test", district="chengdong")
    app.state.runtime = SimpleNamespace(settings=settings, store=store)
    return app


def openapi_paths(router: APIRouter) -> Any:
    return app_of(router, Store()).openapi()["paths"]


async def get(store: Store, path: str) -> httpx.Response:
    transport = httpx.ASGITransport(app=app_of(routes(), store))
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        return await client.get(path)


async def test_a_history_route_reads_the_stream_of_the_id_in_its_path() -> None:
    store = Store()

    answer = await get(store, "/ledgers/abc/events")

    assert answer.status_code == 200
    assert store.asked == ["ledger-abc"]
    assert [e["subject"] for e in answer.json()] == ["ledger-abc"]
    assert answer.json()[0]["data"] == {"name": "城东"}


async def test_a_history_route_without_an_id_reads_the_districts_stream() -> None:
    store = Store()

    answer = await get(store, "/the-ledger/events")

    assert answer.status_code == 200
    assert store.asked == ["ledger-chengdong"]


async def test_a_stream_without_events_is_404_and_a_malformed_id_422_unread() -> None:
    store = Store()

    missing = await get(store, "/ledgers/xyz/events")
    malformed = await get(store, "/ledgers/NOT-ONE/events")

    assert missing.status_code == 404
    assert malformed.status_code == 422
    assert store.asked == ["ledger-xyz"]


def test_the_factory_documents_a_route_as_the_hand_written_one_was() -> None:
    assert openapi_paths(routes()) == openapi_paths(hand_written())


def test_a_history_route_names_at_most_one_id_and_some_stream() -> None:
    with pytest.raises(ValueError, match="at most one id"):
        history_route(
            APIRouter(), "/ledgers/{a}/{b}/events", LEDGER, name="x", description="x"
        )
    with pytest.raises(ValueError, match="names no stream"):
        history_route(
            APIRouter(), "/events-of/nothing", None, name="x", description="x"
        )
