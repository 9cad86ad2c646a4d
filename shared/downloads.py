"""Downloads for spreadsheet users (issue 16 item 4; exchange-fields.md rules): the rows
of a view as CSV (UTF-8 with BOM, CRLF, RFC 4180 quoting) or XLSX, under the Chinese
headings of a declared column table. The HTTP side is `shared.download_http`."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from decimal import Decimal
from enum import StrEnum
from typing import Final

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from pydantic import BaseModel

_CENT: Final = Decimal("0.01")
# A text cell starting with one of these is run as a formula by spreadsheet programs
# (OWASP "CSV injection"): in CSV it gets a leading apostrophe, in XLSX it is typed text.
_FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")
_DATE_FORMAT: Final = "yyyy-mm-dd"
_AMOUNT_FORMAT: Final = "#,##0.00"
_COUNT_FORMAT: Final = "0"


class DownloadFormat(StrEnum):
    """The file formats a download is offered in."""

    CSV = "csv"
    XLSX = "xlsx"


MEDIA_TYPES: Final[Mapping[DownloadFormat, str]] = {
    DownloadFormat.CSV: "text/csv; charset=utf-8; header=present",
    DownloadFormat.XLSX: (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    ),
}


class CellKind(StrEnum):
    """How a column's values are written (exchange-fields.md: dates ISO 8601 with
    +08:00, amounts decimal(18,2) yuan)."""

    TEXT = "text"
    LABEL = "label"  # an enum value shown as its Chinese label
    DATE = "date"
    MOMENT = "moment"  # a datetime, in the district's zone
    AMOUNT = "amount"
    COUNT = "count"


@dataclass(frozen=True)
class Column:
    """One column: the view field it shows, its Chinese heading, how it is written."""

    key: str
    heading: str
    kind: CellKind = CellKind.TEXT
    labels: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class DownloadTable:
    """A download's declared shape: the view its rows are, its columns in order, and
    the file's name (Chinese, without extension) with an ASCII fallback for old clients.
    Refuses a column naming no field of the view, so a renamed field fails at start."""

    view: type[BaseModel]
    columns: tuple[Column, ...]
    filename: str
    ascii_filename: str

    def __post_init__(self) -> None:
        unknown = [c.key for c in self.columns if c.key not in self.view.model_fields]
        if unknown:
            raise ValueError(f"{self.view.__name__} has no field {unknown}")
        if not self.ascii_filename.isascii():
            raise ValueError("the fallback filename must be ASCII")

    @property
    def headings(self) -> list[str]:
        """The Chinese headings, in column order."""
        return [c.heading for c in self.columns]


def render(
    table: DownloadTable,
    rows: Sequence[BaseModel],
    *,
    fmt: DownloadFormat,
    zone: tzinfo,
) -> bytes:
    """The file's bytes: a headings row, then one row per view, in the rows' order."""
    if fmt is DownloadFormat.CSV:
        return render_csv(table, rows, zone=zone)
    return render_xlsx(table, rows, zone=zone)


def render_csv(
    table: DownloadTable, rows: Sequence[BaseModel], *, zone: tzinfo
) -> bytes:
    """UTF-8 with a BOM (so spreadsheet programs read the Chinese headings), CRLF line
    ends, fields quoted only when RFC 4180 needs it (comma, quote, line break)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(table.headings)
    for row in rows:
        writer.writerow(
            [_csv_text(getattr(row, c.key), c, zone) for c in table.columns]
        )
    return out.getvalue().encode("utf-8-sig")


def _csv_text(value: object, column: Column, zone: tzinfo) -> str:
    if value is None:
        return ""
    match column.kind:
        case CellKind.DATE if isinstance(value, date):
            return value.isoformat()
        case CellKind.MOMENT if isinstance(value, datetime):
            return value.astimezone(zone).isoformat()
        case CellKind.AMOUNT:
            return str(_amount(value))
        case CellKind.LABEL:
            return _label(value, column)
        case _:
            return _defused(str(value))


def _amount(value: object) -> Decimal:
    return Decimal(str(value)).quantize(_CENT)


def _label(value: object, column: Column) -> str:
    # An enum value with no label is shown as stored rather than failing the download.
    return column.labels.get(str(value), str(value))


def _defused(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def render_xlsx(
    table: DownloadTable, rows: Sequence[BaseModel], *, zone: tzinfo
) -> bytes:
    """One sheet: bold headings, frozen under them; dates as date cells, amounts and
    counts as numbers with a number format, text always as text (never a formula)."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=table.filename[:31])
    sheet.freeze_panes = "A2"
    for index, column in enumerate(table.columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = _width(column)
    bold = Font(bold=True)
    sheet.append([_styled(sheet, c.heading, bold) for c in table.columns])
    for row in rows:
        sheet.append(
            [_xlsx_cell(sheet, getattr(row, c.key), c, zone) for c in table.columns]
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _width(column: Column) -> float:
    widths = {CellKind.DATE: 12, CellKind.AMOUNT: 16, CellKind.COUNT: 10}
    return max(widths.get(column.kind, 24), 2.2 * len(column.heading))


def _styled(sheet: WriteOnlyWorksheet, heading: str, font: Font) -> Cell:
    cell = WriteOnlyCell(sheet, value=heading)
    cell.font = font
    return cell


def _xlsx_cell(
    sheet: WriteOnlyWorksheet, value: object, column: Column, zone: tzinfo
) -> Cell:
    if value is None:
        return WriteOnlyCell(sheet, value=None)
    match column.kind:
        case CellKind.DATE if isinstance(value, date) and not isinstance(
            value, datetime
        ):
            return _number(sheet, value, _DATE_FORMAT)
        case CellKind.AMOUNT:
            return _number(sheet, _amount(value), _AMOUNT_FORMAT)
        case CellKind.COUNT if isinstance(value, int):
            return _number(sheet, value, _COUNT_FORMAT)
        case CellKind.MOMENT if isinstance(value, datetime):
            # A spreadsheet time has no zone: the ISO text keeps the +08:00.
            return _text(sheet, value.astimezone(zone).isoformat())
        case CellKind.LABEL:
            return _text(sheet, _label(value, column))
        case _:
            return _text(sheet, str(value))


def _number(
    sheet: WriteOnlyWorksheet, value: date | Decimal | int, number_format: str
) -> Cell:
    cell = WriteOnlyCell(sheet)
    # Set after: the stubs' WriteOnlyCell takes fewer value types than Cell.value does.
    cell.value = value
    cell.number_format = number_format
    return cell


def _text(sheet: WriteOnlyWorksheet, text: str) -> Cell:
    cell = WriteOnlyCell(sheet, value=text)
    # openpyxl types a value starting with "=" as a formula; a name is never one.
    cell.data_type = "s"
    return cell
