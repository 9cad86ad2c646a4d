"""The profiles over HTTP (DESIGN.md §5): the public list and a listing's public page
without a token, with the fields credit platforms publish and no personal ID number,
cacheable and limited per client; an ended listing withdrawn by a stop-publishing
record; service accounts reading decided listings only, in the change feed too."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import pytest_asyncio
from stdnum.cn import uscc as uscc_check

from shared.auth import Scope
from tests.integration.credit.conftest import (
    TOKENS,
    Chain,
    day,
    ok,
    running_chain,
)

pytestmark = [
    pytest.mark.integration,
    pytest.mark.asyncio(loop_scope="session"),
    pytest.mark.timeout(180),
]

# The public allowance of this module's stack: 20 requests, then one a minute.
BURST = 20
ID_NUMBER = "11010519491231002X"
EXCHANGE = TOKENS.service_headers("tax-bureau", Scope.EXCHANGE_CREDIT_READ)
PUBLIC_FIELDS = {
    "record_id",
    "record_kind",
    "listing_id",
    "list_name",
    "subject_category",
    "party_role",
    "subject_name",
    "uscc",
    "legal_rep_name",
    "decision_doc_no",
    "listing_reason",
    "listing_basis",
    "arrears_amount",
    "project_name",
    "authority_name",
    "authority_uscc",
    "decision_date",
    "planned_exit_date",
    "publish_from",
    "publish_until",
    "status",
    "exit_date",
    "exit_reason",
    "exit_authority",
    "stopped_publishing_on",
    "region_code",
    "source_unit",
    "source_unit_uscc",
    "remark",
}


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def chain(
    pg_server_url: str, template_database: str, kafka_bootstrap: str
) -> AsyncIterator[Chain]:
    """The stack with a small public allowance, so a test can spend it."""
    async with running_chain(
        pg_server_url,
        template_database,
        kafka_bootstrap,
        public_burst=BURST,
        public_requests_per_minute=1,
    ) as c:
        yield c


@pytest_asyncio.fixture(loop_scope="session")
async def anonymous(chain: Chain) -> AsyncIterator[httpx.AsyncClient]:
    """A client with no token."""
    async with httpx.AsyncClient(base_url=chain.credit.base_url, timeout=20) as c:
        yield c


def new_uscc() -> str:
    """A unified social credit code no other test uses, with its check character."""
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    body = "91630102MA" + "".join(secrets.choice(alphabet) for _ in range(7))
    return body + uscc_check.calc_check_digit(body)


async def opened(chain: Chain, subject: dict[str, Any]) -> str:
    """A candidate opened by hand with its notice served; its listing id."""
    body = await ok(
        await chain.credit.post(
            "/listings",
            json={
                "subject": subject,
                "grounds": {
                    "amount_owed": "186000.00",
                    "months_owed": 4,
                    "workers_count": 12,
                    "is_order_overdue": True,
                    "note": "工人张三等反映",
                },
                "opened_from": "by_hand",
                "opened_on": day(-60),
            },
        )
    )
    listing_id = str(body["stream"]).removeprefix("listing-")
    await ok(
        await chain.credit.post(
            f"/listings/{listing_id}/serve-notice",
            json={"served_on": day(-50), "method": "mail"},
        )
    )
    return listing_id


async def published(
    chain: Chain, subject: dict[str, Any], *, employer: str | None = None
) -> dict[str, Any]:
    """A listing decided (under the employer's decision, if given) and published."""
    listing_id = await opened(chain, subject)
    link = {} if employer is None else {"employer_listing_id": employer}
    # One decision covers the employer and its persons.
    number = employer or listing_id
    await ok(
        await chain.credit.post(
            f"/listings/{listing_id}/decide",
            json={
                "decided_on": day(-20),
                "decision_id": f"东人社惩决〔2026〕{number}号",
                "decided_by": "区人社局局长",
            }
            | link,
        )
    )
    appended = await ok(
        await chain.credit.post(
            f"/listings/{listing_id}/publish",
            json={"published_on": day(-19), "shared_to": ["credit-sharing-platform"]},
        )
    )
    return {"listing_id": listing_id} | appended


async def projected(chain: Chain, appended: dict[str, Any]) -> None:
    """Waits until credit's read models show the append."""
    wait = {"wait_for": f"{appended['stream']}@{appended['position']}"}
    await ok(await chain.credit.get("/listings", params=wait | {"limit": 1}))


async def test_the_public_list_answers_without_a_token_with_every_published_field(
    chain: Chain, anonymous: httpx.AsyncClient
) -> None:
    uscc = new_uscc()
    employer = await published(
        chain, {"kind": "employer", "name": "西宁某建设有限公司", "uscc": uscc}
    )
    person = {
        "kind": "legal_representative",
        "name": "赵六",
        "id_number": ID_NUMBER,
        "role_at_employer": "法定代表人",
    }
    rep = await published(chain, person, employer=employer["listing_id"])
    # Two streams, maybe on two partitions: wait for each, not only the last write.
    await projected(chain, employer)
    await projected(chain, rep)

    answer = await anonymous.get("/public-list")

    assert answer.status_code == 200, answer.text
    assert ID_NUMBER not in answer.text
    assert "工人张三" not in answer.text
    assert "person_key" not in answer.text
    body = answer.json()
    assert body["exported_at"]
    records = {r["listing_id"]: r for r in body["records"]}
    record = records[employer["listing_id"]]
    assert set(record) == PUBLIC_FIELDS
    assert {
        k: record[k]
        for k in (
            "record_kind",
            "list_name",
            "subject_category",
            "party_role",
            "subject_name",
            "uscc",
            "legal_rep_name",
            "arrears_amount",
            "authority_name",
            "region_code",
            "decision_date",
            "publish_from",
            "status",
            "exit_date",
            "stopped_publishing_on",
        )
    } == {
        "record_kind": "publication",
        "list_name": "拖欠农民工工资失信联合惩戒对象名单",
        "subject_category": "法人及非法人组织",
        "party_role": "用人单位",
        "subject_name": "西宁某建设有限公司",
        "uscc": uscc,
        "legal_rep_name": "赵六",
        "arrears_amount": "186000.00",
        "authority_name": "西宁市城东区人力资源和社会保障局",
        "region_code": "630102",
        "decision_date": day(-20),
        "publish_from": day(-19),
        "status": "公示中",
        "exit_date": None,
        "stopped_publishing_on": None,
    }
    assert "186000.00" in record["listing_reason"]
    assert "第四十八条" in record["listing_basis"]
    assert record["decision_doc_no"].endswith(f"{employer['listing_id']}号")
    rep_record = records[rep["listing_id"]]
    assert (rep_record["subject_name"], rep_record["uscc"]) == ("赵六", None)
    assert rep_record["subject_category"] == "自然人"


async def test_a_public_answer_is_cacheable_and_revalidates_to_304(
    anonymous: httpx.AsyncClient,
) -> None:
    first = await anonymous.get("/public-list")

    again = await anonymous.get(
        "/public-list", headers={"If-None-Match": first.headers["ETag"]}
    )

    assert first.status_code == 200, first.text
    assert "public" in first.headers["Cache-Control"]
    assert again.status_code == 304
    assert again.headers["ETag"] == first.headers["ETag"]


async def test_an_ended_listing_is_withdrawn_by_a_stop_publishing_record(
    chain: Chain, anonymous: httpx.AsyncClient
) -> None:
    listing = await published(
        chain, {"kind": "employer", "name": "西宁某劳务有限公司", "uscc": new_uscc()}
    )
    listing_id = listing["listing_id"]
    revoked = await ok(
        await chain.credit.post(
            f"/listings/{listing_id}/revoke",
            json={
                "revoked_on": day(0),
                "by": "court",
                "reference": "（2026）青0102行初15号",
            },
        )
    )
    await projected(chain, revoked)

    page = await anonymous.get(f"/public-list/{listing_id}")
    current = (await anonymous.get("/public-list")).json()
    feed = (await anonymous.get("/public-list/changes", params={"after": 0})).json()

    assert page.status_code == 200, page.text
    first, stop = page.json()["records"]
    assert (first["record_kind"], first["status"]) == ("publication", "公示中")
    assert first["stopped_publishing_on"] is None
    assert stop["record_kind"] == "stop_publishing"
    assert stop["record_id"] != first["record_id"]
    assert {k: stop[k] for k in ("status", "exit_date", "stopped_publishing_on")} == {
        "status": "撤销",
        "exit_date": day(0),
        "stopped_publishing_on": day(0),
    }
    assert stop["exit_reason"] == "诉讼撤销（（2026）青0102行初15号）"
    assert stop["exit_authority"] == "人民法院"
    assert listing_id not in {r["listing_id"] for r in current["records"]}
    in_feed = [
        r["record_kind"] for r in feed["records"] if r["listing_id"] == listing_id
    ]
    assert in_feed == ["publication", "stop_publishing"]


async def test_a_listing_never_published_has_no_public_page(
    chain: Chain, anonymous: httpx.AsyncClient
) -> None:
    candidate = await opened(
        chain, {"kind": "employer", "name": "某候选公司", "uscc": new_uscc()}
    )

    page = await anonymous.get(f"/public-list/{candidate}")

    assert page.status_code == 404, page.text
    assert page.json()["code"] == "not-found"


async def test_the_public_profile_answers_429_with_retry_after_past_the_allowance(
    chain: Chain,
) -> None:
    # Another loopback address: a client of its own, with an allowance of its own.
    transport = httpx.AsyncHTTPTransport(local_address="127.0.0.2")
    async with httpx.AsyncClient(
        base_url=chain.credit.base_url, transport=transport, timeout=20
    ) as other:
        answers = [(await other.get("/public-list")).status_code for _ in range(BURST)]
        refused = await other.get("/public-list")

    assert answers == [200] * BURST
    assert refused.status_code == 429, refused.text
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.json()["code"] == "too-many-requests"
    assert int(refused.headers["Retry-After"]) >= 1


async def test_a_service_account_reads_decided_listings_only(chain: Chain) -> None:
    candidate_uscc = new_uscc()
    candidate = await opened(
        chain, {"kind": "employer", "name": "某异议中公司", "uscc": candidate_uscc}
    )
    decided = await published(
        chain, {"kind": "employer", "name": "某已列入公司", "uscc": new_uscc()}
    )
    await projected(chain, decided)

    listed = await chain.credit.get("/listings", headers=EXCHANGE)
    one = await chain.credit.get(f"/listings/{decided['listing_id']}", headers=EXCHANGE)
    refused = await chain.credit.get(f"/listings/{candidate}", headers=EXCHANGE)
    events = await chain.credit.get(f"/listings/{candidate}/events", headers=EXCHANGE)
    checked = await chain.credit.get(
        "/check", params={"uscc": candidate_uscc}, headers=EXCHANGE
    )

    statuses = {x["status"] for x in listed.json()}
    assert listed.status_code == 200, listed.text
    assert statuses <= {"listed", "active", "expired", "removed", "revoked"}
    assert candidate not in {x["listing_id"] for x in listed.json()}
    assert one.status_code == 200, one.text
    assert "objection_deadline" not in one.json()["state"]
    assert "notice" not in one.json()["state"]
    assert one.json()["state"]["sanction_tasks"]
    assert one.json()["history"][0]["type"].endswith("ListingDecided.v1")
    for answer in (refused, events):
        assert answer.status_code == 403, answer.text
        assert answer.json()["code"] == "not-permitted"
    assert checked.json()["listings"] == []
    office = await chain.credit.get(f"/listings/{candidate}")
    assert office.json()["status"] == "notice_served"


async def test_the_change_feed_gives_a_service_account_no_candidate(
    chain: Chain,
) -> None:
    snapshot = await ok(
        await chain.credit.get(
            "/listings/changes", params={"after": 0}, headers=EXCHANGE
        )
    )
    candidate = await opened(
        chain, {"kind": "employer", "name": "某新候选公司", "uscc": new_uscc()}
    )
    decided = await published(
        chain, {"kind": "employer", "name": "某新列入公司", "uscc": new_uscc()}
    )
    await projected(chain, decided)
    after = {"after": snapshot["cursor"]}

    delta = await ok(
        await chain.credit.get("/listings/changes", params=after, headers=EXCHANGE)
    )
    everything = await ok(
        await chain.credit.get(
            "/listings/changes", params={"after": 0}, headers=EXCHANGE
        )
    )
    internal = await ok(await chain.credit.get("/listings/changes", params=after))

    assert [x["listing_id"] for x in delta["listings"]] == [decided["listing_id"]]
    assert all(x["status"] != "candidate" for x in snapshot["listings"])
    assert all(x["status"] != "notice_served" for x in everything["listings"])
    assert candidate in {x["listing_id"] for x in internal["listings"]}
