"""The public list as a file: read back as CSV and XLSX, it holds the rows the JSON
public list holds, under §7.1's Chinese headings, and needs no login."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from services.credit.downloads import PUBLIC_LIST_DOWNLOAD
from shared.downloads import CellKind
from tests.downloads_reader import (
    as_date_text,
    data_types,
    number_formats,
    read_csv,
    read_xlsx,
)
from tests.integration.credit.conftest import Chain
from tests.integration.credit.test_profiles import new_uscc, projected, published

pytestmark = [
    pytest.mark.integration,
    pytest.mark.asyncio(loop_scope="session"),
    pytest.mark.timeout(180),
]

TABLE = PUBLIC_LIST_DOWNLOAD
HEADINGS = [c.heading for c in TABLE.columns]


def _csv_text(value: Any, kind: CellKind) -> str:
    """What the CSV holds for a JSON value of the public list."""
    if value is None:
        return ""
    if kind is CellKind.AMOUNT:
        return f"{Decimal(value):.2f}"
    return str(value)


def _xlsx_text(value: object, kind: CellKind) -> str:
    """An XLSX cell as the CSV writes it: dates ISO, amounts with two places."""
    if value is None:
        return ""
    if kind is CellKind.AMOUNT:
        assert isinstance(value, int | float), value
        return f"{Decimal(str(value)):.2f}"
    return str(as_date_text(value))


async def test_the_public_list_read_back_from_csv_and_xlsx_equals_the_json_list(
    chain: Chain,
) -> None:
    first = await published(
        chain, {"kind": "employer", "name": "青海某劳务有限公司", "uscc": new_uscc()}
    )
    last = await published(
        chain,
        {"kind": "employer", "name": '某建设公司,"东关"项目部', "uscc": new_uscc()},
    )
    # Two streams, maybe on two partitions: wait for each, not only the last write.
    await projected(chain, first)
    await projected(chain, last)
    listed = await chain.credit.get("/public-list")
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

    records = listed.json()["records"]
    assert len(records) == 2
    assert as_csv.status_code == 200, as_csv.text
    assert as_xlsx.status_code == 200, as_xlsx.text
    expected = [HEADINGS] + [
        [_csv_text(r[c.key], c.kind) for c in TABLE.columns] for r in records
    ]
    assert read_csv(as_csv.content) == expected
    read = read_xlsx(as_xlsx.content)
    assert read[0] == HEADINGS
    as_text = [
        [_xlsx_text(v, c.kind) for v, c in zip(line, TABLE.columns, strict=True)]
        for line in read[1:]
    ]
    assert as_text == expected[1:]
    kinds = {c.key: c.kind for c in TABLE.columns}
    types = dict(zip(kinds, data_types(as_xlsx.content)[1], strict=True))
    assert types["decision_date"] == "d"
    assert types["arrears_amount"] == "n"
    assert types["subject_name"] == "s"
    formats = dict(zip(kinds, number_formats(as_xlsx.content)[1], strict=True))
    assert formats["decision_date"] == "yyyy-mm-dd"
    assert formats["arrears_amount"] == "#,##0.00"


async def test_a_public_list_download_in_another_format_is_a_422(chain: Chain) -> None:
    answer = await chain.credit.get(
        "/downloads/public-list",
        params={"format": "ods"},
        headers={"Authorization": ""},
    )

    assert answer.status_code == 422, answer.text
    assert answer.json()["code"] == "invalid-input"
    assert answer.json()["errors"][0]["rule"] == "download_format"
