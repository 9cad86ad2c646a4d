"""A service whose PostgreSQL goes away under it, in this process: its database reached
through a proxy the test cuts (the server stopped) or pauses (the network stalls).
While it is away requests get 503 problem+json within the pool's bounds, never 500 or
a hang, and `/readyz` names the loop that stopped; once it is back the relay publishes
again and the service is ready again."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import date
from typing import Any

import httpx
import pytest
import pytest_asyncio
from fastapi import FastAPI
from pydantic import SecretStr

from qingqian_local.embedded import Tansu, drop_database
from services.members.app import MIGRATIONS
from services.members.process_managers import EndRolesWhenRelieved
from services.members.projections import MembersDirectory
from services.members.routes import commands, reads
from services.members.settings import MembersSettings
from shared.chain import new_private_key_pem
from shared.domain import Command, Role
from shared.handling import CommandContext
from shared.http import Background, ServiceRuntime, create_service_app
from shared.key_wrapping import Kek
from shared.projections import Projection
from shared.store import Appended
from shared.watcher import DeadlineWatcher, Due
from tests.conftest import clone_database
from tests.kafka_reader import read_topic
from tests.service_server import new_token_maker, serving, unique_namespace
from tests.support import eventually
from tests.tcp_proxy import PostgresProxy

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]

TOKENS = new_token_maker()
OFFICE = TOKENS.headers(Role.OFFICE)
# Acquire (1 s), a statement (1 s) and a release that waits for a cancel (1 s), with
# room to spare: an answer later than this is a hang.
BOUND = 8.0


@pytest_asyncio.fixture(loop_scope="session")
async def proxy(
    pg_server_url: str, template_database: str
) -> AsyncIterator[PostgresProxy]:
    """A fresh database of this test's own, reached through a proxy."""
    url = await clone_database(pg_server_url, template_database)
    proxy = PostgresProxy(url)
    await proxy.start()
    try:
        yield proxy
    finally:
        await proxy.close()
        await drop_database(pg_server_url, url.rsplit("/", 1)[1].split("?")[0])


def outage_app(settings: MembersSettings) -> FastAPI:
    """The members service's routes and projections, and a watcher that reads the
    database every round: relay, runners and a watcher, all through the proxy."""

    def consumers(rt: ServiceRuntime) -> list[Projection]:
        return [
            MembersDirectory(settings.events_topic),
            EndRolesWhenRelieved(
                rt.store,
                rt.pool,
                topic=settings.events_topic,
                joint_meeting_id="chengdong",
            ),
        ]

    def background(rt: ServiceRuntime) -> list[Background]:
        async def find_due(_today: date) -> list[Due]:
            await rt.pool.fetchval("SELECT 1")
            return []

        async def never_run(_ctx: CommandContext, _c: Command, _id: str) -> Appended:
            raise AssertionError("nothing is ever due")

        watcher = DeadlineWatcher(
            rt.store,
            name="probe-watcher",
            zone=rt.zone,
            interval=0.2,
            find_due=find_due,
            run=never_run,
        )
        return [watcher]

    return create_service_app(
        settings,
        title="members under an outage",
        routers=[commands, reads],
        consumers=consumers,
        background=background,
        migrations=MIGRATIONS,
    )


@pytest_asyncio.fixture(loop_scope="session")
async def settings(proxy: PostgresProxy, kafka_bootstrap: str) -> MembersSettings:
    return MembersSettings(
        database_url=proxy.url,
        kafka_bootstrap=kafka_bootstrap,
        jwt_public_key=SecretStr(TOKENS.public_pem),
        seal_private_key=SecretStr(new_private_key_pem()),
        personal_data_kek=SecretStr(Kek.generate().to_base64()),
        topic_namespace=unique_namespace(),
        seal_interval_seconds=0.5,
        is_seed_loaded=False,
        db_acquire_timeout_seconds=1.0,
        db_statement_timeout_seconds=1.0,
        loop_retry_max_seconds=0.5,
        retry_after_seconds=2,
    )


def unit_body() -> dict[str, Any]:
    return {
        "code": "u" + uuid.uuid4().hex[:8],
        "name_zh": "区测试局",
        "name_en": "Test Bureau",
        "kind": "bureau",
        "effective_on": "2020-01-01",
    }


