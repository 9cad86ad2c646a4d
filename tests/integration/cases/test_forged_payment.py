"""The forgery as filed: a PaymentRecorded inserted with plain SQL, its hash recomputed
by the public algorithm. It is reported by verify at its position, parked by the relay
(never sealed or published), and the case does not show as paid."""

from __future__ import annotations

from datetime import timedelta

import asyncpg
import pytest

from shared.db import create_pool
from shared.jwks import published_keys
from shared.verify import verify
from tests.forgery import insert_forged
from tests.integration.cases.conftest import Stack
from tests.integration.cases.test_cases_api import receive, step
from tests.session_zone import TODAY
from tests.support import eventually

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]


async def _owed_case(stack: Stack) -> str:
    case_id = await receive(stack)
    today = TODAY.isoformat()
    accepted = await step(stack, case_id, "accept", {"accepted_on": today})
    ordered = await step(
        stack,
        case_id,
        "order-payment",
        {
            "ordered_on": today,
            "pay_by": (TODAY + timedelta(days=7)).isoformat(),
            "served_on": today,
            "service_method": "in_person",
            "amount": "20000.00",
        },
    )
    assert accepted.status_code == ordered.status_code == 200, ordered.text
    return case_id


async def test_a_payment_inserted_without_the_key_is_not_sequenced_or_shown(
    stack: Stack,
) -> None:
    case_id = await _owed_case(stack)
    assert stack.settings.database_url is not None
    pool = await create_pool(stack.settings.database_url, min_size=1, max_size=2)
    try:
        forged = await insert_forged(
            pool,
            f"case-{case_id}",
            "PaymentRecorded",
            {
                "paid_on": TODAY.isoformat(),
                "amount": "20000.00",
                "is_overpayment": False,
            },
        )
        # A case received after the forgery: once the read model shows it, the relay
        # and the projection have gone past the forged event.
        later = await receive(stack)

        async def later_projected() -> bool:
            return bool(await _summary(pool, later))

        await eventually(later_projected, timeout=20)
        summary = await _summary(pool, case_id)
        sequenced = await pool.fetchval(
            "SELECT count(*) FROM event_sequence WHERE position = $1", forged
        )
        report = await verify(pool, trust=published_keys(stack.settings))
    finally:
        await pool.close()
    parked = await stack.cases.get("/operations/unauthenticated-events")
    detail = (await stack.cases.get(f"/cases/{case_id}")).json()

    assert sequenced == 0
    assert summary is not None
    assert summary["amount_recovered"] == 0
    assert parked.status_code == 200
    assert [e["position"] for e in parked.json()] == [forged]
    assert detail["amount_still_owed"] == "20000.00"
    assert "PaymentRecorded" not in {e["type"].split(".")[2] for e in detail["history"]}
    assert [(p.kind, p.position) for p in report.problems] == [
        ("unauthenticated", forged)
    ]


async def _summary(pool: asyncpg.Pool, case_id: str) -> asyncpg.Record | None:
    return await pool.fetchrow(
        "SELECT amount_recovered FROM case_summary WHERE case_id = $1", case_id
    )
