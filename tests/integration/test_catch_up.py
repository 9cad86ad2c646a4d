"""Catching up from the producer's `GET /events` when the broker does not hold a topic's
beginning (issue 11 item 7): the members service produces, a test read model follows a
topic that holds only the tail of members' log."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import httpx
import pytest
import pytest_asyncio
from aiokafka import TopicPartition
from pydantic import SecretStr

from services.members.app import create_app
from services.members.settings import MembersSettings
from shared.auth import Scope, issue_token, service_account
from shared.chain import new_private_key_pem
from shared.domain import Role
from shared.envelope import Envelope
from shared.key_wrapping import Kek
from shared.loops import Backoff, LoopState
from shared.projections import ProjectionRunner
from shared.projections.batches import reset_offset
from shared.projections.catch_up import HTTP_PARTITION
from shared.projections.rebuilds import RebuildState
from tests.conftest import RuntimeRole
from tests.integration.test_projections import (
    Tally,
    create_topic,
    new_topic,
    once,
    publish,
    running,
)
from tests.service_server import new_token_maker, serving, unique_namespace
from tests.support import eventually
from tests.tcp_proxy import PostgresProxy

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]

TOKENS = new_token_maker()
EVENTS_READER = TOKENS.service_headers("catch-up", Scope.EVENTS_READ)
_FAST = Backoff(first=0.1, cap=0.5)
# The codes of the units the producer admitted.
ADMITTED: list[str] = []


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def producer(
    database_url: str, runtime_role: RuntimeRole, kafka_bootstrap: str
) -> AsyncIterator[httpx.AsyncClient]:
    """Members, with a few units admitted, all of them in its published order."""
    settings = MembersSettings(
        database_url=runtime_role.url(database_url),
        migration_database_url=database_url,
        kafka_bootstrap=kafka_bootstrap,
        jwt_public_key=SecretStr(TOKENS.public_pem),
        seal_private_key=SecretStr(new_private_key_pem()),
        personal_data_kek=SecretStr(Kek.generate().to_base64()),
        topic_namespace=unique_namespace(),
        seal_interval_seconds=0.5,
    )
    async with serving(create_app(settings)) as client:
        client.headers.update(EVENTS_READER)
        ADMITTED[:] = ["u" + uuid.uuid4().hex[:8] for _ in range(5)]
        for code in ADMITTED:
            body = {
                "code": code,
                "name_zh": "区测试局",
                "name_en": "Test Bureau",
                "kind": "bureau",
                "effective_on": "2020-01-01",
            }
            answer = await client.post(
                "/units", json=body, headers=TOKENS.headers(Role.OFFICE)
            )
            assert answer.status_code == 201, answer.text
        yield client


async def published(producer: httpx.AsyncClient) -> list[Envelope]:
    """The producer's whole published order, once the units admitted are in it."""

    events: list[Envelope] = []

    async def is_sequenced() -> bool:
        answer = await producer.get(
            "/events",
            params={"limit": 10_000},
            headers={"Accept": "application/x-ndjson"},
        )
        assert answer.status_code == 200, answer.text
        events[:] = map(Envelope.model_validate_json, answer.text.splitlines())
        subjects = {event.subject for event in events}
        return all(any(code in s for s in subjects) for code in ADMITTED)

    # The relay's sequencer puts appended events in the published order a moment later.
    await eventually(is_sequenced)
    return events


def token_file(tmp_path: Path, token: str) -> Path:
    path = tmp_path / "events-reader.token"
    path.write_text(token + "\n", encoding="utf-8")
    return path


def reader_token() -> str:
    actor = service_account("catch-up", frozenset({Scope.EVENTS_READ}))
    return issue_token(TOKENS.private_pem, actor, audience=TOKENS.audience)


async def test_the_head_is_the_last_sequence_for_an_events_reader_only(
    producer: httpx.AsyncClient,
) -> None:
    events = await published(producer)
    head = await producer.get("/events/head")
    assert head.status_code == 200
    assert head.json() == {"sequence": events[-1].sequence}
    assert (
        await producer.get("/events/head", headers={"Authorization": ""})
    ).status_code == 401
    schema = (await producer.get("/openapi.json")).json()
    assert "/events/head" in schema["paths"]


