"""The README's command 1 as a user runs it: `qingqian up` starts everything as
processes; we drive the API over HTTP, read the events from the broker, verify the log,
stop with Ctrl-C, start again, tamper with the database and verify again."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest

from qingqian_local.contracts import committed as committed_schemas
from qingqian_local.embedded import free_port
from tests.e2e.steps import receive_and_assign
from tests.kafka_reader import read_topic
from tests.schema_check import SchemaCheck
from tests.support import eventually

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.asyncio(loop_scope="session"),
    pytest.mark.timeout(240),
]


class Stack:
    """One `qingqian up` process on its own ports and data folder."""

    def __init__(self, home: Path) -> None:
        self.home = home
        self.kafka_port = free_port()
        self.port_offset = free_port() % 1000 + 20_000
        self.process: subprocess.Popen[str] | None = None
        self.output: list[str] = []

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{8001 + self.port_offset}"

    @property
    def cases_url(self) -> str:
        return f"http://127.0.0.1:{8002 + self.port_offset}"

    @property
    def meetings_url(self) -> str:
        return f"http://127.0.0.1:{8003 + self.port_offset}"

    @property
    def audit_url(self) -> str:
        return f"http://127.0.0.1:{8005 + self.port_offset}"

    @property
    def bootstrap(self) -> str:
        return f"127.0.0.1:{self.kafka_port}"

    @property
    def env(self) -> dict[str, str]:
        # The embedded defaults are what a fresh machine uses: no external servers.
        env = {
            k: v
            for k, v in os.environ.items()
            if k not in {"DATABASE_URL", "KAFKA_BOOTSTRAP"}
        }
        return env | {"QINGQIAN_HOME": str(self.home), "PYTHONUNBUFFERED": "1"}

    @property
    def elsewhere(self) -> Path:
        """Where the commands run: outside the checkout, as a user's shell may be (the
        district file and the rest are found from the package, not from here)."""
        return self.home.parent

    def qingqian(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "qingqian_local.cli", *args]

    def up(self) -> str:
        """Start and wait for 'ready'; returns the office token it printed."""
        self.output = []
        self.process = subprocess.Popen(
            self.qingqian(
                "up",
                "--kafka-port",
                str(self.kafka_port),
                "--port-offset",
                str(self.port_offset),
            ),
            cwd=self.elsewhere,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        assert self.process.stdout is not None
        deadline = time.monotonic() + 120
        for line in self.process.stdout:
            self.output.append(line)
            if line.startswith("ready"):
                break
            assert time.monotonic() < deadline, "".join(self.output)
        else:
            raise AssertionError("qingqian up ended early:\n" + "".join(self.output))
        token = next(
            line.strip() for line in self.output if re.fullmatch(r"eyJ[\w.-]+\s*", line)
        )
        return token

    def stop(self) -> str:
        """Ctrl-C, as a person would; returns what it printed."""
        assert self.process is not None
        self.process.send_signal(signal.SIGINT)
        rest, _ = self.process.communicate(timeout=60)
        assert self.process.returncode == 0, rest
        return rest

    def verify(self) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            # The stack's own broker: verify holds each database against its seals.
            self.qingqian("verify", "--kafka", self.bootstrap),
            cwd=self.elsewhere,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    def export(self, service: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            self.qingqian("export", "--service", service),
            cwd=self.elsewhere,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    def database_url(self) -> str:
        return f"postgresql://postgres@/qingqian_members?host={self.home / 'pgdata'}"


@pytest.fixture
def stack(home_dir: Path) -> Iterator[Stack]:
    stack = Stack(home_dir)
    yield stack
    if stack.process is not None:
        if stack.process.poll() is None:
            stack.process.send_signal(signal.SIGINT)
            stack.process.wait(60)
        if stack.process.stdout is not None:
            stack.process.stdout.close()


async def test_the_local_stack_from_up_to_verify(
    stack: Stack, events_match_their_schemas: SchemaCheck
) -> None:
    token = stack.up()
    office = {"Authorization": f"Bearer {token}"}

    async with httpx.AsyncClient(
        base_url=stack.base_url, timeout=20, headers=office
    ) as api:
        roster = (await api.get("/roster", params={"as_of": "2017-08-02"})).json()
        admitted = await api.post(
            "/units",
            json={
                "code": "yjglj",
                "name_zh": "区应急管理局",
                "name_en": "Emergency Management Bureau",
                "kind": "bureau",
                "effective_on": "2019-03-01",
            },
            headers=office,
        )
        appointed = await api.post(
            "/people",
            json={
                "person_id": "2019-01",
                "name": "王五",
                "unit_code": "yjglj",
                "title": "局长",
                "effective_on": "2019-03-01",
            },
            headers=office,
        )
        granted = await api.post(
            "/joint-meeting/grant-role",
            json={
                "person_id": "2019-01",
                "role": "member",
                "effective_on": "2019-03-01",
            },
            headers=office,
        )
        unit = await api.get(
            "/units/yjglj",
            params={
                "wait_for": [
                    f"unit-yjglj@{admitted.json()['position']}",
                    f"person-2019-01@{appointed.json()['position']}",
                ]
            },
        )
        docs = await api.get("/docs")

    assert roster["count"] == 26
    assert roster["convener"]["name"] == "马吉祥"
    assert admitted.status_code == appointed.status_code == 201
    assert granted.status_code == 200
    assert [p["name"] for p in unit.json()["people"]] == ["王五"]
    assert docs.status_code == 200
    assert "/docs" in "".join(stack.output)

    messages: list[dict[str, Any]] = await read_topic(
        stack.bootstrap,
        "qingqian.members.events",
        until=lambda ms: {"unit-yjglj", "person-2019-01"} <= {m["subject"] for m in ms},
    )
    [unit_event] = [m for m in messages if m["subject"] == "unit-yjglj"]
    events_match_their_schemas.check_envelopes(messages)  # as published on the topic
    assert unit_event["_key"] == "unit-yjglj"
    assert unit_event["type"] == "qingqian.members.UnitAdmitted.v1"
    assert unit_event["data"]["name_zh"] == "区应急管理局"
    assert (
        len({m["subject"] for m in messages if m["subject"].startswith("person-")})
        == 27
    )

    # cases learns of the new unit from members' topic and can assign a case to it.
    async with httpx.AsyncClient(
        base_url=stack.cases_url, timeout=20, headers=office
    ) as cases:
        received, case_id = await receive_and_assign(cases, "yjglj", timeout=30)
        queue = (
            await cases.get(
                "/work-queues/yjglj", params={"wait_for": f"case-{case_id}@0"}
            )
        ).json()
    assert received.status_code == 201

    async def in_queue() -> bool:
        async with httpx.AsyncClient(
            base_url=stack.cases_url, timeout=20, headers=office
        ) as cases:
            found = (await cases.get("/work-queues/yjglj")).json()
        return case_id in [c["case_id"] for c in found["assigned"]]

    await eventually(in_queue)
    assert queue["unit"] == "yjglj"

    # meetings: the chair is checked against members' roles; an inspection's arrears
    # finding becomes a case in cases.
    async with (
        httpx.AsyncClient(
            base_url=stack.meetings_url, timeout=20, headers=office
        ) as meetings,
        httpx.AsyncClient(
            base_url=stack.cases_url, timeout=20, headers=office
        ) as cases,
    ):
        plenary = await meetings.post(
            "/meetings",
            json={
                "kind": "plenary",
                "title": "全体会议",
                "agenda": [{"title": "通报清欠工作"}],
                "proposed_on": "2024-06-01",
            },
        )
        plenary_id = plenary.json()["stream"].removeprefix("meeting-")
        where = {"scheduled_on": "2024-06-20", "place": "区政府"}

        async def chaired_by_convener() -> bool:
            answer = await meetings.post(
                f"/meetings/{plenary_id}/schedule",
                json={**where, "chair_person_id": "2017-01"},
            )
            return answer.status_code == 200

        await eventually(chaired_by_convener, timeout=30, interval=0.5)
        by_member = await meetings.post(
            f"/meetings/{plenary_id}/schedule",
            json={**where, "chair_person_id": "2017-04"},
        )
        inspection = await meetings.post(
            "/meetings",
            json={
                "kind": "inspection",
                "title": "联合督查",
                "agenda": [{"title": "在建项目"}],
                "invited_units": ["rsj", "jsj"],
                "plan": {
                    "text": "督查",
                    "starts_on": "2024-07-01",
                    "ends_on": "2024-07-02",
                },
                "proposed_on": "2024-06-01",
            },
        )
        inspection_id = inspection.json()["stream"].removeprefix("meeting-")
        await meetings.post(
            f"/meetings/{inspection_id}/schedule",
            json={"scheduled_on": "2024-07-01", "place": "东关"},
        )
        finding = await meetings.post(
            f"/meetings/{inspection_id}/raise-finding",
            json={
                "found_on": "2024-07-01",
                "description": "拖欠12名农民工工资",
                "arrears": {
                    "employer_name": "某劳务公司",
                    "sector": "construction",
                    "workers_count": 12,
                    "months_owed": 3,
                    "amount_owed": "96000.00",
                    "territorial_unit": "sq-dongguan",
                },
            },
        )

        async def finding_is_a_case() -> bool:
            found = (await cases.get("/cases")).json()
            return [c["source"] for c in found].count("inspection_finding") == 1

        await eventually(finding_is_a_case, timeout=30, interval=0.5)
    assert plenary.status_code == 201
    assert by_member.status_code == 422, by_member.text
    assert finding.status_code == 200, finding.text

    intact = stack.verify()
    assert intact.returncode == 0, intact.stdout + intact.stderr
    assert "meetings: intact" in intact.stdout
    assert "members: intact" in intact.stdout
    assert "cases: intact" in intact.stdout
    assert "credit: intact" in intact.stdout
    assert "members: no seals read" not in intact.stdout, intact.stdout
    # credit has no event yet here: the test below drives it.
    await _audit_saw_everything_and_found_nothing(
        stack, office, ("members", "cases", "meetings")
    )

    # The whole log, exported: every event once, in commit order, as CloudEvents.
    exported = stack.export("members")
    assert exported.returncode == 0, exported.stderr
    envelopes = [json.loads(line) for line in exported.stdout.splitlines()]
    conn = await asyncpg.connect(stack.database_url())
    try:
        ids = [
            str(r["event_id"])
            for r in await conn.fetch(
                "SELECT event_id FROM events ORDER BY txid, position"
            )
        ]
        # The service serves as its runtime role; the owner migrated and left.
        connected = {
            r["usename"]
            for r in await conn.fetch(
                "SELECT DISTINCT usename FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        }
    finally:
        await conn.close()
    assert "qingqian_members_app" in connected
    assert "qingqian_members_owner" not in connected
    assert [e["id"] for e in envelopes] == ids
    assert f"members: {len(ids)} events" in exported.stderr
    assert {e["specversion"] for e in envelopes} == {"1.0"}
    assert all(e["type"].startswith("qingqian.members.") for e in envelopes)

    assert "stopped" in stack.stop()

    token = stack.up()  # again: same data, nothing loaded twice
    async with httpx.AsyncClient(
        base_url=stack.base_url,
        timeout=20,
        headers={"Authorization": f"Bearer {token}"},
    ) as api:
        events = (await api.get("/events", params={"limit": 1000})).json()
        unit_again = await api.get("/units/yjglj")
        served = {
            t: (await api.get(f"/schemas/{t}")).json()
            for t in {e["type"] for e in events}
        }
    # What the running service serves is what is committed, and every event it wrote
    # validates against the schema its `dataschema` names.
    assert served == {t: committed_schemas()[t] for t in served}
    events_match_their_schemas.check_envelopes(events)
    assert len(events) == 81 + 3
    assert unit_again.status_code == 200

    conn = await asyncpg.connect(stack.database_url())
    try:
        target = await conn.fetchval(
            "SELECT position FROM events WHERE stream_id = 'person-2019-01'"
        )
        async with conn.transaction():
            await conn.execute("SET LOCAL session_replication_role = replica")
            await conn.execute(
                "UPDATE events SET data = jsonb_set(data, '{name}', '\"赵六\"') WHERE position = $1",
                target,
            )
    finally:
        await conn.close()

    broken = stack.verify()
    assert broken.returncode == 1
    assert f"BROKEN at position {target}" in broken.stdout
    assert "stopped" in stack.stop()


FOLLOWED = ("members", "cases", "meetings", "credit")


async def _audit_saw_everything_and_found_nothing(
    stack: Stack, office: dict[str, str], followed: tuple[str, ...] = FOLLOWED
) -> None:
    """Audit, started by `up`, received every service's events and seals from Kafka,
    verified them without a finding and co-signed each service's latest seal."""
    assert f"audit        {stack.audit_url}" in "".join(stack.output)
    async with httpx.AsyncClient(
        base_url=stack.audit_url, timeout=20, headers=office
    ) as audit:

        async def everything_witnessed() -> bool:
            statuses = (await audit.get("/status")).json()
            witnessed = [
                (await audit.get(f"/witness/{name}")).status_code == 200
                for name in followed
            ]
            return all(witnessed) and all(
                s["events"] > 0 and s["seals_held"] > 0
                for s in statuses
                if s["service"] in followed
            )

        await eventually(everything_witnessed, timeout=60, interval=1)
        statuses = await audit.get("/status")
        findings = await audit.get("/findings")
        witnesses = [(await audit.get(f"/witness/{name}")).json() for name in followed]
        jwks = (await audit.get("/.well-known/jwks.json")).json()

    assert statuses.status_code == 200
    assert sorted(s["service"] for s in statuses.json()) == sorted(FOLLOWED)
    assert findings.status_code == 200
    assert findings.json() == []
    assert [w["service"] for w in witnesses] == list(followed)
    assert {w["key_id"] for w in witnesses} <= {k["kid"] for k in jwks["keys"]}


