"""Reconciliation across services from what audit received: a consistent feed has no
gaps; a recommendation credit never followed is a gap, and a finding once older than
the grace; who acted is counted per service and unit."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio

from services.audit.app import create_app
from services.audit.settings import AuditSettings
from shared.domain import Role
from shared.trust import Jwks
from tests.integration.audit.conftest import (
    AUDITOR,
    DISTRICT_FILE,
    SIGNER,
    TOKENS,
    Audit,
    Published,
    forge_log,
)
from tests.service_server import LocalServers, serving
from tests.support import eventually

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]

SERVICES = ("members", "cases", "meetings", "credit")
# Longer than a new consumer group's first join on tansu (~5 s): audit reads each
# service's topics with its own consumer, and a grace shorter than the lag between them
# turned credit's candidate for 2024-000001, read late, into a false gap.
GRACE = 8.0
History = dict[str, list[tuple[str, dict[str, Any]]]]
TASKS = [
    {"unit_code": "jsj", "measure": "construction_permit_and_bidding"},
    {"unit_code": "jsj", "measure": "market_access"},
    {"unit_code": "jsj", "measure": "honours_and_awards"},
    {"unit_code": "rsj", "measure": "honours_and_awards"},
    {"unit_code": "rsj", "measure": "integrity_grading"},
]
MEMBERS: History = {
    "unit-rsj": [("UnitAdmitted", {"name_zh": "人社局"})],
    "unit-jsj": [("UnitAdmitted", {"name_zh": "住建局"})],
    "person-2017-01": [("PersonAppointed", {"unit_code": "rsj"})],
}
CASES: History = {
    "case-2024-000001": [
        ("CaseReceived", {"source": "complaint"}),
        ("CreditListingRecommended", {"case_id": "2024-000001"}),
    ],
    # Credit never opened a candidate for this one: the gap made on purpose.
    "case-2024-000002": [
        ("CaseReceived", {"source": "complaint"}),
        ("CreditListingRecommended", {"case_id": "2024-000002"}),
    ],
    "case-2024-000003": [
        (
            "CaseReceived",
            {"source": "inspection_finding", "source_reference": "meeting-m1/f1"},
        )
    ],
}
MEETINGS: History = {
    "meeting-m1": [
        ("InspectionFindingRaised", {"finding_id": "f1"}),
        (
            "DecisionRecorded",
            {"tasks": [{"action_id": "a1", "unit_code": "rsj"}]},
        ),
    ],
    "action-a1": [("ActionItemAssigned", {"unit_code": "rsj"})],
}
CREDIT: History = {
    "listing-c-2024-000001": [
        ("CandidateOpened", {"grounds": {"case_ids": ["2024-000001"]}}),
        ("ListingPublished", {"published_on": "2024-03-01"}),
        ("ListingActivated", {"sanction_tasks": TASKS}),
        (
            "ListingRevoked",
            {
                "sanctions_to_lift": ["jsj-market_access"],
                "lift_due": "2024-04-01",
            },
        ),
        ("SanctionLifted", {"task_id": "jsj-market_access"}),
    ]
}


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def audit(
    pg_server_url: str, template_database: str, kafka_bootstrap: str
) -> AsyncIterator[Audit]:
    """Audit following the four services' topics, reconciling every 0.2 s with a
    grace of `GRACE`, fed one log of each (the person `2017-01` acts in cases)."""
    servers = LocalServers(
        pg_server_url, template_database, kafka_bootstrap, TOKENS, DISTRICT_FILE
    )
    settings = await servers.settings(
        AuditSettings,
        audited_services=SERVICES,
        pinned_keys={service: Jwks.of_signers(SIGNER) for service in SERVICES},
        reconcile_interval_seconds=0.2,
        reconcile_grace_seconds=GRACE,
    )
    async with serving(create_app(settings)) as client:
        client.headers.update(AUDITOR)
        audit = Audit(client, servers.namespace, kafka_bootstrap, Published([], []))
        actors = {"case-2024-000001": "2017-01", "case-2024-000003": "office"}
        logs = {
            "members": forge_log("members", MEMBERS),
            "cases": forge_log("cases", CASES, actors=actors),
            "meetings": forge_log("meetings", MEETINGS),
            "credit": forge_log("credit", CREDIT),
        }
        for service, log in logs.items():
            await audit.publish(service, log.events, log.seals)
        yield audit


async def report(audit: Audit) -> dict[str, Any]:
    response = await audit.client.get("/reconciliation")
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_each_rule_checks_its_sources_and_only_the_made_gap_shows(
    audit: Audit,
) -> None:
    body: dict[str, Any] = {}

    async def all_checked() -> bool:
        nonlocal body
        body = await report(audit)
        checked = {r["rule"]: r["checked"] for r in body["rules"]}
        return checked.get("credit-candidate") == 2 and checked["tasks-lifted"] == 1

    await eventually(all_checked, timeout=20)

    rules = {r["rule"]: r for r in body["rules"]}
    assert {r: v["checked"] for r, v in rules.items()} == {
        "credit-candidate": 2,
        "finding-case": 1,
        "action-items": 1,
        "sanction-tasks": 1,
        "tasks-lifted": 1,
    }
    assert body["gaps"] == 1
    [gap] = rules["credit-candidate"]["gaps"]
    assert gap["service"] == "cases"
    assert gap["stream_id"] == "case-2024-000002"
    assert gap["missing"] == "credit candidate for 2024-000002"
    assert gap["age_seconds"] >= 0


async def test_a_gap_older_than_the_grace_is_a_finding_raised_once(
    audit: Audit,
) -> None:
    found = await audit.wait_for_kinds("cases", "reconciliation-gap")
    seen: list[object] = []
    try:
        await eventually(lambda: _reported_again(audit, seen), timeout=30)
    except AssertionError as late:
        # CI's PostgreSQL 15 pass saw this fail twice (never alone): say what it saw.
        raise AssertionError(f"{late}; last seen: {seen[-1:]}") from None

    gaps = [f for f in found if f["kind"] == "reconciliation-gap"]
    assert [(f["stream_id"], f["detail"]) for f in gaps] == [
        (
            "case-2024-000002",
            "credit-candidate: no credit candidate for 2024-000002,"
            " past the grace period",
        )
    ]
    assert (await audit.findings("credit")) == []


async def _reported_again(audit: Audit, seen: list[object]) -> bool:
    """Several passes later the gap is still one finding, and shown as one."""
    body = await report(audit)
    gaps = next(r for r in body["rules"] if r["rule"] == "credit-candidate")["gaps"]
    found = await audit.findings("cases")
    seen.append((gaps, [(f["kind"], f["stream_id"], f["detail"]) for f in found]))
    return len(gaps) == 1 and bool(gaps[0]["is_finding"]) and len(found) == 1


async def test_actor_completeness_counts_events_by_roster_people(
    audit: Audit,
) -> None:
    async def cases_received() -> bool:
        response = await audit.client.get("/findings/actor-completeness")
        assert response.status_code == 200
        body: dict[str, Any] = response.json()
        return bool(body["events"] == 16)

    await eventually(cases_received, timeout=20)
    response = await audit.client.get("/findings/actor-completeness")

    body = response.json()
    assert (body["events"], body["by_person"]) == (16, 2)
    cases = next(s for s in body["services"] if s["service"] == "cases")
    assert (cases["events"], cases["by_person"], cases["share"]) == (5, 2, 0.4)
    assert cases["units"] == [
        {"unit": "rsj", "events": 5, "by_person": 2, "share": 0.4}
    ]
    members = next(s for s in body["services"] if s["service"] == "members")
    assert members["by_person"] == 0


async def test_reconciliation_is_read_by_auditors_only(audit: Audit) -> None:
    response = await audit.client.get(
        "/reconciliation", headers=TOKENS.headers(Role.UNIT_STAFF)
    )

    assert response.status_code == 403
    assert response.json()["code"] == "not-permitted"
