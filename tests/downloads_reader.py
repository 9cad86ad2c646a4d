"""Reading a downloaded file back as a spreadsheet user's program would: the CSV with
Python's csv module (after checking its BOM), the XLSX with openpyxl."""

from __future__ import annotations

import csv
import io
from datetime import datetime

from openpyxl import load_workbook

BOM = b"\xef\xbb\xbf"


def read_csv(body: bytes) -> list[list[str]]:
    """The rows of a CSV download, headings first; fails unless it starts with a BOM
    and every line ends in CRLF."""
    assert body.startswith(BOM), body[:10]
    text = body[len(BOM) :].decode("utf-8")
    assert text.endswith("\r\n")
    return list(csv.reader(io.StringIO(text, newline="")))


def read_xlsx(body: bytes) -> list[list[object]]:
    """The cell values of an XLSX download's only sheet, headings first."""
    book = load_workbook(io.BytesIO(body))
    [sheet] = book.worksheets
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def number_formats(body: bytes) -> list[list[str]]:
    """The number format of every cell of an XLSX download's only sheet."""
    book = load_workbook(io.BytesIO(body))
    [sheet] = book.worksheets
    return [[cell.number_format for cell in row] for row in sheet.iter_rows()]


def data_types(body: bytes) -> list[list[str]]:
    """openpyxl's type of every cell: s text, n number, d date, f formula."""
    book = load_workbook(io.BytesIO(body))
    [sheet] = book.worksheets
    return [[cell.data_type for cell in row] for row in sheet.iter_rows()]


def as_date_text(value: object) -> object:
    """An XLSX date cell (openpyxl reads it as midnight) as its ISO date."""
    return value.date().isoformat() if isinstance(value, datetime) else value
