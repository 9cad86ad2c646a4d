"""A bounded load of commands over HTTP, as a careful client sends them: each command
with its own Idempotency-Key, repeated with that key while the answer is unknown (no
answer, 503) and never after a definite one. Every attempt and every acknowledgement is
kept, so a test can hold the system to what it acknowledged."""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

import httpx

# The client's patience: a command not answered by then counts as hung.
REQUEST_TIMEOUT = 8.0
RETRY_DELAY = 0.3
# Each client's pause between commands: a bounded load that leaves the machine's two
# cores to the services.
THINK_SECONDS = 0.05
# Each case is owed far more than the load can pay, so a payment never clears it.
AMOUNT_OWED = "1000000.00"
PAYMENT = "1.00"


class Outcome(StrEnum):
    """What one attempt got."""

    ACKED = "acked"  # 2xx: the command is done
    REFUSED = "refused"  # 4xx: definite, nothing written
    # 503, or any answer with Retry-After (a 409 "in progress": the same command is
    # still running elsewhere): try again with the same key.
    UNAVAILABLE = "unavailable"
    FAILED = "failed"  # any other 5xx: a bug
    UNREACHABLE = "unreachable"  # no connection, or it was cut
    HUNG = "hung"  # no answer within REQUEST_TIMEOUT

    @property
    def is_definite(self) -> bool:
        """Whether the command's fate is known (no repeat)."""
        return self in {Outcome.ACKED, Outcome.REFUSED, Outcome.FAILED}


@dataclass(frozen=True)
class Attempt:
    """One HTTP attempt of a command."""

    at: float
    kind: str
    command_id: uuid.UUID
    outcome: Outcome
    status: int | None
    code: str | None
    elapsed: float
    is_problem: bool = False


@dataclass(frozen=True)
class Ack:
    """An acknowledged command: where its last event is."""

    at: float
    kind: str
    command_id: uuid.UUID
    case_id: str
    stream: str
    version: int
    position: int


@dataclass
class Command:
    """A command and its fixed Idempotency-Key."""

    kind: str
    case_id: str | None
    path: str
    body: dict[str, Any]
    command_id: uuid.UUID = field(default_factory=uuid.uuid4)


def district_today() -> date:
    """Today where the services count days (Asia/Shanghai)."""
    return datetime.now(ZoneInfo("Asia/Shanghai")).date()


def new_case(today: date) -> dict[str, Any]:
    """A case body the cases service accepts (the unit is in the seed roster)."""
    return {
        "source": "petition_handover",
        "sector": "construction",
        "employer": {"name": "某建筑公司", "uscc": "91350100M000100Y43"},
        "workers_count": 3,
        "months_owed": 2,
        "amount_owed": AMOUNT_OWED,
        "territorial_unit": "sq-dongguan",
        "received_on": today.isoformat(),
    }