async def test_one_correlation_id_from_a_case_through_credit_to_a_meeting_is_one_timeline(
    stack: Stack, events_match_their_schemas: SchemaCheck
) -> None:
    token = stack.up()
    correlation = str(uuid.uuid4())
    headers = {"Authorization": f"Bearer {token}", "X-Correlation-ID": correlation}
    today = str(datetime.now(UTC).date())

    async with httpx.AsyncClient(
        base_url=stack.cases_url, timeout=20, headers=headers
    ) as cases:
        _, case_id = await receive_and_assign(cases, "jsj", timeout=30)
        flagged = await cases.post(
            f"/cases/{case_id}/flag-mass-incident", json={"flagged_on": today}
        )
    async with httpx.AsyncClient(
        base_url=f"http://127.0.0.1:{8004 + stack.port_offset}",
        timeout=20,
        headers=headers,
    ) as credit:

        async def candidate_opened() -> bool:
            found = await credit.get(f"/listings/c-{case_id}")
            return found.status_code == 200

        await eventually(candidate_opened, timeout=30, interval=0.5)
    async with httpx.AsyncClient(
        base_url=stack.meetings_url, timeout=20, headers=headers
    ) as meetings:
        meeting_id = await _decide_in_a_plenary(meetings, case_id)
    assert flagged.status_code == 200, flagged.text

    office = {"Authorization": f"Bearer {token}"}
    await _audit_saw_everything_and_found_nothing(stack, office)
    async with httpx.AsyncClient(
        base_url=stack.audit_url, timeout=20, headers=office
    ) as audit:
        entries: list[dict[str, Any]] = []

        async def whole_timeline() -> bool:
            nonlocal entries
            page = await audit.get("/timeline", params={"correlation_id": correlation})
            entries = page.json()["entries"]
            return {e["service"] for e in entries} == {"cases", "credit", "meetings"}

        await eventually(whole_timeline, timeout=30, interval=0.5)

    streams = [e["stream_id"] for e in entries]
    assert {f"case-{case_id}", f"listing-c-{case_id}", f"meeting-{meeting_id}"} <= set(
        streams
    ), streams
    assert [e["recorded_at"] for e in entries] == sorted(
        e["recorded_at"] for e in entries
    )
    types = [e["type"] for e in entries]
    assert types.index("CreditListingRecommended") < types.index("CandidateOpened")
    assert types.index("CandidateOpened") < types.index("DecisionRecorded"), types
    [opened] = [e for e in entries if e["type"] == "CandidateOpened"]
    [recommended] = [e for e in entries if e["type"] == "CreditListingRecommended"]
    assert opened["causation_id"] is not None
    assert recommended["correlation_id"] == opened["correlation_id"] == correlation
    # Every message on these services' topics validates against the schema its
    # `dataschema` names (an independent validator: jsonschema, not pydantic).
    for service, stream in (
        ("cases", f"case-{case_id}"),
        ("credit", f"listing-c-{case_id}"),
        ("meetings", f"meeting-{meeting_id}"),
    ):
        on_topic = await read_topic(
            stack.bootstrap, f"qingqian.{service}.events", until=_holding(stream)
        )
        events_match_their_schemas.check_envelopes(on_topic)
        assert {m["_headers"]["content-type"] for m in on_topic} == {
            "application/cloudevents+json; charset=UTF-8"
        }
    assert "stopped" in stack.stop()


