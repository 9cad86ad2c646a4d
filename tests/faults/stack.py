"""Services run as processes, as `qingqian up` runs them (qingqian_local/cli.py), on a
PostgreSQL and a broker the fault test owns: started, killed with SIGKILL, started again."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import asyncpg
import httpx

from qingqian_local.embedded import (
    drop_database,
    ensure_database,
    free_port,
    with_database,
)
from qingqian_local.keys import LocalKeys
from shared.auth import Actor, issue_token
from shared.domain import Role
from shared.settings import ServiceSettings

ROOT = Path(__file__).resolve().parents[2]

# Short timeouts and bounds, so that a fault shows within the suite's time. Settings a
# service does not know are ignored (pydantic-settings, extra="ignore"); the same names
# in the environment of the test run win.
FAULT_SETTINGS = {
    "SEAL_INTERVAL_SECONDS": "1",
    "DB_ACQUIRE_TIMEOUT_SECONDS": "2",
    "DB_STATEMENT_TIMEOUT_SECONDS": "4",
    "RETRY_AFTER_SECONDS": "1",
    "READY_MAX_LAG": "50",
    # Loops back within 2 s of their dependency: well inside observe.STALL_SECONDS.
    "LOOP_RETRY_MAX_SECONDS": "2",
    "LOG_LEVEL": "info",
}
# Read from the environment of the test run when set there.
PASSED_THROUGH = (*FAULT_SETTINGS, "DEADLINE_WATCH_SECONDS")

OFFICE = Actor(person="fault-office", unit="rsj", roles=frozenset({Role.OFFICE}))


@dataclass
class ServiceProcess:
    """One service process (`python -m services.<service>`) and its log file."""

    label: str
    service: str
    port: int
    env: dict[str, str]
    log_path: Path
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        """Where it answers HTTP."""
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        """Start the process (its output appended to its log)."""
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", f"services.{self.service}"],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def kill(self) -> None:
        """SIGKILL: no shutdown, no flushing, connections cut mid-request."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)

    def stop(self) -> None:
        """Ctrl-C, then SIGKILL if it does not stop in time."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(15)
        except subprocess.TimeoutExpired:
            self.kill()

    def log_tail(self, lines: int = 30) -> str:
        """The end of its log (for a failure message)."""
        text = self.log_path.read_text(encoding="utf-8", errors="replace")
        return "\n".join(text.splitlines()[-lines:])

    async def wait_ready(self, timeout: float = 90.0) -> None:
        """Until `/readyz` answers 200; fails if the process ends or time runs out."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        async with httpx.AsyncClient(base_url=self.url, timeout=3) as client:
            while True:
                assert self.process is not None
                if self.process.poll() is not None:
                    raise AssertionError(
                        f"{self.label} exited with {self.process.returncode}:\n"
                        + self.log_tail()
                    )
                with contextlib.suppress(httpx.TransportError):
                    if (await client.get("/readyz")).status_code == 200:
                        return
                if loop.time() > deadline:
                    raise AssertionError(
                        f"{self.label} not ready within {timeout:.0f} s:\n"
                        + self.log_tail()
                    )
                await asyncio.sleep(0.2)


@dataclass
class FaultStack:
    """Members and cases (one or more processes of it) on one PostgreSQL server and one
    broker, with keys, tokens and a topic namespace of their own."""

    folder: Path
    server_url: str
    bootstrap: str
    namespace: str = field(default_factory=lambda: f"f{uuid.uuid4().hex[:10]}")
    processes: list[ServiceProcess] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.keys = LocalKeys(self.folder / "keys")

    @property
    def office_headers(self) -> dict[str, str]:
        """A bearer token of the office (registers cases, records payments, operates)."""
        token = issue_token(
            self.keys.jwt_private(),
            OFFICE,
            ttl=timedelta(hours=2),
            audience=ServiceSettings().audience,
        )
        return {"Authorization": f"Bearer {token}"}

    def database_url(self, service: str) -> str:
        """The service's database on the test's server, as `qingqian export` names it."""
        return with_database(self.server_url, f"qingqian_{service}")

    def add(
        self, service: str, *, label: str | None = None, database_url: str | None = None
    ) -> ServiceProcess:
        """A process of the service (not started yet), on a free port."""
        label = label or service
        port = free_port()
        env = {
            k: v
            for k, v in os.environ.items()
            if k not in {"DATABASE_URL", "KAFKA_BOOTSTRAP", "PORT", "SERVICE"}
        }
        env |= FAULT_SETTINGS | {
            k: os.environ[k] for k in PASSED_THROUGH if k in os.environ
        }
        env |= {
            "SERVICE": service,
            "DATABASE_URL": database_url or self.database_url(service),
            "KAFKA_BOOTSTRAP": self.bootstrap,
            "PORT": str(port),
            "TOPIC_NAMESPACE": self.namespace,
            **self.keys.service_env(service),
            "DISTRICT_FILE": str(ROOT / "deploy" / "district.toml"),
            "QINGQIAN_HOME": str(self.folder / "home"),
            "PYTHONUNBUFFERED": "1",
        }
        process = ServiceProcess(
            label=label,
            service=service,
            port=port,
            env=env,
            log_path=self.folder / f"{label}.log",
        )
        self.processes.append(process)
        return process

    def close(self) -> None:
        """Stop every process this stack started."""
        for process in self.processes:
            with contextlib.suppress(OSError):
                process.stop()


@contextlib.asynccontextmanager
async def fault_stack(
    folder: Path, *, server_url: str, bootstrap: str
) -> AsyncIterator[FaultStack]:
    """A stack whose databases are created first and dropped, and whose processes are
    stopped, however the test ends."""
    stack = FaultStack(folder, server_url=server_url, bootstrap=bootstrap)
    for service in ("members", "cases"):
        await ensure_database(server_url, f"qingqian_{service}")
    try:
        yield stack
    finally:
        stack.close()
        for service in ("members", "cases"):
            with contextlib.suppress(OSError, asyncpg.PostgresError):
                await drop_database(server_url, f"qingqian_{service}")