async def assert_unavailable(api: httpx.AsyncClient) -> None:
    """A read and a command each answered 503 problem+json, within the bound."""
    answers = [
        await api.get("/units", timeout=BOUND),
        await api.post("/units", json=unit_body(), timeout=BOUND),
    ]
    for answer in answers:
        assert answer.status_code == 503, answer.text
        assert answer.headers["content-type"].startswith("application/problem+json")
        assert answer.json()["code"] == "service-unavailable"
        assert answer.headers["retry-after"] == "2"


async def readiness(api: httpx.AsyncClient) -> tuple[int, dict[str, Any]]:
    answer = await api.get("/readyz", timeout=BOUND)
    body: dict[str, Any] = answer.json()
    return answer.status_code, body


async def assert_recovered(
    api: httpx.AsyncClient, settings: MembersSettings, kafka_bootstrap: str
) -> None:
    """Ready again, a new command is taken, the relay publishes it and the projection
    applies it."""

    async def is_ready() -> bool:
        return (await readiness(api))[0] == 200

    await eventually(is_ready, timeout=20)
    body = unit_body()
    answer = await api.post("/units", json=body)
    assert answer.status_code == 201, answer.text
    stream = answer.json()["stream"]

    async def in_the_read_model() -> bool:
        return (await api.get(f"/units/{body['code']}")).status_code == 200

    await eventually(in_the_read_model, timeout=20)
    published = await read_topic(
        kafka_bootstrap,
        settings.events_topic,
        until=lambda messages: any(m["_key"] == stream for m in messages),
    )
    assert any(m["_key"] == stream for m in published)
    loops = await api.get("/operations/loops")
    assert loops.status_code == 200, loops.text
    by_name = {loop["name"]: loop for loop in loops.json()}
    assert set(by_name) == {
        "relay",
        "members_directory",
        "end_roles_when_relieved",
        "probe-watcher",
        "webhooks",
    }
    assert by_name["relay"]["state"] == "running"
    assert by_name["relay"]["restarts"] >= 1
    assert by_name["relay"]["last_error"]
    projections = await api.get("/operations/projections")
    assert projections.status_code == 200, projections.text
    assert {p["state"] for p in projections.json()} == {"running"}


async def test_a_stopped_database_is_503_and_not_ready_then_the_relay_resumes(
    settings: MembersSettings, proxy: PostgresProxy, kafka_bootstrap: str
) -> None:
    async with serving(outage_app(settings)) as api:
        api.headers.update(OFFICE)
        assert (await api.post("/units", json=unit_body())).status_code == 201

        await proxy.cut()

        await assert_unavailable(api)

        async def names_the_stopped_loops() -> bool:
            status, body = await readiness(api)
            return (
                status == 503
                and body["loops"]["relay"] == "retrying"
                and body["loops"]["probe-watcher"] == "retrying"
                and any(r.startswith("relay is retrying") for r in body["reasons"])
            )

        await eventually(names_the_stopped_loops, timeout=10)
        await assert_unavailable(api)
        await proxy.start()
        await assert_recovered(api, settings, kafka_bootstrap)


async def test_a_network_pause_past_the_pool_timeout_is_503_not_a_hang(
    settings: MembersSettings, proxy: PostgresProxy, kafka_bootstrap: str
) -> None:
    async with serving(outage_app(settings)) as api:
        api.headers.update(OFFICE)

        proxy.pause()

        await assert_unavailable(api)

        async def relay_stopped() -> bool:
            status, body = await readiness(api)
            return status == 503 and body["loops"]["relay"] == "retrying"

        await eventually(relay_stopped, timeout=10)
        proxy.resume()
        await assert_recovered(api, settings, kafka_bootstrap)


async def test_a_broker_away_is_not_ready_naming_the_relay_and_its_lag(
    settings: MembersSettings, private_broker: Tansu
) -> None:
    on_own_broker = settings.model_copy(
        update={"kafka_bootstrap": private_broker.bootstrap, "ready_max_lag": 0}
    )
    async with serving(outage_app(on_own_broker)) as api:
        api.headers.update(OFFICE)

        private_broker.stop()
        taken = [await api.post("/units", json=unit_body()) for _ in range(2)]

        assert [answer.status_code for answer in taken] == [201, 201]

        async def names_the_relay_and_its_lag() -> bool:
            status, body = await readiness(api)
            return (
                status == 503
                and body["loops"]["relay"] == "retrying"
                and any(r.startswith("relay lags 2 events") for r in body["reasons"])
            )

        await eventually(names_the_relay_and_its_lag, timeout=20)
