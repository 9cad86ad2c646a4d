"""The case totals as files: read back as CSV and XLSX, they hold the rows the JSON
totals hold, under §7.2's Chinese headings; same readers as `GET /totals`."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import httpx
import pytest

from tests.downloads_reader import number_formats, read_csv, read_xlsx
from tests.integration.cases.conftest import Stack
from tests.session_zone import TODAY

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]

HEADINGS = ["领域", "案件数", "涉及金额（元）", "已追回金额（元）"]
SECTORS = {"construction": "工程建设领域", "other": "非工程建设领域"}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


async def receive(stack: Stack, *, sector: str, amount_owed: str) -> dict[str, Any]:
    answer = await stack.cases.post(
        "/cases",
        json={
            "source": "complaint",
            "sector": sector,
            "employer": {
                "name": "青海某建筑劳务有限公司",
                "uscc": "91350100M000100Y43",
            },
            "workers_count": 2,
            "months_owed": 2,
            "amount_owed": amount_owed,
            "territorial_unit": "sq-dongguan",
            "received_on": TODAY.isoformat(),
        },
    )
    assert answer.status_code == 201, answer.text
    body: dict[str, Any] = answer.json()
    return body


async def totals_and_files(
    stack: Stack, params: dict[str, str]
) -> tuple[list[dict[str, Any]], httpx.Response, httpx.Response]:
    totals = await stack.cases.get("/totals", params=params)
    as_csv = await stack.cases.get("/downloads/totals", params=params)
    as_xlsx = await stack.cases.get(
        "/downloads/totals", params=params | {"format": "xlsx"}
    )
    for answer in (totals, as_csv, as_xlsx):
        assert answer.status_code == 200, answer.text
    rows: list[dict[str, Any]] = totals.json()
    return rows, as_csv, as_xlsx


async def test_the_totals_read_back_from_csv_and_xlsx_equal_the_json_totals(
    stack: Stack,
) -> None:
    await receive(stack, sector="construction", amount_owed="20000.00")
    last = await receive(stack, sector="other", amount_owed="3000.50")
    wait = {"wait_for": f"{last['stream']}@{last['position']}", "by": "sector"}

    rows, as_csv, as_xlsx = await totals_and_files(stack, wait)

    assert {r["group"] for r in rows} == {"construction", "other"}
    assert as_csv.headers["content-type"].startswith("text/csv")
    assert as_xlsx.headers["content-type"] == XLSX
    assert read_csv(as_csv.content) == [HEADINGS] + [
        [SECTORS[r["group"]], str(r["cases"]), r["amount_owed"], r["amount_recovered"]]
        for r in rows
    ]
    assert read_xlsx(as_xlsx.content) == [HEADINGS] + [
        [
            SECTORS[r["group"]],
            r["cases"],
            float(Decimal(r["amount_owed"])),
            float(Decimal(r["amount_recovered"])),
        ]
        for r in rows
    ]
    assert {tuple(f[1:]) for f in number_formats(as_xlsx.content)[1:]} == {
        ("0", "#,##0.00", "#,##0.00")
    }


async def test_the_month_totals_file_is_named_for_its_grouping(stack: Stack) -> None:
    await receive(stack, sector="other", amount_owed="100.00")

    rows, as_csv, _ = await totals_and_files(stack, {"by": "month"})

    disposition = as_csv.headers["content-disposition"]
    assert 'filename="case-totals-by-month.csv"' in disposition
    assert "filename*=UTF-8''" in disposition
    read = read_csv(as_csv.content)
    assert read[0][0] == "月份"
    assert [line[0] for line in read[1:]] == [r["group"] for r in rows]


async def test_a_download_in_another_format_is_a_422_and_needs_a_login(
    stack: Stack,
) -> None:
    bad = await stack.cases.get("/downloads/totals", params={"format": "pdf"})
    anonymous = await stack.cases.get(
        "/downloads/totals", headers={"Authorization": ""}
    )

    assert bad.status_code == 422, bad.text
    assert bad.json()["code"] == "invalid-input"
    assert bad.json()["errors"][0]["rule"] == "download_format"
    assert anonymous.status_code == 401, anonymous.text
    assert anonymous.json()["code"] == "unauthenticated"


async def stepped(stack: Stack, stream: str, path: str, body: dict[str, Any]) -> str:
    """The step done on the case; the position to wait for."""
    answer = await stack.cases.post(
        f"/cases/{stream.removeprefix('case-')}/{path}", json=body
    )
    assert answer.status_code == 200, answer.text
    done: dict[str, Any] = answer.json()
    return f"{done['stream']}@{done['position']}"


async def other_sector(stack: Stack, wait_for: str) -> tuple[dict[str, Any], list[str]]:
    rows, as_csv, _ = await totals_and_files(
        stack, {"by": "sector", "wait_for": wait_for}
    )
    [row] = [r for r in rows if r["group"] == "other"]
    [line] = [line for line in read_csv(as_csv.content) if line[0] == SECTORS["other"]]
    return row, line


async def test_rejected_transferred_out_and_cancelled_cases_owe_nothing_in_the_totals(
    stack: Stack,
) -> None:
    # Given the totals as they stand
    first = await receive(stack, sector="other", amount_owed="1.00")
    before, _ = await other_sector(stack, f"{first['stream']}@{first['position']}")
    day = TODAY.isoformat()

    # When five cases arrive and four end without arrears found here: rejected,
    # transferred out, cancelled, cancelled and closed
    kept = await receive(stack, sector="other", amount_owed="1000.00")
    rejected = await receive(stack, sector="other", amount_owed="2000.00")
    moved = await receive(stack, sector="other", amount_owed="4000.00")
    cancelled = await receive(stack, sector="other", amount_owed="8000.00")
    closed = await receive(stack, sector="other", amount_owed="16000.00")
    waits = [
        f"{kept['stream']}@{kept['position']}",
        await stepped(
            stack,
            rejected["stream"],
            "reject",
            {"rejected_on": day, "reason": "超过两年"},
        ),
        await stepped(
            stack,
            moved["stream"],
            "transfer-out",
            {
                "transferred_on": day,
                "to": "区劳动人事争议仲裁院",
                "reason": "已申请仲裁",
            },
        ),
    ]
    for case, amount in ((cancelled, "8000.00"), (closed, "16000.00")):
        await stepped(stack, case["stream"], "accept", {"accepted_on": day})
        # A case is cancelled once corrected: the arrears paid during investigation.
        paid = {"paid_on": day, "amount": amount}
        await stepped(stack, case["stream"], "record-payment", paid)
        waits.append(
            await stepped(
                stack,
                case["stream"],
                "cancel",
                {"cancelled_on": day, "reason": "情节轻微已改正"},
            )
        )
    waits.append(await stepped(stack, closed["stream"], "close", {"closed_on": day}))
    for wait_for in waits[:-1]:
        await other_sector(stack, wait_for)
    after, line = await other_sector(stack, waits[-1])

    # Then they count among the cases, and only the case still open adds what it owes
    assert after["cases"] == before["cases"] + 5
    owed = Decimal(after["amount_owed"]) - Decimal(before["amount_owed"])
    assert owed == Decimal("1000.00")
    assert line[1:3] == [str(after["cases"]), after["amount_owed"]]