def _holding(stream: str) -> Callable[[list[dict[str, Any]]], bool]:
    """Whether the messages read so far hold one of the stream's."""
    return lambda messages: stream in {m["subject"] for m in messages}


async def _decide_in_a_plenary(meetings: httpx.AsyncClient, case_id: str) -> str:
    """A plenary on the case, chaired by the convener, held, with a decision."""
    proposed = await meetings.post(
        "/meetings",
        json={
            "kind": "plenary",
            "title": "全体会议",
            "agenda": [{"title": f"案件 {case_id} 拟列入失信名单"}],
            "proposed_on": "2024-06-01",
        },
    )
    meeting_id = str(proposed.json()["stream"]).removeprefix("meeting-")

    async def scheduled() -> bool:
        answer = await meetings.post(
            f"/meetings/{meeting_id}/schedule",
            json={
                "scheduled_on": "2024-06-20",
                "place": "区政府",
                "chair_person_id": "2017-01",
            },
        )
        return answer.status_code == 200

    await eventually(scheduled, timeout=30, interval=0.5)
    held = await meetings.post(
        f"/meetings/{meeting_id}/hold", json={"held_on": "2024-06-20"}
    )
    decided = await meetings.post(
        f"/meetings/{meeting_id}/record-decision",
        json={
            "text": f"同意案件 {case_id} 的用人单位列入失信名单",
            "decided_on": "2024-06-20",
        },
    )
    assert held.status_code == 200, held.text
    assert decided.status_code == 200, decided.text
    return meeting_id
