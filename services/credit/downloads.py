"""The public list as a file for spreadsheet users (issue 16 item 4): CSV or XLSX with
the Chinese headings of exchange-fields.md §7.1. Public like the list it copies: no
login."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Response

from services.credit import queries
from services.credit.views import PublicListEntryView
from shared.boundary import known_query_only
from shared.download_http import download, download_format, download_responses
from shared.downloads import CellKind, Column, DownloadFormat, DownloadTable
from shared.http import PoolDep, RuntimeDep
from shared.problems import problem_responses

# §7.1 names the columns; one row per field the public list has. A field added to
# PublicListEntryView is published in the file by adding its row here.
PUBLIC_LIST_DOWNLOAD = DownloadTable(
    view=PublicListEntryView,
    columns=(
        Column("listing_id", "数据唯一标识"),
        Column("employer_name", "行政相对人名称"),
        Column("uscc", "统一社会信用代码"),
        Column("since", "列入日期", CellKind.DATE),
        Column("until", "预计退出日期", CellKind.DATE),
    ),
    filename="拖欠农民工工资失信联合惩戒对象名单",
    ascii_filename="public-list",
)

downloads = APIRouter(
    tags=["downloads"],
    dependencies=[Depends(known_query_only)],
    responses=problem_responses(422),
)


@downloads.get(
    "/downloads/public-list",
    response_class=Response,
    responses=download_responses(),
)
async def download_public_list(
    pool: PoolDep,
    rt: RuntimeDep,
    fmt: Annotated[DownloadFormat, Depends(download_format)],
) -> Response:
    """The public list (`GET /public-list`) as a file to save, no login needed:
    `?format=csv` (UTF-8 with BOM) or `xlsx`, or by the Accept header; headings in
    Chinese. 422 `download_format` for any other format."""
    rows = await queries.public_list(pool, today=datetime.now(rt.zone).date())
    return await download(PUBLIC_LIST_DOWNLOAD, rows, fmt=fmt, zone=rt.zone)
