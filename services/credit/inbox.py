"""The credit part of a unit's inbox (shared/inbox.py): the sanctions it must still
confirm it applied to a listing in force, or lifted from one that ended, by the task's
due day (`sanction_confirm_working_days` after the publication or the end)."""

from __future__ import annotations

from datetime import date
from typing import Final

from services.credit.domain.sanctions import SanctionMeasure, SanctionTaskStatus
from shared.dependencies import ServiceRuntime
from shared.inbox import InboxItem, inbox_item

MEASURE_TITLES: Final = {
    SanctionMeasure.CONSTRUCTION_PERMIT_AND_BIDDING: "限制施工许可和招标投标",
    SanctionMeasure.PROJECT_APPROVAL_AND_CREDIT: "限制政府投资项目审批",
    SanctionMeasure.PROCUREMENT_AND_FUNDING: "限制政府采购和财政资金",
    SanctionMeasure.LAND_SUPPLY: "限制供应土地",
    SanctionMeasure.MARKET_ACCESS: "限制市场准入",
    SanctionMeasure.COURT_ENFORCEMENT: "强制执行",
    SanctionMeasure.CRIMINAL_INVESTIGATION: "拒不支付劳动报酬罪侦查",
    SanctionMeasure.INTEGRITY_GRADING: "诚信等级评定",
    SanctionMeasure.HONOURS_AND_AWARDS: "限制评优评先",
    SanctionMeasure.TAX_INCENTIVES: "限制税收优惠",
    SanctionMeasure.FINANCING: "限制融资",
    SanctionMeasure.TRAVEL: "限制高消费出行",
}
"""The measures as the units' staff name them."""

# What the unit must confirm in each open status.
_TO_CONFIRM: Final = {
    SanctionTaskStatus.PENDING: "实施",
    SanctionTaskStatus.LIFT_PENDING: "解除",
}


def sanction_item(
    *,
    listing_id: str,
    measure: SanctionMeasure,
    status: SanctionTaskStatus,
    due: date,
    employer_name: str | None,
    since: date | None,
    unit: str,
    today: date,
) -> InboxItem:
    """联合惩戒: a measure the unit must confirm it applied, or lifted, by `due`. A
    person's listing is named by its id only (no personal data in an inbox)."""
    subject = employer_name or listing_id
    return inbox_item(
        kind="sanction_task",
        title=f"联合惩戒（{_TO_CONFIRM[status]}）：{MEASURE_TITLES[measure]}（{subject}）",
        due_on=due,
        link=f"/listings/{listing_id}",
        unit=unit,
        today=today,
        since=since,
    )


async def credit_inbox(rt: ServiceRuntime, unit: str, today: date) -> list[InboxItem]:
    """The credit part of `unit`'s inbox: its unconfirmed sanction tasks."""
    rows = await rt.pool.fetch(
        "SELECT t.listing_id, t.measure, t.status, t.due, l.employer_name,"
        " CASE WHEN t.status = 'pending' THEN l.published_on ELSE l.ended_on END AS since"
        " FROM sanction_tasks t JOIN listing_summary l ON l.listing_id = t.listing_id"
        " WHERE t.unit_code = $1 AND t.status = ANY($2::text[])",
        unit,
        [s.value for s in _TO_CONFIRM],
    )
    return [
        sanction_item(
            listing_id=r["listing_id"],
            measure=SanctionMeasure(r["measure"]),
            status=SanctionTaskStatus(r["status"]),
            due=r["due"],
            employer_name=r["employer_name"],
            since=r["since"],
            unit=unit,
            today=today,
        )
        for r in rows
    ]
