"""The credit check API under concurrent load: requests/s and latency percentiles.

The credit service runs in this process on a database holding many listings (written
straight into its read model: the check reads nothing else); the load comes from a
second process, so client and server do not share a core's event loop."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import uuid
from pathlib import Path

import asyncpg
import uvicorn
from pydantic import SecretStr
from stdnum.cn import uscc

from qingqian_local.embedded import free_port
from services.credit.app import create_app
from services.credit.settings import CreditSettings
from shared.auth import Actor, issue_token, public_key_pem
from shared.chain import new_private_key_pem
from shared.db import create_pool, migrate
from shared.domain import Role
from shared.key_wrapping import Kek

CREDIT_MIGRATIONS = Path("services/credit/migrations")
DISTRICT_FILE = Path("deploy/district.toml").absolute()

LOAD = """
import asyncio, json, sys, time
from bench.raw_http import Connections

async def main(url, token, usccs, total, concurrency):
    latencies = []
    client = Connections(url, headers={"Authorization": "Bearer " + token}, size=concurrency)
    queue = asyncio.Queue()
    for i in range(total):
        queue.put_nowait(usccs[i % len(usccs)])
    async def worker():
        while not queue.empty():
            uscc = queue.get_nowait()
            started = time.perf_counter()
            status, body = await client.get("/check?uscc=" + uscc)
            latencies.append(time.perf_counter() - started)
            assert status == 200, body
    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    elapsed = time.perf_counter() - started
    client.close()
    latencies.sort()
    print(json.dumps({"rps": total / elapsed, "p50_ms": latencies[len(latencies) // 2] * 1000,
                      "p99_ms": latencies[int(len(latencies) * 0.99)] * 1000}))

url, token, usccs, total, concurrency = sys.argv[1], sys.argv[2], json.loads(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
asyncio.run(main(url, token, usccs, total, concurrency))
"""


async def _fill(pool: asyncpg.Pool, listings: int) -> list[str]:
    # Well-formed codes: /check refuses a wrong check character with 422.
    usccs = [
        f"91{n:015d}" + uscc.calc_check_digit(f"91{n:015d}") for n in range(listings)
    ]
    await pool.execute(
        "INSERT INTO listing_summary (listing_id, status, subject_kind, employer_name, uscc,"
        " opened_from, opened_on, amount_owed, is_mass_incident, decided_on, ends_on, version, updated_at)"
        " SELECT 'b-' || n, 'active', 'employer', '企业' || n, u, 'by_hand', current_date - 30,"
        " 50000, false, current_date - 20, current_date + 1000, 5, now()"
        " FROM unnest($1::text[]) WITH ORDINALITY AS t(u, n)",
        usccs,
    )
    await pool.execute(
        "INSERT INTO sanction_tasks (listing_id, task_id, unit_code, measure, due, status, is_overdue)"
        " SELECT listing_id, unit || '-m', unit, 'market_access', current_date, 'applied', false"
        " FROM listing_summary, unnest(ARRAY['jsj', 'fgj', 'czj', 'fy', 'rsj']) AS unit"
    )
    await pool.execute("ANALYZE")
    return usccs


async def measure_check_api(
    server_url: str, *, listings: int, requests: int, concurrency: int
) -> dict[str, float]:
    """Fill a credit database with `listings` active listings and load `GET /check`."""
    from qingqian_local.embedded import ensure_database

    database_url = await ensure_database(
        server_url, f"bench_credit_{uuid.uuid4().hex[:6]}"
    )
    pool = await create_pool(database_url, min_size=1, max_size=2)
    await migrate(pool, CREDIT_MIGRATIONS)
    usccs = await _fill(pool, listings)
    await pool.close()
    private = new_private_key_pem()
    settings = CreditSettings(
        database_url=database_url,
        kafka_bootstrap=None,
        jwt_public_key=SecretStr(public_key_pem(private)),
        seal_private_key=SecretStr(new_private_key_pem()),
        personal_data_kek=SecretStr(Kek.generate().to_base64()),
        district_file=DISTRICT_FILE,
        is_relay_enabled=False,
        is_projections_enabled=False,
        log_level="warning",
    )
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(settings),
            host="127.0.0.1",
            port=port,
            log_config=None,
            access_log=False,
        )
    )
    task = asyncio.create_task(server.serve())
    while not server.started:  # noqa: ASYNC110 - uvicorn only exposes a flag
        await asyncio.sleep(0.05)
    token = issue_token(
        private,
        Actor(person="bench", unit="rsj", roles=frozenset({Role.AUDITOR})),
        audience=settings.audience,
    )
    sample = json.dumps(usccs[:: max(1, listings // 1000)])
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        LOAD,
        f"http://127.0.0.1:{port}",
        token,
        sample,
        str(requests),
        str(concurrency),
        stdout=subprocess.PIPE,
    )
    out, _ = await process.communicate()
    server.should_exit = True
    await task
    figures: dict[str, float] = json.loads(out)
    return figures
