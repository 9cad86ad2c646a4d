"""The public list as a file for spreadsheet users (issue 16 item 4): CSV or XLSX with
the Chinese headings of exchange-fields.md §7.1. Public like the list it copies: no
login."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Response

from services.credit import public_queries
from services.credit.public_routes import PUBLIC_LIMIT
from services.credit.public_views import PublicRecordView
from shared.boundary import known_query_only
from shared.download_http import download, download_format, download_responses
from shared.downloads import CellKind, Column, DownloadFormat, DownloadTable
from shared.http import PoolDep, RuntimeDep, StoreDep
from shared.problems import problem_responses
from shared.rate_limit import rate_limited

# §7.1 names the columns, in its order; one row per field of the public record. A field
# added to PublicRecordView is published in the file by adding its row here.
PUBLIC_LIST_DOWNLOAD = DownloadTable(
    view=PublicRecordView,
    columns=(
        Column("record_id", "数据唯一标识"),
        Column("list_name", "名单名称"),
        Column("subject_category", "行政相对人类别"),
        Column("party_role", "当事人身份"),
        Column("subject_name", "行政相对人名称"),
        Column("uscc", "统一社会信用代码"),
        Column("legal_rep_name", "法定代表人(主要负责人)"),
        Column("decision_doc_no", "列入决定文书号"),
        Column("listing_reason", "列入名单事由"),
        Column("listing_basis", "列入依据"),
        Column("arrears_amount", "涉及金额（元）", CellKind.AMOUNT),
        Column("project_name", "项目名称"),
        Column("authority_name", "认定部门"),
        Column("authority_uscc", "认定部门统一社会信用代码"),
        Column("decision_date", "列入日期", CellKind.DATE),
        Column("planned_exit_date", "预计退出日期", CellKind.DATE),
        Column("publish_from", "公示日期", CellKind.DATE),
        Column("publish_until", "公示截止期", CellKind.DATE),
        Column("status", "当前状态"),
        Column("exit_date", "退出日期", CellKind.DATE),
        Column("exit_reason", "退出名单原因"),
        Column("region_code", "地方编码"),
        Column("source_unit", "数据来源单位"),
        Column("source_unit_uscc", "数据来源单位统一社会信用代码"),
        Column("remark", "备注"),
    ),
    filename="拖欠农民工工资失信联合惩戒对象名单",
    ascii_filename="public-list",
)

downloads = APIRouter(
    tags=["downloads"],
    # Public like the list: the same allowance per client address (429).
    dependencies=[Depends(known_query_only), Depends(rate_limited(PUBLIC_LIMIT))],
    responses=problem_responses(422, 429),
)


@downloads.get(
    "/downloads/public-list",
    response_class=Response,
    responses=download_responses(),
)
async def download_public_list(
    pool: PoolDep,
    store: StoreDep,
    rt: RuntimeDep,
    fmt: Annotated[DownloadFormat, Depends(download_format)],
) -> Response:
    """The records of the public list (`GET /public-list`) as a file to save, no login needed:
    `?format=csv` (UTF-8 with BOM) or `xlsx`, or by the Accept header; headings in
    Chinese. 422 `download_format` for any other format."""
    view = await public_queries.public_list(
        pool, store.vault, now=datetime.now(rt.zone)
    )
    return await download(PUBLIC_LIST_DOWNLOAD, view.records, fmt=fmt, zone=rt.zone)
