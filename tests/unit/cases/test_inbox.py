"""The cases part of a unit's inbox: a case assigned to it (leading or helping) due by
the assignment's day, a case in its territory not assigned to it, and the time limits
it leads on."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from services.cases.domain.state import DeadlineKind
from services.cases.inbox import case_items, deadline_item
from services.cases.views import CaseSummaryView

TODAY = date(2026, 3, 10)
RECEIVED = date(2026, 2, 2)


def case(case_id: str, **fields: Any) -> CaseSummaryView:
    defaults: dict[str, Any] = {
        "case_id": case_id,
        "status": "assigned",
        "criminal": "none",
        "source": "complaint",
        "sector": "construction",
        "employer_name": "青海某建设工程有限公司",
        "employer_uscc": None,
        "territorial_unit": "sq-dongguan",
        "lead_unit": "rsj",
        "helping_units": ["jsj"],
        "assignment_due": TODAY,
        "assignment_status": "active",
        "workers_count": 3,
        "months_owed": 2,
        "amount_owed": Decimal("30000.00"),
        "amount_recovered": Decimal("0.00"),
        "is_mass_incident": False,
        "is_employer_absconded": False,
        "received_on": RECEIVED,
        "next_due": None,
        "next_due_kind": None,
        "overdue_since": None,
        "is_credit_recommended": False,
        "version": 3,
    }
    return CaseSummaryView(**(defaults | fields))


def test_a_case_led_or_helped_with_is_due_by_the_assignments_day() -> None:
    one = case("2026-000001")

    lead, helping = (
        case_items([one], [], unit, today=TODAY)[0] for unit in ("rsj", "jsj")
    )

    assert lead.model_dump() == {
        "kind": "assigned_case",
        "title": "交办案件（牵头）：青海某建设工程有限公司（2026-000001）",
        "due_on": TODAY,
        "is_overdue": False,
        "link": "/cases/2026-000001",
        "unit": "rsj",
        "since": RECEIVED,
    }
    assert helping.title == "交办案件（协办）：青海某建设工程有限公司（2026-000001）"


def test_an_assignment_past_its_day_is_overdue() -> None:
    [item] = case_items(
        [case("2026-000001")], [], "rsj", today=TODAY + timedelta(days=1)
    )

    assert item.is_overdue is True


def test_a_territory_sees_its_cases_due_by_their_next_time_limit() -> None:
    mine = case("2026-000001", next_due=TODAY - timedelta(days=1))
    other = case("2026-000002", lead_unit=None, assignment_status=None)

    items = case_items([], [mine, other], "sq-dongguan", today=TODAY)

    assert [(i.kind, i.link, i.due_on, i.is_overdue) for i in items] == [
        ("territorial_case", "/cases/2026-000001", mine.next_due, True),
        ("territorial_case", "/cases/2026-000002", None, False),
    ]
    assert items[0].title == "属地案件：青海某建设工程有限公司（2026-000001）"


def test_a_case_assigned_to_its_own_territory_is_listed_once_as_assigned() -> None:
    one = case("2026-000001", lead_unit="sq-dongguan")

    items = case_items([one], [one], "sq-dongguan", today=TODAY)

    assert [i.kind for i in items] == ["assigned_case"]


def test_a_lead_units_time_limit_names_what_it_must_do() -> None:
    item = deadline_item(
        "2026-000001",
        "某公司",
        DeadlineKind.POLICE_TRANSFER,
        TODAY,
        "rsj",
        today=TODAY,
    )

    assert (item.kind, item.title, item.is_overdue) == (
        "case_deadline",
        "移送公安时限：某公司（2026-000001）",
        False,
    )
