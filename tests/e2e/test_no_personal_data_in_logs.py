"""The issue's check, as an operator would run it: with `qingqian up`, create a case
with named workers, read it, send a malformed copy, check the workers' ID numbers and
phones on credit — then grep every log file the system wrote for the ID numbers, the
phones, the names and the office token: none is found."""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
from stdnum.cn import ric

from tests.e2e.up_process import Up
from tests.support import eventually

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(180)]


def id_number() -> str:
    birth = date(1960, 1, 1).toordinal() + random.randrange(15_000)
    body = f"110105{date.fromordinal(birth):%Y%m%d}{random.randrange(1000):03d}"
    # calc_check_digit reads the 17 digits before the check digit of a whole number.
    return body + ric.calc_check_digit(body + "0")


def phone() -> str:
    return f"139{random.randrange(10**8):08d}"


def name() -> str:
    # Three common-range CJK characters: unlikely to occur in any log by chance.
    return "".join(chr(0x4E00 + random.randrange(0x5000)) for _ in range(3))


WORKERS = [
    {
        "subject": f"w-{uuid.uuid4().hex[:8]}",
        "name": name(),
        "id_number": id_number(),
        "phone": phone(),
    }
    for _ in range(2)
]


def intake() -> dict[str, Any]:
    return {
        "source": "complaint",
        "sector": "construction",
        "employer": {"name": "青海某建筑劳务有限公司", "uscc": "91350100M000100Y43"},
        "project": {
            "name": "东关小区改造",
            "client": "区城投公司",
            "general_contractor": "某建工集团",
            "subcontractor": "某劳务公司",
        },
        "workers_count": 2,
        "workers": WORKERS,
        "months_owed": 4,
        "amount_owed": "20000.00",
        "territorial_unit": "sq-dongguan",
        "received_on": date.today().isoformat(),  # noqa: DTZ011 - the office's day
    }


@pytest.fixture(scope="module")
def stack(module_home_dir: Path) -> Iterator[Up]:
    up = Up(module_home_dir)
    try:
        up.start()
        yield up
    finally:
        up.close()


async def test_no_log_holds_an_id_number_a_phone_a_name_or_the_token(
    stack: Up,
) -> None:
    office = {"Authorization": f"Bearer {stack.token}"}
    async with httpx.AsyncClient(headers=office, timeout=10) as client:
        case_id = await _receive(client, stack.url("cases"))
        shown = await client.get(f"{stack.url('cases')}/cases/{case_id}")
        malformed = await client.post(
            f"{stack.url('cases')}/cases", json={**intake(), "workers_count": "two"}
        )
        checks = [
            await client.get(
                f"{stack.url('credit')}/check", params={"person": w["id_number"]}
            )
            for w in WORKERS
        ]

        async def access_lines_written() -> bool:
            return "/check?person=[redacted]" in _logs(stack)

        await eventually(access_lines_written, timeout=20, interval=0.2)
    stack.close()

    assert shown.status_code == 200, shown.text
    assert shown.json()["workers"][0]["id_number"] == WORKERS[0]["id_number"]
    assert malformed.status_code == 422, malformed.text
    assert [c.status_code for c in checks] == [200, 200], [c.text for c in checks]
    logs = _logs(stack)
    secrets = [
        stack.token,
        *(str(w[k]) for w in WORKERS for k in ("name", "id_number", "phone")),
    ]
    assert [s for s in secrets if s in logs] == []
    assert {p.name for p in stack.home.glob("*.log")} >= {
        "cases.log",
        "credit.log",
        "supervisor.log",
    }


async def _receive(client: httpx.AsyncClient, cases_url: str) -> str:
    """Retried until cases knows the seed units from members' topic."""
    answers: list[httpx.Response] = []

    async def received() -> bool:
        answers.append(await client.post(f"{cases_url}/cases", json=intake()))
        return answers[-1].status_code == 201

    try:
        await eventually(received, timeout=60, interval=0.5)
    except AssertionError as exc:
        raise AssertionError(answers[-1].text) from exc
    return str(answers[-1].json()["stream"]).removeprefix("case-")


def _logs(stack: Up) -> str:
    return "\n".join(
        p.read_text(encoding="utf-8", errors="replace")
        for p in stack.home.glob("*.log")
    )
