"""Downloads for spreadsheet users: CSV in UTF-8 with a BOM, CRLF and RFC 4180 quoting,
XLSX with typed cells, both under the column table's Chinese headings."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from pydantic import BaseModel

from shared.downloads import (
    CellKind,
    Column,
    DownloadFormat,
    DownloadTable,
    render,
    render_csv,
    render_xlsx,
)
from tests.downloads_reader import (
    BOM,
    data_types,
    number_formats,
    read_csv,
    read_xlsx,
)

ZONE = ZoneInfo("Asia/Shanghai")


class Row(BaseModel):
    name: str
    kind: str
    since: date
    at: datetime | None
    amount: Decimal
    cases: int


TABLE = DownloadTable(
    view=Row,
    columns=(
        Column("name", "行政相对人名称"),
        Column("kind", "领域", CellKind.LABEL, {"construction": "工程建设领域"}),
        Column("since", "列入日期", CellKind.DATE),
        Column("at", "数据导出时间", CellKind.MOMENT),
        Column("amount", "涉及金额（元）", CellKind.AMOUNT),
        Column("cases", "案件数", CellKind.COUNT),
    ),
    filename="名单",
    ascii_filename="list",
)
HEADINGS = [
    "行政相对人名称",
    "领域",
    "列入日期",
    "数据导出时间",
    "涉及金额（元）",
    "案件数",
]


def row(**overrides: object) -> Row:
    values: dict[str, object] = {
        "name": "青海某建筑劳务有限公司",
        "kind": "construction",
        "since": date(2024, 3, 1),
        "at": datetime(2024, 3, 1, 2, 30, tzinfo=UTC),
        "amount": Decimal("180000.5"),
        "cases": 3,
    }
    return Row.model_validate(values | overrides)


def test_a_csv_starts_with_a_bom_ends_lines_with_crlf_and_heads_in_chinese() -> None:
    body = render_csv(TABLE, [row()], zone=ZONE)

    assert body.startswith(BOM + "行政相对人名称,领域,".encode())
    assert body.count(b"\r\n") == 2
    assert b"\n" not in body.replace(b"\r\n", b"")
    assert read_csv(body) == [
        HEADINGS,
        [
            "青海某建筑劳务有限公司",
            "工程建设领域",
            "2024-03-01",
            "2024-03-01T10:30:00+08:00",
            "180000.50",
            "3",
        ],
    ]


def test_a_csv_quotes_commas_quotes_and_line_breaks_as_rfc_4180_says() -> None:
    name = '某公司,"东关"分公司\r\n二部'

    body = render_csv(TABLE, [row(name=name)], zone=ZONE)

    assert '"某公司,""东关""分公司\r\n二部"'.encode() in body
    assert b",2024-03-01," in body
    assert read_csv(body)[1][0] == name


def test_a_csv_cell_that_would_run_as_a_formula_starts_with_an_apostrophe() -> None:
    body = render_csv(TABLE, [row(name="=HYPERLINK(1)"), row(name="-1")], zone=ZONE)

    assert [r[0] for r in read_csv(body)[1:]] == ["'=HYPERLINK(1)", "'-1"]


def test_an_empty_list_is_the_headings_alone() -> None:
    csv_rows = read_csv(render_csv(TABLE, [], zone=ZONE))
    xlsx_rows = read_xlsx(render_xlsx(TABLE, [], zone=ZONE))

    assert csv_rows == [HEADINGS]
    assert xlsx_rows == [HEADINGS]


def test_an_xlsx_has_dates_as_dates_and_amounts_and_counts_as_numbers() -> None:
    body = render(TABLE, [row()], fmt=DownloadFormat.XLSX, zone=ZONE)

    [headings, values] = read_xlsx(body)
    assert headings == HEADINGS
    assert values == [
        "青海某建筑劳务有限公司",
        "工程建设领域",
        datetime(2024, 3, 1),  # noqa: DTZ001 - a spreadsheet date has no zone
        "2024-03-01T10:30:00+08:00",
        180000.5,
        3,
    ]
    assert number_formats(body)[1][2:] == ["yyyy-mm-dd", "General", "#,##0.00", "0"]
    assert data_types(body)[1] == ["s", "s", "d", "s", "n", "n"]


def test_an_xlsx_keeps_text_that_looks_like_a_formula_as_text() -> None:
    body = render_xlsx(TABLE, [row(name='=HYPERLINK("http://x")')], zone=ZONE)

    assert read_xlsx(body)[1][0] == '=HYPERLINK("http://x")'
    assert data_types(body)[1][0] == "s"


def test_a_missing_value_is_an_empty_cell_and_an_unlabelled_value_shows_as_stored() -> (
    None
):
    rows = [row(at=None, kind="other")]

    csv_row = read_csv(render_csv(TABLE, rows, zone=ZONE))[1]
    xlsx_row = read_xlsx(render_xlsx(TABLE, rows, zone=ZONE))[1]

    assert (csv_row[1], csv_row[3]) == ("other", "")
    assert (xlsx_row[1], xlsx_row[3]) == ("other", None)


def test_a_table_naming_a_field_its_view_lacks_is_refused() -> None:
    with pytest.raises(ValueError, match="no field"):
        DownloadTable(
            view=Row,
            columns=(Column("decision_no", "列入决定文书号"),),
            filename="名单",
            ascii_filename="list",
        )
