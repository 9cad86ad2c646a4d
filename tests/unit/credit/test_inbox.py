"""The credit part of a unit's inbox: a sanction task to confirm, applied or lifted,
named in Chinese by its measure and the employer, due by the task's day."""

from __future__ import annotations

from datetime import date

from services.credit.domain.sanctions import SanctionMeasure, SanctionTaskStatus
from services.credit.inbox import MEASURE_TITLES, sanction_item

DUE = date(2026, 3, 20)


def task(
    status: SanctionTaskStatus, *, employer: str | None, today: date
) -> dict[str, object]:
    return sanction_item(
        listing_id="c-2026-000001",
        measure=SanctionMeasure.CONSTRUCTION_PERMIT_AND_BIDDING,
        status=status,
        due=DUE,
        employer_name=employer,
        since=date(2026, 3, 10),
        unit="jsj",
        today=today,
    ).model_dump()


def test_a_sanction_to_apply_is_due_by_the_tasks_day() -> None:
    assert task(SanctionTaskStatus.PENDING, employer="青海某建设公司", today=DUE) == {
        "kind": "sanction_task",
        "title": "联合惩戒（实施）：限制施工许可和招标投标（青海某建设公司）",
        "due_on": DUE,
        "is_overdue": False,
        "link": "/listings/c-2026-000001",
        "unit": "jsj",
        "since": date(2026, 3, 10),
    }


def test_a_sanction_to_lift_past_its_day_is_overdue_and_a_person_is_named_by_id() -> (
    None
):
    item = task(SanctionTaskStatus.LIFT_PENDING, employer=None, today=date(2026, 3, 21))

    assert item["title"] == "联合惩戒（解除）：限制施工许可和招标投标（c-2026-000001）"
    assert item["is_overdue"] is True


def test_every_measure_has_a_chinese_title() -> None:
    assert set(MEASURE_TITLES) == set(SanctionMeasure)
