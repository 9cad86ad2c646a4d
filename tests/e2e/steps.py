"""Steps the end-to-end tests take over HTTP alike."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx

from tests.support import eventually

# The employer the petition names (a USCC that passes the GB 32100 check).
EMPLOYER = {"name": "某建筑公司", "uscc": "91350100M000100Y43"}
# A petition hand-over in a community of the seed roster (cases only needs the roster).
PETITION = {
    "source": "petition_handover",
    "sector": "construction",
    "employer": EMPLOYER,
    "workers_count": 3,
    "months_owed": 2,
    "amount_owed": "9000.00",
    "territorial_unit": "sq-dongguan",
    "received_on": "2024-03-01",
}


async def receive_and_assign(
    cases: httpx.AsyncClient, lead_unit: str, *, timeout: float
) -> tuple[httpx.Response, str]:
    """Receive a case, then assign it to `lead_unit` as soon as cases knows that unit
    (from members' events); the receiving answer and the case id."""
    received = await cases.post("/cases", json=PETITION)
    case_id = str(received.json()["stream"]).removeprefix("case-")

    async def assigned() -> bool:
        answer = await cases.post(
            f"/cases/{case_id}/assign",
            json={
                "lead_unit": lead_unit,
                # Within the window business dates may lie ahead.
                "due_on": str(datetime.now(UTC).date() + timedelta(days=60)),
            },
        )
        return answer.status_code == 200

    await eventually(assigned, timeout=timeout, interval=0.5)
    return received, case_id
