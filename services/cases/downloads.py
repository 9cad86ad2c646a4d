"""Case statistics as files for spreadsheet users (issue 16 item 4): the totals as CSV
or XLSX, with the Chinese headings of exchange-fields.md §7.2 where it has one."""

from __future__ import annotations

from types import MappingProxyType
from typing import Final

from services.cases.domain.particulars import Sector
from services.cases.queries import TotalsBy
from services.cases.views import TotalView
from shared.downloads import CellKind, Column, DownloadTable

# rules.md §3.6: the first classification of a case.
_SECTOR_LABELS: Final = MappingProxyType(
    {Sector.CONSTRUCTION.value: "工程建设领域", Sector.OTHER.value: "非工程建设领域"}
)

# The group column, by grouping; 承办单位 is §7.2's name for the lead unit.
_GROUP_COLUMNS: Final = MappingProxyType(
    {
        TotalsBy.MONTH: Column("group", "月份"),
        TotalsBy.SECTOR: Column("group", "领域", CellKind.LABEL, _SECTOR_LABELS),
        TotalsBy.TERRITORIAL_UNIT: Column("group", "属地单位（镇/社区）"),
        TotalsBy.LEAD_UNIT: Column("group", "承办单位"),
    }
)

_GROUP_NAMES: Final = MappingProxyType(
    {
        TotalsBy.MONTH: "按月份",
        TotalsBy.SECTOR: "按领域",
        TotalsBy.TERRITORIAL_UNIT: "按属地单位",
        TotalsBy.LEAD_UNIT: "按承办单位",
    }
)


def totals_download(by: TotalsBy) -> DownloadTable:
    """The totals' file for one grouping: the group, the case count, the amounts."""
    return DownloadTable(
        view=TotalView,
        columns=(
            _GROUP_COLUMNS[by],
            Column("cases", "案件数", CellKind.COUNT),
            Column("amount_owed", "涉及金额（元）", CellKind.AMOUNT),
            Column("amount_recovered", "已追回金额（元）", CellKind.AMOUNT),
        ),
        filename=f"欠薪案件金额统计（{_GROUP_NAMES[by]}）",
        ascii_filename=f"case-totals-by-{by.value.replace('_', '-')}",
    )
