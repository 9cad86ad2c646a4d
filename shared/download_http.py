"""A download over HTTP: the format from `?format=` or the Accept header, the file as an
attachment with its Chinese name (RFC 6266 `filename*`, RFC 8187 encoding)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import tzinfo
from typing import Annotated, Any, Final
from urllib.parse import quote

from fastapi import Header, Query, Response
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from shared.downloads import MEDIA_TYPES, DownloadFormat, DownloadTable, render
from shared.errors import InvalidInput

_BY_MEDIA_TYPE: Final = {
    "text/csv": DownloadFormat.CSV,
    MEDIA_TYPES[DownloadFormat.XLSX]: DownloadFormat.XLSX,
}


def download_format(
    fmt: Annotated[
        str | None,
        Query(
            alias="format",
            description="`csv` (UTF-8 with BOM) or `xlsx`; without it, the Accept "
            "header decides, and CSV is the default",
        ),
    ] = None,
    accept: Annotated[str | None, Header()] = None,
) -> DownloadFormat:
    """The format asked for: `?format=` wins, else the first of text/csv or the XLSX
    media type the Accept header names, else CSV. 422 (`download_format`) for any
    other `format`."""
    if fmt is not None:
        try:
            return DownloadFormat(fmt)
        except ValueError:
            raise InvalidInput(
                "query.format", "download_format", "format must be csv or xlsx"
            ) from None
    for item in (accept or "").split(","):
        found = _BY_MEDIA_TYPE.get(item.split(";")[0].strip().lower())
        if found is not None:
            return found
    return DownloadFormat.CSV


def content_disposition(filename: str, ascii_filename: str) -> str:
    """`attachment` with the ASCII name for old clients and the UTF-8 name for the
    others, which prefer `filename*` (RFC 6266 §4.3)."""
    return f"attachment; filename=\"{ascii_filename}\"; filename*=UTF-8''{quote(filename, safe='')}"


async def download(
    table: DownloadTable,
    rows: Sequence[BaseModel],
    *,
    fmt: DownloadFormat,
    zone: tzinfo,
) -> Response:
    """The rows as a file to save: rendered off the event loop (an XLSX of a long list
    takes a while), named `<table.filename>.<csv|xlsx>`."""
    body = await run_in_threadpool(render, table, rows, fmt=fmt, zone=zone)
    extension = f".{fmt.value}"
    disposition = content_disposition(
        table.filename + extension, table.ascii_filename + extension
    )
    return Response(
        content=body,
        media_type=MEDIA_TYPES[fmt],
        headers={"Content-Disposition": disposition},
    )


def download_responses() -> dict[int | str, dict[str, Any]]:
    """The OpenAPI description of a download's 200: one of the two file types."""
    return {
        200: {
            "description": "The file, as an attachment.",
            "content": {
                MEDIA_TYPES[DownloadFormat.CSV]: {
                    "schema": {"type": "string", "format": "binary"}
                },
                MEDIA_TYPES[DownloadFormat.XLSX]: {
                    "schema": {"type": "string", "format": "binary"}
                },
            },
        }
    }
