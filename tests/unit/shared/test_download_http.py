"""A download over HTTP: the format from `?format=` or Accept (a 422 naming the rule for
any other format), the media type, and the Chinese file name in `filename*`."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated
from urllib.parse import unquote
from zoneinfo import ZoneInfo

import httpx
import pytest
from fastapi import Depends, FastAPI, Response
from pydantic import BaseModel

from shared.download_http import content_disposition, download, download_format
from shared.downloads import MEDIA_TYPES, Column, DownloadFormat, DownloadTable
from shared.problems import add_problem_handlers
from tests.downloads_reader import read_csv, read_xlsx

XLSX = MEDIA_TYPES[DownloadFormat.XLSX]


class Entry(BaseModel):
    name: str


TABLE = DownloadTable(
    view=Entry,
    columns=(Column("name", "行政相对人名称"),),
    filename="拖欠农民工工资失信联合惩戒对象名单",
    ascii_filename="public-list",
)


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    app = FastAPI()
    add_problem_handlers(app, retry_after=1)

    @app.get("/download")
    async def get_download(
        fmt: Annotated[DownloadFormat, Depends(download_format)],
    ) -> Response:
        rows = [Entry(name="青海某公司")]
        return await download(TABLE, rows, fmt=fmt, zone=ZoneInfo("Asia/Shanghai"))

    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
        yield c


def test_the_file_name_is_given_in_ascii_and_in_utf_8() -> None:
    header = content_disposition("名单.csv", "list.csv")

    assert header == (
        "attachment; filename=\"list.csv\"; filename*=UTF-8''%E5%90%8D%E5%8D%95.csv"
    )


async def test_format_xlsx_answers_an_xlsx_attachment_named_in_chinese(
    client: httpx.AsyncClient,
) -> None:
    answer = await client.get("/download", params={"format": "xlsx"})

    assert answer.status_code == 200
    assert answer.headers["content-type"] == XLSX
    disposition = answer.headers["content-disposition"]
    assert disposition.startswith('attachment; filename="public-list.xlsx"; ')
    encoded = disposition.split("filename*=UTF-8''")[1]
    assert unquote(encoded) == "拖欠农民工工资失信联合惩戒对象名单.xlsx"
    assert read_xlsx(answer.content) == [["行政相对人名称"], ["青海某公司"]]


async def test_without_a_format_the_accept_header_chooses_and_csv_is_the_default(
    client: httpx.AsyncClient,
) -> None:
    by_accept = await client.get(
        "/download", headers={"Accept": f"application/json;q=0.5, {XLSX}"}
    )
    plain = await client.get("/download", headers={"Accept": "*/*"})

    assert by_accept.headers["content-type"] == XLSX
    assert plain.headers["content-type"].startswith("text/csv; charset=utf-8")
    assert 'filename="public-list.csv"' in plain.headers["content-disposition"]
    assert read_csv(plain.content) == [["行政相对人名称"], ["青海某公司"]]


async def test_another_format_is_a_422_naming_the_rule(
    client: httpx.AsyncClient,
) -> None:
    answer = await client.get("/download", params={"format": "xls"})

    assert answer.status_code == 422
    assert answer.headers["content-type"].startswith("application/problem+json")
    body = answer.json()
    assert body["code"] == "invalid-input"
    assert body["errors"] == [
        {
            "pointer": "#/query/format",
            "rule": "download_format",
            "detail": "format must be csv or xlsx",
        }
    ]
