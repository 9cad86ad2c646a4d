"""The members service over HTTP, with its relay, projections and seed, in this process."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import pytest_asyncio
from pydantic import SecretStr

from services.members.app import create_app
from services.members.settings import MembersSettings
from shared.chain import new_private_key_pem
from shared.domain import Role
from shared.envelope import Envelope
from shared.key_wrapping import Kek
from tests.conftest import RuntimeRole
from tests.kafka_reader import read_topic
from tests.service_server import TokenMaker, new_token_maker, serving, unique_namespace
from tests.support import eventually

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]

TOKENS = new_token_maker()
OFFICE = TOKENS.headers(Role.OFFICE)
AUDITOR = TOKENS.headers(Role.AUDITOR)
READER = TOKENS.headers(Role.UNIT_STAFF, person="reader", unit="jsj")


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def settings(
    database_url: str, runtime_role: RuntimeRole, kafka_bootstrap: str
) -> MembersSettings:
    return MembersSettings(
        # Served as the runtime role, migrated as the owner (docs/deployment.md).
        database_url=runtime_role.url(database_url),
        migration_database_url=database_url,
        kafka_bootstrap=kafka_bootstrap,
        jwt_public_key=SecretStr(TOKENS.public_pem),
        seal_private_key=SecretStr(new_private_key_pem()),
        personal_data_kek=SecretStr(Kek.generate().to_base64()),
        topic_namespace=unique_namespace(),
        seal_interval_seconds=0.5,
    )


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def api(settings: MembersSettings) -> AsyncIterator[httpx.AsyncClient]:
    async with serving(create_app(settings)) as client:
        client.headers.update(READER)
        yield client


def code() -> str:
    return "u" + uuid.uuid4().hex[:8]


async def admit(api: httpx.AsyncClient, unit: str, **overrides: Any) -> dict[str, Any]:
    body = {
        "code": unit,
        "name_zh": "区测试局",
        "name_en": "Test Bureau",
        "kind": "bureau",
        "effective_on": "2020-01-01",
    }
    answer = await api.post("/units", json=body | overrides, headers=OFFICE)
    assert answer.status_code == 201, answer.text
    result: dict[str, Any] = answer.json()
    return result


def problem(answer: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = answer.json()
    assert body["code"] == code
    assert body["status"] == status
    return body


async def test_the_seed_roster_of_the_notice_is_loaded_on_first_start(
    api: httpx.AsyncClient,
) -> None:
    answer = await api.get("/roster", params={"as_of": "2017-08-02"})

    roster = answer.json()
    assert answer.status_code == 200
    assert roster["count"] == 26
    assert roster["convener"]["name"] == "马吉祥"
    assert [p["name"] for p in roster["deputy_conveners"]] == ["崔玉琦", "马晓春"]
    assert roster["office_director"]["name"] == "马晓春"
    assert roster["joint_meeting"] == "城东区农民工工资清欠工作联席会议"


async def test_before_the_notice_the_roster_is_empty(api: httpx.AsyncClient) -> None:
    answer = await api.get("/roster", params={"as_of": "2017-08-01"})

    assert answer.json()["count"] == 0


async def test_an_admitted_unit_is_listed_and_its_events_are_cloudevents(
    api: httpx.AsyncClient,
) -> None:
    unit = code()

    appended = await admit(api, unit)
    listed = await api.get(
        "/units", params={"wait_for": f"{appended['stream']}@{appended['position']}"}
    )
    events = await api.get(f"/units/{unit}/events")

    assert appended["stream"] == f"unit-{unit}"
    assert appended["version"] == 1
    assert unit in [u["code"] for u in listed.json()]
    [event] = events.json()
    assert event["type"] == "qingqian.members.UnitAdmitted.v1"
    assert event["subject"] == f"unit-{unit}"
    assert event["actor"] == "tester"
    assert event["actorunit"] == "rsj"


async def test_the_published_order_is_served_as_a_json_array_or_one_event_per_line(
    api: httpx.AsyncClient,
) -> None:
    unit = code()
    await admit(api, unit)

    async def is_numbered() -> bool:
        [event] = (await api.get(f"/units/{unit}/events")).json()
        return event["sequence"] is not None

    await eventually(is_numbered)
    [admitted] = (await api.get(f"/units/{unit}/events")).json()
    page = {"after_sequence": admitted["sequence"] - 1, "limit": 1}
    as_array = await api.get("/events", params=page)
    as_lines = await api.get(
        "/events", params=page, headers={"Accept": "application/x-ndjson"}
    )

    assert as_array.status_code == 200
    assert as_array.headers["content-type"] == "application/json"
    assert [Envelope.model_validate(e) for e in as_array.json()] == [
        Envelope.model_validate(admitted)
    ]
    assert as_lines.status_code == 200
    assert as_lines.headers["content-type"].startswith("application/x-ndjson")
    assert [json.loads(line) for line in as_lines.text.splitlines()] == (
        as_array.json()
    )


async def test_a_page_of_the_published_order_holds_at_most_10000_events(
    api: httpx.AsyncClient,
) -> None:
    answer = await api.get("/events", params={"limit": 10_001})

    problem(answer, 422, "invalid-input")


async def test_each_event_is_on_the_topic_keyed_by_stream(
    api: httpx.AsyncClient, settings: MembersSettings
) -> None:
    unit = code()
    await admit(api, unit)
    assert settings.kafka_bootstrap is not None

    messages = await read_topic(
        settings.kafka_bootstrap,
        settings.events_topic,
        until=lambda ms: any(m["subject"] == f"unit-{unit}" for m in ms),
    )

    [message] = [m for m in messages if m["subject"] == f"unit-{unit}"]
    assert message["_key"] == f"unit-{unit}"
    assert message["specversion"] == "1.0"
    assert message["source"] == "/qingqian/chengdong/members"


async def test_a_command_without_a_token_is_401(api: httpx.AsyncClient) -> None:
    answer = await api.post(
        "/units", json={"code": code()}, headers={"Authorization": ""}
    )

    problem(answer, 401, "unauthenticated")


@pytest.mark.parametrize(
    "path",
    [
        "/roster",
        "/units",
        "/units/rsj",
        "/people",
        "/joint-meeting",
        "/events",
        "/streams/unit-rsj/events",
    ],
)
async def test_every_query_needs_a_token(api: httpx.AsyncClient, path: str) -> None:
    problem(await api.get(path, headers={"Authorization": ""}), 401, "unauthenticated")
    problem(
        await api.get(path, headers={"Authorization": "Bearer garbage"}),
        401,
        "unauthenticated",
    )


async def test_a_forged_token_is_401(api: httpx.AsyncClient) -> None:
    forged = TokenMaker(new_private_key_pem()).headers(Role.OFFICE)

    answer = await api.post(
        f"/units/{code()}/withdraw",
        json={"reason": "x", "effective_on": "2020-01-01"},
        headers=forged,
    )

    problem(answer, 401, "unauthenticated")


async def test_an_auditor_may_not_admit_a_unit(api: httpx.AsyncClient) -> None:
    unit = code()

    answer = await api.post(
        "/units",
        json={
            "code": unit,
            "name_zh": "甲",
            "name_en": "A",
            "kind": "bureau",
            "effective_on": "2020-01-01",
        },
        headers=AUDITOR,
    )

    problem(answer, 403, "not-permitted")
    problem(await api.get(f"/units/{unit}/events"), 404, "not-found")


async def test_bad_input_is_a_422_naming_the_field_and_rule(
    api: httpx.AsyncClient,
) -> None:
    answer = await api.post(
        "/units",
        json={
            "code": "Bad Code",
            "name_zh": "",
            "name_en": "A",
            "kind": "ministry",
            "effective_on": "someday",
        },
        headers=OFFICE,
    )

    body = problem(answer, 422, "invalid-input")
    pointers = {e["pointer"]: e["rule"] for e in body["errors"]}
    assert pointers["#/code"] == "string_pattern_mismatch"
    assert pointers["#/name_zh"] == "string_too_short"
    assert pointers["#/kind"] == "enum"
    assert "#/effective_on" in pointers


async def test_appointing_into_a_withdrawn_unit_is_422_and_writes_nothing(
    api: httpx.AsyncClient,
) -> None:
    unit = code()
    await admit(api, unit)
    withdrawn = await api.post(
        f"/units/{unit}/withdraw",
        json={"reason": "merged", "effective_on": "2021-01-01"},
        headers=OFFICE,
    )
    assert withdrawn.status_code == 200
    person = "p" + uuid.uuid4().hex[:8]

    answer = await api.post(
        "/people",
        json={
            "person_id": person,
            "name": "张三",
            "unit_code": unit,
            "title": "局长",
            "effective_on": "2021-02-01",
        },
        headers=OFFICE,
    )

    body = problem(answer, 422, "invalid-input")
    assert body["errors"][0]["pointer"] == "#/unit_code"
    problem(await api.get(f"/streams/person-{person}/events"), 404, "not-found")


async def test_an_illegal_transition_is_409_naming_current_and_allowed(
    api: httpx.AsyncClient,
) -> None:
    unit = code()
    await admit(api, unit)
    await api.post(
        f"/units/{unit}/withdraw",
        json={"reason": "merged", "effective_on": "2021-01-01"},
        headers=OFFICE,
    )

    answer = await api.post(
        f"/units/{unit}/withdraw",
        json={"reason": "again", "effective_on": "2021-01-02"},
        headers=OFFICE,
    )

    body = problem(answer, 409, "invalid-transition")
    assert body["current"] == "withdrawn"
    assert body["allowed"] == []


async def test_a_refusal_names_the_allowed_steps_by_their_route_verbs(
    api: httpx.AsyncClient,
) -> None:
    unit = code()
    await admit(api, unit)

    answer = await api.post(
        "/units",
        json={
            "code": unit,
            "name_zh": "区另一局",
            "name_en": "Another Bureau",
            "kind": "bureau",
            "effective_on": "2020-01-01",
        },
        headers=OFFICE,
    )

    body = problem(answer, 409, "invalid-transition")
    assert (body["current"], body["allowed"]) == (
        "active",
        ["rename", "set-duties", "withdraw"],
    )


async def test_a_stale_if_match_is_412_and_a_current_one_succeeds(
    api: httpx.AsyncClient,
) -> None:
    unit = code()
    await admit(api, unit)
    rename = {
        "name_zh": "区新局",
        "name_en": "New Bureau",
        "effective_on": "2021-01-01",
        "reason": "reform",
    }

    stale = await api.post(
        f"/units/{unit}/rename", json=rename, headers=OFFICE | {"If-Match": '"0"'}
    )
    current = await api.post(
        f"/units/{unit}/rename", json=rename, headers=OFFICE | {"If-Match": '"1"'}
    )

    problem(stale, 412, "precondition-failed")
    assert current.status_code == 200
    assert current.json()["version"] == 2


async def test_a_repeated_idempotency_key_returns_the_first_answer_and_a_reused_one_is_refused(
    api: httpx.AsyncClient,
) -> None:
    unit = code()
    body = {
        "code": unit,
        "name_zh": "区甲局",
        "name_en": "A",
        "kind": "bureau",
        "effective_on": "2020-01-01",
    }
    key = {"Idempotency-Key": f"admit-{unit}"}

    first = await api.post("/units", json=body, headers=OFFICE | key)
    again = await api.post("/units", json=body, headers=OFFICE | key)
    reused = await api.post(
        "/units", json=body | {"name_en": "B"}, headers=OFFICE | key
    )

    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    problem(reused, 422, "idempotency-key-reused")
    assert len((await api.get(f"/units/{unit}/events")).json()) == 1


async def test_the_correlation_id_is_echoed_and_recorded_in_the_event(
    api: httpx.AsyncClient,
) -> None:
    unit = code()
    correlation = f"corr-{unit}"

    answer = await api.post(
        "/units",
        json={
            "code": unit,
            "name_zh": "区乙局",
            "name_en": "B",
            "kind": "bureau",
            "effective_on": "2020-01-01",
        },
        headers=OFFICE | {"X-Correlation-ID": correlation},
    )

    assert answer.headers["x-correlation-id"] == correlation
    [event] = (await api.get(f"/units/{unit}/events")).json()
    assert event["correlationid"] == correlation


async def test_there_is_one_convener_at_a_time(api: httpx.AsyncClient) -> None:
    answer = await api.post(
        "/joint-meeting/grant-role",
        json={"person_id": "2017-04", "role": "convener", "effective_on": "2020-01-01"},
        headers=OFFICE,
    )

    problem(answer, 409, "one-convener")


async def test_a_rename_keeps_the_old_name_for_past_rosters(
    api: httpx.AsyncClient,
) -> None:
    renamed = await api.post(
        "/units/ajj/rename",
        json={
            "name_zh": "区应急管理局",
            "name_en": "Emergency Management Bureau",
            "effective_on": "2019-03-01",
            "reason": "2019 reform",
        },
        headers=OFFICE,
    )
    wait = {"wait_for": f"{renamed.json()['stream']}@{renamed.json()['position']}"}

    unit = (await api.get("/units/ajj", params=wait)).json()
    then = (await api.get("/roster", params={"as_of": "2018-01-01"})).json()
    later = (await api.get("/roster", params={"as_of": "2019-06-01"})).json()

    assert [n["name_zh"] for n in unit["names"]] == [
        "区安全生产监督管理局",
        "区应急管理局",
    ]
    assert _entry(then, "2017-09")["unit_name_zh"] == "区安全生产监督管理局"
    assert _entry(later, "2017-09")["unit_name_zh"] == "区应急管理局"


async def test_a_relieved_person_loses_their_roles_the_same_day(
    api: httpx.AsyncClient,
) -> None:
    unit = code()
    await admit(api, unit)
    person = "p" + uuid.uuid4().hex[:8]
    await api.post(
        "/people",
        json={
            "person_id": person,
            "name": "李四",
            "unit_code": unit,
            "title": "局长",
            "effective_on": "2020-02-01",
        },
        headers=OFFICE,
    )
    await api.post(
        "/joint-meeting/grant-role",
        json={"person_id": person, "role": "member", "effective_on": "2020-02-01"},
        headers=OFFICE,
    )

    async def role_held() -> bool:
        holder: dict[str, Any] = (await api.get(f"/people/{person}")).json()
        return bool(holder.get("roles") == ["member"])

    # The grant (jointmeeting stream) and the relief (person stream) travel on
    # different partitions: without this wait the relief could be applied first, and
    # "no roles" would hold before the grant arrived, not after the process manager.
    await eventually(role_held)
    relieved = await api.post(
        f"/people/{person}/relieve",
        json={"reason": "retired", "effective_on": "2022-05-01"},
        headers=OFFICE,
    )

    assert relieved.status_code == 200

    async def roles_ended() -> bool:
        holder: dict[str, Any] = (await api.get(f"/people/{person}")).json()
        return bool(holder["status"] == "relieved" and holder["roles"] == [])

    await eventually(roles_ended)
    before = (await api.get("/roster", params={"as_of": "2022-04-30"})).json()
    after = (await api.get("/roster", params={"as_of": "2022-05-01"})).json()
    assert person in [p["person_id"] for p in before["people"]]
    assert person not in [p["person_id"] for p in after["people"]]
    history = (await api.get("/joint-meeting/events")).json()
    ended = [
        e
        for e in history
        if e["type"].endswith("RoleEnded.v1") and e["data"]["person_id"] == person
    ]
    assert ended[0]["actor"] == "system"
    assert ended[0]["causationid"] is not None


async def test_a_unit_can_be_seen_as_it_was_recorded_at_a_past_time(
    api: httpx.AsyncClient,
) -> None:
    unit = code()
    await admit(api, unit)
    [admitted] = (await api.get(f"/units/{unit}/events")).json()
    await api.post(
        f"/units/{unit}/set-duties",
        json={"duties": ["监督检查"], "effective_on": "2021-01-01"},
        headers=OFFICE,
    )

    then = await api.get(f"/units/{unit}", params={"as_of": admitted["time"]})

    assert then.status_code == 200
    assert then.json()["version"] == 1
    assert then.json()["duties"] == []


async def test_unknown_things_are_404_and_odd_paths_are_422_never_500(
    api: httpx.AsyncClient,
) -> None:
    problem(await api.get("/units/nosuchunit"), 404, "not-found")
    problem(await api.get("/people/nobody"), 404, "not-found")
    problem(await api.get("/units/NOT_A_CODE"), 422, "invalid-input")
    problem(
        await api.get("/units", params={"wait_for": "nonsense"}), 422, "invalid-input"
    )
    problem(
        await api.get("/roster", params={"as_of": "2017-13-45"}), 422, "invalid-input"
    )
    problem(
        await api.post(
            "/units",
            content=b"{not json",
            headers=OFFICE | {"content-type": "application/json"},
        ),
        422,
        "invalid-input",
    )
    problem(await api.get("/no/such/route"), 404, "not-found")


async def test_stream_history_shows_where_each_event_stands_in_the_published_order(
    api: httpx.AsyncClient,
) -> None:
    async def sequenced() -> bool:
        events = (await api.get("/units/rsj/events")).json()
        return all(isinstance(e.get("sequence"), int) for e in events)

    await eventually(sequenced)


async def test_operations_endpoints_answer(api: httpx.AsyncClient) -> None:
    health = await api.get("/healthz")
    ready = await api.get("/readyz")
    metrics = (await api.get("/metrics")).text
    openapi = (await api.get("/openapi.json")).json()

    assert health.status_code == ready.status_code == 200
    for name in (
        "qingqian_append_seconds",
        "qingqian_relay_lag_events",
        "qingqian_projection_lag_messages",
        "qingqian_parked_events",
    ):
        assert name in metrics
    assert "/units/{code}/rename" in openapi["paths"]


def _entry(roster: dict[str, Any], person_id: str) -> dict[str, Any]:
    entry: dict[str, Any] = next(
        p for p in roster["people"] if p["person_id"] == person_id
    )
    return entry


async def test_operators_see_projection_progress_and_parked_events(
    api: httpx.AsyncClient,
) -> None:
    async def directory_view() -> dict[str, Any]:
        projections = await api.get("/operations/projections", headers=AUDITOR)
        assert projections.status_code == 200
        views: list[dict[str, Any]] = projections.json()
        return next(p for p in views if p["name"] == "members_directory")

    async def caught_up() -> bool:
        # Caught up means no lag now: the tests before may have written a moment ago.
        return bool((await directory_view())["is_caught_up"])

    await eventually(caught_up)
    directory = await directory_view()
    parked = await api.get("/operations/parked-events", headers=AUDITOR)

    assert directory["lag"] == 0
    assert directory["sources"][0]["source"] == "/qingqian/chengdong/members"
    assert directory["sources"][0]["applied_count"] >= 81
    assert parked.json() == []
    problem(
        await api.get("/operations/projections", headers={"Authorization": ""}),
        401,
        "unauthenticated",
    )
    problem(
        await api.get(
            "/operations/parked-events", headers=TOKENS.headers(Role.UNIT_STAFF)
        ),
        403,
        "not-permitted",
    )


async def test_a_rebuilt_projection_comes_back_to_the_same_state(
    api: httpx.AsyncClient,
) -> None:
    before = (await api.get("/roster", params={"as_of": "2017-08-02"})).json()

    answer = await api.post(
        "/operations/projections/members_directory/rebuild", headers=OFFICE
    )

    assert answer.status_code == 202

    async def rebuilt() -> bool:
        again = await api.get("/roster", params={"as_of": "2017-08-02"})
        return bool(again.json() == before)

    await eventually(rebuilt, timeout=20)
    problem(
        await api.post("/operations/projections/nope/rebuild", headers=OFFICE),
        404,
        "not-found",
    )
    problem(
        await api.post(
            "/operations/projections/members_directory/rebuild", headers=AUDITOR
        ),
        403,
        "not-permitted",
    )
