"""Audit under `qingqian up`, as an auditor reads it: one employer's case and listings
on one timeline, reconciliation with no gap while the services did what they must, the
right gap once audit expects what credit does not do, and nothing raised when `up`
starts again and the broker (in memory) is filled again from the services' logs."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from demo.credit.story import CONFIRM, decision_id, grounds, procedure
from qingqian_local.tokens import local_token, signing_key
from services.audit.settings import DEFAULT_SANCTION_DUTIES
from shared.auth import Actor
from shared.domain import Role
from tests.e2e.steps import EMPLOYER, receive_and_assign
from tests.e2e.up_process import Up
from tests.kafka_reader import read_topic
from tests.support import eventually

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(240)]

# The duty audit is told of on the second start, and credit knows nothing of.
EXTRA_DUTY = ("land_supply", "jsj")
# The services audit follows under `up`.
FOLLOWED = {"members", "cases", "meetings", "credit"}


@pytest.fixture
def up(home_dir: Path) -> Iterator[Up]:
    up = Up(home_dir)
    try:
        up.start()
        yield up
    finally:
        up.close()


def _headers(up: Up) -> dict[str, str]:
    return {"Authorization": f"Bearer {up.token}"}


def _auditor(up: Up) -> dict[str, str]:
    """An auditor's token, as `qingqian token --roles auditor` prints it."""
    actor = Actor(person="auditor-1", unit="rsj", roles=frozenset({Role.AUDITOR}))
    token = local_token(signing_key(up.home), actor, timedelta(hours=1))
    return {"Authorization": f"Bearer {token}"}


async def _case_with_a_candidate(up: Up, today: date) -> str:
    """A case against the employer that cases recommends for listing; credit opens
    its candidate (`listing-c-<case>`)."""
    async with httpx.AsyncClient(
        base_url=up.url("cases"), timeout=20, headers=_headers(up)
    ) as cases:
        _, case_id = await receive_and_assign(cases, "jsj", timeout=30)
        flagged = await cases.post(
            f"/cases/{case_id}/flag-mass-incident", json={"flagged_on": str(today)}
        )
    assert flagged.status_code == 200, flagged.text
    return case_id


async def _published_listing(up: Up, today: date) -> str:
    """The same employer listed by hand, decided and published today (after an
    objection reviewed today), as the credit demo's `active-today`."""
    body = {
        "subject": {"kind": "employer", **EMPLOYER},
        "grounds": grounds("96000.00", 4, 12, is_mass_incident=True),
        "opened_from": "by_hand",
        "opened_on": str(today - timedelta(days=10)),
    }
    steps = procedure(
        served=today,
        objection=today,
        is_upheld=False,
        decided=today,
        decision=decision_id(today, 90),
        published=today,
    )
    async with httpx.AsyncClient(
        base_url=up.url("credit"), timeout=20, headers=_headers(up)
    ) as credit:
        opened = await credit.post("/listings", json=body)
        assert opened.status_code == 201, opened.text
        listing_id = str(opened.json()["stream"]).removeprefix("listing-")
        for step in (s for s in steps if s.path != CONFIRM):
            path = f"/listings/{listing_id}/{step.path}"
            answer = await credit.post(path, json=dict(step.body))
            assert answer.status_code == 200, f"{step.path}: {answer.text}"
    return listing_id


async def _reconciled(
    audit: httpx.AsyncClient, *, gaps: int, after: datetime | None = None
) -> dict[str, Any]:
    """The report once every rule was computed (after `after`) with `gaps` gaps and
    every projection matches its source."""
    report: dict[str, Any] = {}

    async def settled() -> bool:
        nonlocal report
        report = (await audit.get("/reconciliation")).json()
        rules = {r["rule"]: r for r in report["rules"]}
        computed = [datetime.fromisoformat(r["computed_at"]) for r in rules.values()]
        return (
            rules.get("sanction-tasks", {}).get("checked") == 1
            and rules["credit-candidate"]["checked"] == 1
            and report["gaps"] == gaps
            and (after is None or min(computed) > after)
            # Every service's projections polled (audit reads them one by one).
            and {p["service"] for p in report["projections"]} == FOLLOWED
            and all(p["state"] == "matches" for p in report["projections"])
        )

    await eventually(settled, timeout=60, interval=1)
    return report


async def test_one_employer_one_timeline_no_gap_then_the_right_gap(up: Up) -> None:
    today = datetime.now(UTC).date()
    case_id = await _case_with_a_candidate(up, today)
    listing_id = await _published_listing(up, today)

    auditor = _auditor(up)
    async with httpx.AsyncClient(
        base_url=up.url("audit"), timeout=20, headers=auditor
    ) as audit:
        report = await _reconciled(audit, gaps=0)
        timeline = await audit.get(
            "/timeline", params={"uscc": EMPLOYER["uscc"], "limit": 500}
        )
        findings = await audit.get("/findings")

    # `up` gave audit its token: every service's projections are reconciled.
    assert {p["service"] for p in report["projections"]} == FOLLOWED
    assert findings.json() == []
    entries = timeline.json()["entries"]
    streams = {e["stream_id"] for e in entries}
    assert {f"case-{case_id}", f"listing-c-{case_id}", f"listing-{listing_id}"} <= (
        streams
    )
    types = [e["type"] for e in entries]
    assert {"CaseReceived", "CandidateOpened", "ListingActivated"} <= set(types)
    assert [e["recorded_at"] for e in entries] == sorted(
        e["recorded_at"] for e in entries
    )

    # Started again, audit told of one more duty than credit applies: the listing
    # already published misses that unit's task. The broker, refilled from the
    # services' logs, raises nothing.
    up.stop()
    measure, unit = EXTRA_DUTY
    duties = {m: list(units) for m, units in DEFAULT_SANCTION_DUTIES.items()}
    duties[measure].append(unit)
    up.extra_env = {"SANCTION_DUTIES": json.dumps(duties)}
    restarted_at = datetime.now(UTC)
    up.start()
    await read_topic(
        f"127.0.0.1:{up.kafka_port}",
        "qingqian.credit.events",
        until=lambda ms: f"listing-{listing_id}" in {m["subject"] for m in ms},
        timeout=60,
    )
    async with httpx.AsyncClient(
        base_url=up.url("audit"), timeout=20, headers=auditor
    ) as audit:
        report = await _reconciled(audit, gaps=1, after=restarted_at)
        findings = await audit.get("/findings")

    [rule] = [r for r in report["rules"] if r["gaps"]]
    [gap] = rule["gaps"]
    assert rule["rule"] == "sanction-tasks"
    assert (gap["service"], gap["stream_id"]) == ("credit", f"listing-{listing_id}")
    assert gap["missing"] == f"sanction task {measure} for {unit}"
    assert not gap["is_finding"]  # within RECONCILE_GRACE_SECONDS
    assert findings.json() == []
    up.stop()
