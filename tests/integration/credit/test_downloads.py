"""The public list as a file: read back as CSV and XLSX, it holds the rows the JSON
public list holds, under §7.1's Chinese headings, and needs no login."""

from __future__ import annotations

from typing import Any

import pytest

from tests.downloads_reader import (
    as_date_text,
    data_types,
    number_formats,
    read_csv,
    read_xlsx,
)
from tests.integration.credit.conftest import Chain, day, ok

pytestmark = [
    pytest.mark.integration,
    pytest.mark.asyncio(loop_scope="session"),
    pytest.mark.timeout(180),
]

HEADINGS = [
    "数据唯一标识",
    "行政相对人名称",
    "统一社会信用代码",
    "列入日期",
    "预计退出日期",
]
KEYS = ["listing_id", "employer_name", "uscc", "since", "until"]


async def decided_listing(chain: Chain, *, name: str, uscc: str) -> dict[str, Any]:
    """A listing opened by hand and decided today: on the public list from today."""
    opened = await ok(
        await chain.credit.post(
            "/listings",
            json={
                "subject": {"kind": "employer", "name": name, "uscc": uscc},
                "grounds": {
                    "amount_owed": "40000.00",
                    "months_owed": 3,
                    "workers_count": 10,
                    "is_order_overdue": True,
                },
                "opened_from": "by_hand",
                "opened_on": day(0),
            },
        )
    )
    step = f"/listings/{opened['stream'].removeprefix('listing-')}"
    steps: list[tuple[str, dict[str, Any]]] = [
        ("serve-notice", {"served_on": day(0), "method": "in_person"}),
        ("file-objection", {"filed_on": day(0), "text": "已在协调支付"}),
        (
            "review-objection",
            {"reviewed_on": day(0), "upheld": False, "reasoning": "属实"},
        ),
        (
            "decide",
            {
                "decided_on": day(0),
                "decision_id": f"东人社惩决〔2026〕{uscc[-3:]}号",
                "decided_by": "区人社局局长",
            },
        ),
    ]
    last = opened
    for verb, body in steps:
        last = await ok(await chain.credit.post(f"{step}/{verb}", json=body))
    return last


async def test_the_public_list_read_back_from_csv_and_xlsx_equals_the_json_list(
    chain: Chain,
) -> None:
    await decided_listing(chain, name="青海某劳务有限公司", uscc="91110108551385082Q")
    last = await decided_listing(
        chain, name='某建设公司,"东关"项目部', uscc="91350100M000100Y43"
    )
    wait = {"wait_for": f"{last['stream']}@{last['position']}"}
    listed = await chain.credit.get("/public-list", params=wait)
    as_csv = await chain.credit.get(
        "/downloads/public-list",
        params={"format": "csv"},
        headers={"Authorization": ""},
    )
    as_xlsx = await chain.credit.get(
        "/downloads/public-list",
        params={"format": "xlsx"},
        headers={"Authorization": ""},
    )

    rows = listed.json()
    assert [r["uscc"] for r in rows] == ["91110108551385082Q", "91350100M000100Y43"]
    assert as_csv.status_code == 200, as_csv.text
    assert as_xlsx.status_code == 200, as_xlsx.text
    expected = [HEADINGS] + [[r[k] for k in KEYS] for r in rows]
    assert read_csv(as_csv.content) == expected
    read = read_xlsx(as_xlsx.content)
    assert [[as_date_text(v) for v in line] for line in read] == expected
    assert {tuple(f[3:]) for f in number_formats(as_xlsx.content)[1:]} == {
        ("yyyy-mm-dd", "yyyy-mm-dd")
    }
    assert {tuple(t) for t in data_types(as_xlsx.content)[1:]} == {
        ("s", "s", "s", "d", "d")
    }


async def test_a_public_list_download_in_another_format_is_a_422(chain: Chain) -> None:
    answer = await chain.credit.get(
        "/downloads/public-list",
        params={"format": "ods"},
        headers={"Authorization": ""},
    )

    assert answer.status_code == 422, answer.text
    assert answer.json()["code"] == "invalid-input"
    assert answer.json()["errors"][0]["rule"] == "download_format"
