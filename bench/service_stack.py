"""The members and cases services as real processes (`python -m services.<name>`, with
the environment `qingqian up` gives them) on the bench's server and broker."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import asyncpg
import httpx

from qingqian_local.embedded import ensure_database, free_port
from shared.auth import Actor, issue_token, public_key_pem
from shared.chain import new_private_key_pem
from shared.domain import Role
from shared.key_wrapping import Kek
from shared.settings import ServiceSettings

DISTRICT_FILE = Path("deploy/district.toml").absolute()
SERVICES = ("members", "cases")
# The district's time zone (deploy/district.toml): a case received "today" is not late.
DISTRICT_ZONE = ZoneInfo("Asia/Shanghai")


def today() -> str:
    """Today in the district, as the API takes dates."""
    return datetime.now(DISTRICT_ZONE).date().isoformat()


@dataclass
class ServiceStack:
    """Running services: where they answer, an office token, the cases database."""

    token: str
    cases_database_url: str
    ports: dict[str, int] = field(default_factory=dict)
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def url(self, service: str) -> str:
        """The service's base URL."""
        return f"http://127.0.0.1:{self.ports[service]}"

    def client(self, service: str) -> httpx.AsyncClient:
        """An HTTP client for the service with the office token."""
        return httpx.AsyncClient(
            base_url=self.url(service),
            headers={"Authorization": f"Bearer {self.token}"},
            timeout=30,
            # Below uvicorn's 5 s keep-alive: a connection the server is closing right
            # then is never reused (that race shows as a ReadError).
            limits=httpx.Limits(keepalive_expiry=1.0),
        )


async def _wait_ready(
    stack: ServiceStack, service: str, process: subprocess.Popen[bytes]
) -> None:
    async with httpx.AsyncClient(base_url=stack.url(service), timeout=2) as client:
        for _ in range(600):
            if process.poll() is not None:
                raise RuntimeError(f"{service} exited with {process.returncode}")
            try:
                if (await client.get("/readyz")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)
    raise TimeoutError(f"{service} was not ready within 60 s")


def _start(
    service: str,
    *,
    port: int,
    database_url: str,
    bootstrap: str,
    jwt_public: str,
    log: Path,
) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "SERVICE": service,
        "DATABASE_URL": database_url,
        "KAFKA_BOOTSTRAP": bootstrap,
        "PORT": str(port),
        "JWT_PUBLIC_KEY": jwt_public,
        "SEAL_PRIVATE_KEY": new_private_key_pem(),
        "PERSONAL_DATA_KEK": Kek.generate().to_base64(),
        "DISTRICT_FILE": str(DISTRICT_FILE),
        # The bench admits the units it needs: the seed roster would only add load.
        "IS_SEED_LOADED": "false",
    }
    with log.open("ab") as out:
        return subprocess.Popen(  # noqa: S603 - our own service module
            [sys.executable, "-m", f"services.{service}"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )


@asynccontextmanager
async def running_stack(
    server_url: str, bootstrap: str, folder: Path
) -> AsyncIterator[ServiceStack]:
    """Start members and cases, wait until both are ready; stop them with Ctrl-C."""
    private = new_private_key_pem()
    office = Actor(person="bench", unit="rsj", roles=frozenset({Role.OFFICE}))
    urls = {s: await ensure_database(server_url, f"bench_{s}") for s in SERVICES}
    stack = ServiceStack(
        token=issue_token(private, office, audience=ServiceSettings().audience),
        cases_database_url=urls["cases"],
    )
    try:
        for service in SERVICES:
            stack.ports[service] = free_port()
            process = _start(
                service,
                port=stack.ports[service],
                database_url=urls[service],
                bootstrap=bootstrap,
                jwt_public=public_key_pem(private),
                log=folder / f"{service}.log",
            )
            stack.processes.append(process)
            await _wait_ready(stack, service, process)
        yield stack
    finally:
        await _stop(stack.processes)


async def _stop(processes: list[subprocess.Popen[bytes]]) -> None:
    for process in processes:
        process.send_signal(signal.SIGINT)
    for process in processes:
        try:
            await asyncio.to_thread(process.wait, 30)
        except subprocess.TimeoutExpired:
            process.kill()
            await asyncio.to_thread(process.wait, 10)


async def admit_unit(client: httpx.AsyncClient, code: str) -> httpx.Response:
    """`POST /units` on members: a new town."""
    return await client.post(
        "/units",
        json={
            "code": code,
            "name_zh": f"测试镇{code}",
            "name_en": f"Bench town {code}",
            "kind": "town",
            "effective_on": today(),
        },
    )


async def visible_units(pool: asyncpg.Pool, codes: list[str]) -> set[str]:
    """Which of the codes the cases service's unit directory (`member_units`) shows."""
    rows = await pool.fetch(
        "SELECT code FROM member_units WHERE code = ANY($1::text[])", codes
    )
    return {str(r["code"]) for r in rows}


async def admit_and_wait(stack: ServiceStack, code: str) -> None:
    """Admit a unit on members and wait until cases knows it (a case may then name it)."""
    async with stack.client("members") as client:
        answer = await admit_unit(client, code)
    if answer.status_code != 201:
        raise RuntimeError(f"admitting {code} failed: {answer.text[:300]}")
    pool = await asyncpg.create_pool(stack.cases_database_url, min_size=1, max_size=1)
    try:
        for _ in range(600):
            if await visible_units(pool, [code]):
                return
            await asyncio.sleep(0.1)
    finally:
        await pool.close()
    raise TimeoutError(f"cases did not learn of {code} within 60 s")
