"""Webhooks (issue 16 item 5): a subscriber on 127.0.0.1 that fails on purpose still
receives every event, in order, signed, once; a replay delivers again; a subscriber
that keeps failing is parked at a dead letter; bad URLs and callers are refused."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import pytest_asyncio
from pydantic import SecretStr

from services.members.app import create_app
from services.members.settings import MembersSettings
from shared.auth import Scope
from shared.chain import new_private_key_pem
from shared.domain import Role
from shared.key_wrapping import Kek
from shared.webhooks.signing import verify
from tests.conftest import RuntimeRole
from tests.service_server import new_token_maker, serving, unique_namespace
from tests.support import eventually
from tests.webhook_receiver import Received, Receiver, receiving

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]

TOKENS = new_token_maker()
OFFICE = TOKENS.headers(Role.OFFICE)
AGENCY = TOKENS.service_headers("agency", Scope.EXCHANGE_SUBSCRIBE)
SECRET = "test-secret-" + "s" * 24
TRIES = 3


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def members(
    database_url: str, runtime_role: RuntimeRole, kafka_bootstrap: str
) -> AsyncIterator[httpx.AsyncClient]:
    """Members delivering webhooks fast: three tries, 50 ms apart at first."""
    settings = MembersSettings(
        database_url=runtime_role.url(database_url),
        migration_database_url=database_url,
        kafka_bootstrap=kafka_bootstrap,
        jwt_public_key=SecretStr(TOKENS.public_pem),
        seal_private_key=SecretStr(new_private_key_pem()),
        personal_data_kek=SecretStr(Kek.generate().to_base64()),
        topic_namespace=unique_namespace(),
        webhook_allow_local_targets=True,
        webhook_max_attempts=TRIES,
        webhook_retry_first_seconds=0.05,
        webhook_retry_max_seconds=0.2,
        webhook_poll_seconds=0.05,
    )
    async with serving(create_app(settings)) as client:
        yield client


async def admit_units(members: httpx.AsyncClient, count: int) -> list[str]:
    codes = ["w" + uuid.uuid4().hex[:8] for _ in range(count)]
    for code in codes:
        body = {
            "code": code,
            "name_zh": "区测试局",
            "name_en": "Test Bureau",
            "kind": "bureau",
            "effective_on": "2020-01-01",
        }
        answer = await members.post("/units", json=body, headers=OFFICE)
        assert answer.status_code == 201, answer.text
    return codes


async def subscribe(
    members: httpx.AsyncClient,
    url: str,
    *,
    headers: dict[str, str] = OFFICE,
    **fields: Any,
) -> dict[str, Any]:
    body = {"url": url, "event_types": ["*"], "profile": "internal"} | fields
    answer = await members.post("/subscriptions", json=body, headers=headers)
    assert answer.status_code == 201, answer.text
    created: dict[str, Any] = answer.json()
    return created


async def published_after(
    members: httpx.AsyncClient, first: int, codes: list[str]
) -> list[bytes]:
    """The lines of GET /events from sequence `first` on, once the units are in it."""
    lines: list[bytes] = []

    async def has_all() -> bool:
        answer = await members.get(
            "/events",
            params={"after_sequence": first - 1, "limit": 10_000},
            headers=OFFICE | {"Accept": "application/x-ndjson"},
        )
        lines[:] = answer.content.splitlines()
        return all(any(code.encode() in line for line in lines) for code in codes)

    await eventually(has_all)
    return lines


def sequences(received: list[Received]) -> list[int]:
    return [json.loads(r.body)["sequence"] for r in received]


async def test_a_subscriber_failing_twice_receives_every_event_in_order_signed(
    members: httpx.AsyncClient,
) -> None:
    async with receiving(Receiver(failures=2)) as receiver:
        created = await subscribe(members, receiver.url, secret=SECRET)
        codes = await admit_units(members, 3)
        lines = await published_after(members, created["next_sequence"], codes)

        async def all_accepted() -> bool:
            return len(receiver.accepted) >= len(lines)

        await eventually(all_accepted, timeout=20)

    assert [r.body for r in receiver.accepted] == lines
    assert sequences(receiver.accepted) == sorted(sequences(receiver.accepted))
    assert all(count == TRIES for count in receiver.tries.values())
    now = int(time.time())
    for request in receiver.requests:
        signed = request.headers["x-qingqian-signature"]
        assert verify(SECRET, request.body, signed, now=now)
        assert not verify(SECRET, request.body + b" ", signed, now=now)
        assert request.headers["ce-id"] == json.loads(request.body)["id"]
    deliveries = {r.headers["x-qingqian-delivery"] for r in receiver.requests}
    assert len(deliveries) == len(receiver.requests)


async def test_a_replay_delivers_again_from_the_sequence_given(
    members: httpx.AsyncClient,
) -> None:
    async with receiving(Receiver()) as receiver:
        created = await subscribe(members, receiver.url)
        codes = await admit_units(members, 2)
        lines = await published_after(members, created["next_sequence"], codes)

        async def delivered(count: int) -> bool:
            return len(receiver.accepted) >= count

        await eventually(lambda: delivered(len(lines)))
        replayed = await members.post(
            f"/subscriptions/{created['id']}/replay",
            json={"from_sequence": created["next_sequence"]},
            headers=OFFICE,
        )
        assert replayed.status_code == 200, replayed.text
        await eventually(lambda: delivered(2 * len(lines)))

    assert [r.body for r in receiver.accepted] == lines + lines


async def test_a_subscriber_that_keeps_failing_is_parked_at_a_dead_letter(
    members: httpx.AsyncClient,
) -> None:
    async with receiving(Receiver(is_down=True)) as receiver:
        created = await subscribe(members, receiver.url)
        path = f"/subscriptions/{created['id']}"
        codes = await admit_units(members, 2)
        lines = await published_after(members, created["next_sequence"], codes)

        async def is_parked() -> bool:
            answer = await members.get(path, headers=OFFICE)
            return bool(answer.json()["state"] == "parked")

        await eventually(is_parked)
        dead = await members.get(f"{path}/dead-letters", headers=OFFICE)
        assert dead.status_code == 200
        [letter] = dead.json()
        first = json.loads(lines[0])
        assert (letter["sequence"], letter["event_id"]) == (
            first["sequence"],
            first["id"],
        )
        assert (letter["attempts"], letter["error"]) == (TRIES, "HTTP 500")
        # Parked: the next event is never tried before the one it is parked at.
        assert {json.loads(r.body)["id"] for r in receiver.requests} == {first["id"]}

        receiver.is_down = False
        resumed = await members.post(
            f"{path}/replay",
            json={"from_sequence": letter["sequence"]},
            headers=OFFICE,
        )
        assert resumed.json()["state"] == "active"

        async def caught_up() -> bool:
            return len(receiver.accepted) >= len(lines)

        await eventually(caught_up)

    assert [r.body for r in receiver.accepted] == lines


async def test_a_restricted_subscription_receives_only_what_the_profile_shows(
    members: httpx.AsyncClient,
) -> None:
    async with receiving(Receiver()) as receiver:
        created = await subscribe(
            members, receiver.url, profile="restricted", headers=AGENCY
        )
        assert created["created_by"] == "svc:agency"
        codes = await admit_units(members, 2)
        lines = await published_after(members, created["next_sequence"], codes)
        shown = [
            line
            for line in lines
            if json.loads(line)["type"].startswith("qingqian.members.Unit")
        ]

        async def delivered() -> bool:
            return len(receiver.accepted) >= len(shown)

        await eventually(delivered)
    assert [r.body for r in receiver.accepted] == shown
    listed = await members.get("/subscriptions", headers=AGENCY)
    assert [s["id"] for s in listed.json()] == [created["id"]]


@pytest.mark.parametrize(
    "url", ["ftp://example.org/hook", "file:///etc/passwd", "http://user:pw@x.org/"]
)
async def test_a_url_that_is_not_http_is_refused(
    members: httpx.AsyncClient, url: str
) -> None:
    answer = await members.post(
        "/subscriptions", json={"url": url, "event_types": ["*"]}, headers=OFFICE
    )

    assert answer.status_code == 422
    assert answer.json()["code"] == "invalid-input"
    assert (await members.get("/subscriptions", headers=OFFICE)).status_code == 200


@pytest.mark.parametrize(
    ("headers", "profile", "status", "code"),
    [
        (TOKENS.headers(Role.AUDITOR), "internal", 403, "not-permitted"),
        (
            TOKENS.service_headers("x", Scope.EVENTS_READ),
            "restricted",
            403,
            "not-permitted",
        ),
        (AGENCY, "internal", 403, "not-permitted"),
        ({}, "restricted", 401, "unauthenticated"),
    ],
)
async def test_a_caller_without_the_right_is_refused(
    members: httpx.AsyncClient,
    headers: dict[str, str],
    profile: str,
    status: int,
    code: str,
) -> None:
    body = {"url": "https://example.org/h", "event_types": ["*"], "profile": profile}

    answer = await members.post("/subscriptions", json=body, headers=headers)

    assert answer.status_code == status
    assert answer.json()["code"] == code


async def test_a_type_the_restricted_profile_hides_is_refused(
    members: httpx.AsyncClient,
) -> None:
    body = {
        "url": "https://example.org/h",
        "event_types": ["qingqian.members.PersonAppointed.v1"],
        "profile": "restricted",
    }

    answer = await members.post("/subscriptions", json=body, headers=AGENCY)

    assert answer.status_code == 422
    assert answer.json()["errors"][0]["pointer"] == "#/event_types/0"
