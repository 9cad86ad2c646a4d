"""Meeting numbers under concurrent requests: repeats of one Idempotency-Key all get
the first meeting, different proposals take every number once, a refused proposal
takes none."""

from __future__ import annotations

from typing import Any

import tests.yearly_numbers as numbers
from tests.integration.credit.conftest import day, fetchval
from tests.integration.meetings.conftest import Stack
from tests.session_zone import TODAY
from tests.support import eventually

pytestmark = numbers.NUMBERS_TEST


def plenary(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "kind": "plenary",
        "title": "全体会议",
        "agenda": [{"title": "通报清欠工作"}],
        "proposed_on": day(0),
    }
    return body | overrides


async def units_known(stack: Stack) -> None:
    """A plenary invites every active unit: wait for the directory from members."""

    async def known() -> bool:
        count = await fetchval(
            stack.meetings_settings.database_url,
            "SELECT count(*) FROM member_units WHERE is_active",
        )
        return bool(count)

    await eventually(known, timeout=60)


async def proposals(stack: Stack) -> numbers.NumberedCreate:
    """Plenary meetings proposed, once the unit directory has come from members."""
    await units_known(stack)
    return numbers.NumberedCreate(
        client=stack.meetings,
        path="/meetings",
        body=plenary,
        refused={"proposed_on": day(1)},
        database_url=stack.meetings_settings.database_url,
        table="meeting_numbers",
        year=TODAY.year,
        stream_prefix=f"meeting-{TODAY.year}-",
    )


async def test_fifty_repeats_of_one_key_at_once_all_get_the_first_meeting(
    stack: Stack,
) -> None:
    await numbers.repeats_of_one_key_get_the_first(await proposals(stack))


async def test_concurrent_different_proposals_take_every_number_once(
    stack: Stack,
) -> None:
    await numbers.different_ones_take_every_number_once(await proposals(stack))


async def test_refused_proposals_among_good_ones_leave_no_gap(stack: Stack) -> None:
    await numbers.refused_ones_leave_no_gap(await proposals(stack))


async def test_a_proposal_that_fails_after_taking_its_number_gives_it_back(
    stack: Stack,
) -> None:
    await numbers.a_failure_after_the_number_gives_it_back(
        await proposals(stack), {"title": "注入故障"}, "NEW.data->>'title' = '注入故障'"
    )
