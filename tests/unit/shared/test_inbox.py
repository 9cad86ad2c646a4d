"""The inbox's shared rules: a day turns over at the district's midnight, an item is
overdue only once its due day has passed, the order is overdue first then by due day,
and only the office reads another unit's inbox."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shared.auth import Actor
from shared.domain import Role
from shared.errors import NotPermitted
from shared.inbox import (
    InboxItem,
    district_today,
    in_inbox_order,
    inbox_item,
    inbox_unit,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
TODAY = date(2026, 3, 10)


def item(due_on: date | None, link: str = "/x/1") -> InboxItem:
    return inbox_item(
        kind="k", title="t", due_on=due_on, link=link, unit="jsj", today=TODAY
    )


def test_the_day_turns_over_at_the_district_midnight_not_utc() -> None:
    # 16:00 UTC is midnight in Shanghai (UTC+8): the next business day there.
    assert district_today(datetime(2026, 3, 9, 15, 59, tzinfo=UTC), SHANGHAI) == date(
        2026, 3, 9
    )
    assert district_today(datetime(2026, 3, 9, 16, 0, tzinfo=UTC), SHANGHAI) == TODAY


def test_work_due_yesterday_in_the_district_is_overdue_after_its_midnight() -> None:
    due = date(2026, 3, 9)
    before = district_today(datetime(2026, 3, 9, 15, 59, tzinfo=UTC), SHANGHAI)
    after = district_today(datetime(2026, 3, 9, 16, 0, tzinfo=UTC), SHANGHAI)

    def overdue(today: date) -> bool:
        made = inbox_item(
            kind="k", title="t", due_on=due, link="/x", unit="jsj", today=today
        )
        return made.is_overdue

    assert (overdue(before), overdue(after)) == (False, True)


@given(st.integers(min_value=-400, max_value=400))
def test_an_item_is_overdue_exactly_when_its_due_day_is_before_today(
    offset: int,
) -> None:
    assert item(TODAY + timedelta(days=offset)).is_overdue is (offset < 0)


def test_an_item_with_no_due_day_is_never_overdue() -> None:
    assert item(None).is_overdue is False


@given(
    st.lists(
        st.one_of(st.none(), st.integers(min_value=-30, max_value=30)), max_size=12
    )
)
def test_overdue_come_first_then_by_due_day_and_no_due_day_last(
    offsets: list[int | None],
) -> None:
    items = [
        item(None if o is None else TODAY + timedelta(days=o), link=f"/x/{i}")
        for i, o in enumerate(offsets)
    ]

    ordered = in_inbox_order(items)

    assert sorted(i.link for i in ordered) == sorted(i.link for i in items)
    flags = [i.is_overdue for i in ordered]
    assert flags == sorted(flags, reverse=True)
    dues = [i.due_on for i in ordered if not i.is_overdue]
    dated = [d for d in dues if d is not None]
    assert dues == dated + [None] * (len(dues) - len(dated))
    assert dated == sorted(dated)
    late = [i.due_on for i in ordered if i.is_overdue]
    assert late == sorted(d for d in late if d is not None)


def actor(unit: str, *roles: Role) -> Actor:
    return Actor(person=f"{unit}-staff", unit=unit, roles=frozenset(roles))


def test_a_unit_reads_its_own_inbox_by_default_or_by_name() -> None:
    staff = actor("sq-dongguan", Role.UNIT_STAFF)

    assert inbox_unit(staff, None) == "sq-dongguan"
    assert inbox_unit(staff, "sq-dongguan") == "sq-dongguan"


def test_the_office_reads_any_units_inbox() -> None:
    assert inbox_unit(actor("rsj", Role.OFFICE), "jsj") == "jsj"


@pytest.mark.parametrize("roles", [(Role.UNIT_STAFF,), (Role.CONVENER,), ()])
def test_anyone_else_reading_another_units_inbox_is_refused(
    roles: tuple[Role, ...],
) -> None:
    with pytest.raises(NotPermitted, match="jsj"):
        inbox_unit(actor("gafj", *roles), "jsj")