async def test_a_topic_holding_only_the_tail_is_caught_up_from_the_producer(
    producer: httpx.AsyncClient,
    fresh_pool: asyncpg.Pool,
    kafka_bootstrap: str,
    tmp_path: Path,
) -> None:
    events = await published(producer)
    topic = new_topic()
    await create_topic(kafka_bootstrap, topic)
    await publish(kafka_bootstrap, topic, events[-2:])
    tally = await Tally(topic).create(fresh_pool)
    runner = ProjectionRunner(
        fresh_pool,
        tally,
        bootstrap=kafka_bootstrap,
        catch_up_sources={topic: str(producer.base_url)},
        catch_up_token_file=token_file(tmp_path, reader_token()),
    )
    async with running(runner):
        await eventually(lambda: runner_read_topic(fresh_pool, tally.name, topic, 2))
        # Each event once: the tail read from the topic again was skipped by dedupe.
        assert await tally.applied(fresh_pool) == once(*events)
        # Where the catch-up stands is stored with the read model: a restart goes on
        # from it.
        assert events[-1].sequence is not None
        assert await caught_up_to(fresh_pool, tally.name, topic) == events[-1].sequence
        # A rebuild starts from the beginning, which the topic still does not hold.
        runner.request_rebuild()
        await eventually(lambda: is_rebuilt(runner))
        await eventually(lambda: runner_read_topic(fresh_pool, tally.name, topic, 2))
        assert await tally.applied(fresh_pool) == once(*events)


async def test_a_catch_up_goes_on_from_the_sequence_it_stored(
    producer: httpx.AsyncClient,
    fresh_pool: asyncpg.Pool,
    kafka_bootstrap: str,
    tmp_path: Path,
) -> None:
    events = await published(producer)
    topic = new_topic()
    await create_topic(kafka_bootstrap, topic)
    await publish(kafka_bootstrap, topic, events[-1:])
    tally = await Tally(topic).create(fresh_pool)
    # As a catch-up that stopped after the first two events left it (their effects
    # committed with it, here left out to see that they are not read again).
    assert events[1].sequence is not None
    async with fresh_pool.acquire() as conn:
        stopped_at = TopicPartition(topic, HTTP_PARTITION)
        await reset_offset(conn, tally.name, stopped_at, events[1].sequence + 1, "")
    runner = ProjectionRunner(
        fresh_pool,
        tally,
        bootstrap=kafka_bootstrap,
        catch_up_sources={topic: str(producer.base_url)},
        catch_up_token_file=token_file(tmp_path, reader_token()),
    )
    async with running(runner):
        await eventually(lambda: runner_read_topic(fresh_pool, tally.name, topic, 1))
        assert await tally.applied(fresh_pool) == once(*events[2:])


async def test_an_unreachable_producer_or_a_refused_token_is_retried_until_it_is_read(
    producer: httpx.AsyncClient,
    fresh_pool: asyncpg.Pool,
    kafka_bootstrap: str,
    tmp_path: Path,
) -> None:
    events = await published(producer)
    topic = new_topic()
    await create_topic(kafka_bootstrap, topic)
    await publish(kafka_bootstrap, topic, events[-1:])
    tally = await Tally(topic).create(fresh_pool)
    proxy = PostgresProxy(str(producer.base_url))  # not started: nobody listens
    tokens = token_file(tmp_path, "not-a-token")
    runner = ProjectionRunner(
        fresh_pool,
        tally,
        bootstrap=kafka_bootstrap,
        backoff=_FAST,
        catch_up_sources={topic: f"http://127.0.0.1:{proxy.port}"},
        catch_up_token_file=tokens,
    )
    try:
        async with running(runner):
            await eventually(lambda: retrying_with(runner, "ConnectError"))
            # Never on with part of the log: nothing of the topic applied meanwhile.
            assert await tally.applied(fresh_pool) == {}
            await proxy.start()
            await eventually(lambda: retrying_with(runner, "answered 401"))
            # The file is read again at each request: a replaced token is used.
            token_file(tmp_path, reader_token())
            await eventually(
                lambda: runner_read_topic(fresh_pool, tally.name, topic, 1)
            )
            assert await tally.applied(fresh_pool) == once(*events)
            assert runner.status.state is LoopState.RUNNING
    finally:
        await proxy.close()


async def retrying_with(runner: ProjectionRunner, error: str) -> bool:
    status = runner.status
    return status.state is LoopState.RETRYING and error in (status.last_error or "")


async def is_rebuilt(runner: ProjectionRunner) -> bool:
    return runner.rebuild.state is RebuildState.DONE


async def caught_up_to(pool: asyncpg.Pool, projection: str, topic: str) -> int:
    """The last sequence the projection applied from the topic's producer over HTTP."""
    next_sequence = await pool.fetchval(
        "SELECT next_offset FROM projection_offsets"
        " WHERE projection = $1 AND topic = $2 AND partition = $3",
        projection,
        topic,
        HTTP_PARTITION,
    )
    return int(next_sequence) - 1


async def runner_read_topic(
    pool: asyncpg.Pool, projection: str, topic: str, offset: int
) -> bool:
    """Whether the projection has read the topic's partition 0 up to `offset`."""
    stored = await pool.fetchval(
        "SELECT next_offset FROM projection_offsets"
        " WHERE projection = $1 AND topic = $2 AND partition = 0",
        projection,
        topic,
    )
    return bool(stored == offset)