class Load:
    """`clients` concurrent clients, each: register a case, accept it, record payments
    on it — or, with `shared_cases`, on those cases, all clients at once (to race)."""

    def __init__(
        self,
        urls: Sequence[str],
        headers: dict[str, str],
        *,
        clients: int = 4,
        shared_cases: Sequence[str] = (),
        payments_per_case: int = 3,
    ) -> None:
        self.urls = list(urls)
        self.headers = headers
        self.clients = clients
        self.shared_cases = list(shared_cases)
        self.payments_per_case = payments_per_case
        self.today = district_today()
        self.attempts: list[Attempt] = []
        self.acks: dict[uuid.UUID, Ack] = {}
        self.unsettled: dict[uuid.UUID, Command] = {}
        self.refused: dict[uuid.UUID, Command] = {}
        self._stopping = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []
        self._turn = 0

    # --- running ------------------------------------------------------------------

    def start(self) -> None:
        """Start the clients."""
        self._tasks = [
            asyncio.create_task(self._client(i), name=f"load-{i}")
            for i in range(self.clients)
        ]

    async def stop(self) -> None:
        """Let each client finish its attempt, then stop."""
        self._stopping.set()
        await asyncio.gather(*self._tasks)

    async def wait_for_acks(self, count: int, *, timeout: float) -> float:
        """Until `count` more commands are acknowledged; returns the seconds it took."""
        loop = asyncio.get_running_loop()
        start = loop.time()
        wanted = len(self.acks) + count
        while len(self.acks) < wanted:
            if loop.time() - start > timeout:
                raise AssertionError(
                    f"{len(self.acks)} acknowledged, not {wanted}, within {timeout} s;"
                    f" outcomes {self.outcomes()}"
                )
            await asyncio.sleep(0.1)
        return loop.time() - start

    async def settle(self, *, timeout: float = 20.0) -> None:
        """Repeat each command whose fate is unknown, with its key, until it is known:
        then every command is acknowledged or refused."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        async with self.session() as client:
            for command in list(self.unsettled.values()):
                while command.command_id in self.unsettled:
                    if loop.time() > deadline:
                        return
                    if not await self._attempt(client, command):
                        await asyncio.sleep(RETRY_DELAY)

    async def _client(self, index: int) -> None:
        async with self.session() as client:
            while not self._stopping.is_set():
                case_id: str | None
                if self.shared_cases:
                    case_id = self.shared_cases[
                        (index + self._turn) % len(self.shared_cases)
                    ]
                else:
                    case_id = await self.register_and_accept(client)
                if case_id is None:
                    continue
                for _ in range(self.payments_per_case):
                    if self._stopping.is_set():
                        break
                    await self._send(client, self.payment(case_id))
                    await asyncio.sleep(THINK_SECONDS)

    async def register_and_accept(self, client: httpx.AsyncClient) -> str | None:
        """A new case, accepted: its id, or None if either was not acknowledged."""
        command = Command("receive", None, "/cases", new_case(self.today))
        received = await self._send(client, command)
        if received is None:
            return None
        accept = Command(
            "accept",
            received.case_id,
            f"/cases/{received.case_id}/accept",
            {"accepted_on": self.today.isoformat()},
        )
        await asyncio.sleep(THINK_SECONDS)
        accepted = await self._send(client, accept)
        return None if accepted is None else received.case_id

    async def first_case(self, client: httpx.AsyncClient, *, timeout: float) -> str:
        """A case registered and accepted, tried until the service knows the unit (the
        unit directory comes from the members service's topic)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while (case_id := await self.register_and_accept(client)) is None:
            if loop.time() > deadline:
                raise AssertionError(
                    f"no case went through in {timeout} s: {self.refusals()}"
                )
            await asyncio.sleep(0.5)
        return case_id

    def payment(self, case_id: str) -> Command:
        """A payment of PAYMENT on the case."""
        body = {"paid_on": self.today.isoformat(), "amount": PAYMENT}
        return Command("payment", case_id, f"/cases/{case_id}/record-payment", body)

    @contextlib.asynccontextmanager
    async def session(self) -> AsyncIterator[httpx.AsyncClient]:
        timeout = httpx.Timeout(REQUEST_TIMEOUT, connect=2.0)
        async with httpx.AsyncClient(timeout=timeout, headers=self.headers) as client:
            yield client

    async def _send(self, client: httpx.AsyncClient, command: Command) -> Ack | None:
        """Until the command's fate is known or the load stops (then it stays unsettled)."""
        while True:
            if await self._attempt(client, command):
                return self.acks.get(command.command_id)
            if self._stopping.is_set():
                return None
            await asyncio.sleep(RETRY_DELAY)

    async def _attempt(self, client: httpx.AsyncClient, command: Command) -> bool:
        """One try on the next URL (round robin); whether the fate is now known."""
        self._turn += 1
        url = self.urls[self._turn % len(self.urls)] + command.path
        started = time.monotonic()
        status: int | None = None
        code: str | None = None
        is_problem = False
        body: dict[str, Any] = {}
        try:
            answer = await client.post(
                url,
                json=command.body,
                headers={"Idempotency-Key": str(command.command_id)},
            )
            status = answer.status_code
            with contextlib.suppress(ValueError):
                body = answer.json()
            code = body.get("code") if isinstance(body, dict) else None
            is_problem = answer.headers.get("content-type", "").startswith(
                "application/problem+json"
            )
            outcome = _outcome_of(
                status, is_retry_later="retry-after" in answer.headers
            )
        except (httpx.ReadTimeout, httpx.WriteTimeout, httpx.PoolTimeout):
            outcome = Outcome.HUNG
        except httpx.TransportError:
            outcome = Outcome.UNREACHABLE
        self.attempts.append(
            Attempt(
                at=started,
                kind=command.kind,
                command_id=command.command_id,
                outcome=outcome,
                status=status,
                code=code,
                elapsed=time.monotonic() - started,
                is_problem=is_problem,
            )
        )
        if outcome is Outcome.ACKED:
            stream = str(body["stream"])
            self.acks[command.command_id] = Ack(
                at=time.monotonic(),
                kind=command.kind,
                command_id=command.command_id,
                case_id=stream.removeprefix("case-"),
                stream=stream,
                version=int(body["version"]),
                position=int(body["position"]),
            )
        if outcome.is_definite:
            self.unsettled.pop(command.command_id, None)
            if outcome is not Outcome.ACKED:
                self.refused[command.command_id] = command
            return True
        self.unsettled[command.command_id] = command
        return False

    # --- figures ------------------------------------------------------------------

    def outcomes(self) -> dict[str, int]:
        """Attempts by outcome."""
        return dict(Counter(a.outcome.value for a in self.attempts))

    def failures(self) -> list[Attempt]:
        """Attempts answered with a 5xx other than 503 (bugs)."""
        return [a for a in self.attempts if a.outcome is Outcome.FAILED]

    def bare_refusals(self) -> list[Attempt]:
        """Answers other than 2xx that are not problem+json with a code."""
        return [
            a
            for a in self.attempts
            if a.status is not None
            and a.outcome is not Outcome.ACKED
            and not (a.is_problem and a.code)
        ]

    def hangs(self) -> list[Attempt]:
        """Attempts not answered within REQUEST_TIMEOUT."""
        return [a for a in self.attempts if a.outcome is Outcome.HUNG]

    def refusals(self) -> dict[str, int]:
        """Definite refusals by status and problem code."""
        return dict(
            Counter(
                f"{a.status} {a.code}"
                for a in self.attempts
                if a.outcome in {Outcome.REFUSED, Outcome.FAILED}
            )
        )


def _outcome_of(status: int, *, is_retry_later: bool) -> Outcome:
    if 200 <= status < 300:
        return Outcome.ACKED
    if status == 503 or (is_retry_later and status < 500):
        return Outcome.UNAVAILABLE
    if status >= 500:
        return Outcome.FAILED
    return Outcome.REFUSED
