"""Helpers shared by the tests: waiting without bare sleeps, a tiny test aggregate."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime

import asyncpg

from shared.auth import Actor
from shared.chain import Ed25519Signer, new_private_key_pem, run_signer
from shared.domain import Aggregate, Command, Event, Role
from shared.errors import RuleViolated
from shared.handling import CommandContext
from shared.relay import Relay
from shared.store import EventStore
from shared.trust import Jwks


async def eventually(
    check: Callable[[], Awaitable[bool]],
    *,
    timeout: float = 10.0,
    interval: float = 0.05,
) -> None:
    """Wait until `check()` is true; fail after `timeout` seconds."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        if await check():
            return
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"condition not met within {timeout} s")
        await asyncio.sleep(interval)


class LedgerOpened(Event):
    name: str


class AmountAdded(Event):
    amount: int


LedgerEvent = LedgerOpened | AmountAdded


class Ledger(Event):
    is_open: bool = False
    total: int = 0


def evolve(ledger: Ledger, event: LedgerEvent) -> Ledger:
    match event:
        case LedgerOpened():
            return Ledger(is_open=True)
        case AmountAdded(amount=amount):
            return ledger.model_copy(update={"total": ledger.total + amount})


class AddAmount(Command):
    amount: int


def add_amount(ledger: Ledger, command: AddAmount) -> list[LedgerEvent]:
    if command.amount <= 0:
        raise RuleViolated("amount-positive", "the amount must be positive")
    events: list[LedgerEvent] = [] if ledger.is_open else [LedgerOpened(name="t")]
    return [*events, AmountAdded(amount=command.amount)]


LEDGER: Aggregate[Ledger, LedgerEvent] = Aggregate(
    category="ledger", initial=Ledger(), evolve=evolve, events=LedgerEvent
)

OFFICE = Actor(person="tester", unit="rsj", roles=frozenset({Role.OFFICE}))


def context(
    *,
    command_id: uuid.UUID | None = None,
    expected_version: int | None = None,
    actor: Actor = OFFICE,
) -> CommandContext:
    """A command context for tests."""
    now = datetime.now(UTC)
    return CommandContext(
        actor=actor,
        correlation_id=str(uuid.uuid4()),
        now=now,
        today=date(2024, 1, 2),
        command_id=command_id,
        expected_version=expected_version,
    )


def stream() -> str:
    """A unique entity id per test."""
    return uuid.uuid4().hex[:12]


def run_trust() -> Jwks:
    """The keys a store made without a signer signs with in this test run (pinned by
    the tests' `verify`, as a verifier pins the service's published keys)."""
    return Jwks.of_signers(run_signer())


async def sequence_all(pool: asyncpg.Pool) -> None:
    """Number every committed event, as the relay's sequencer does (nothing is
    published: the broker is never reached)."""
    relay = Relay(
        EventStore(pool),
        bootstrap="127.0.0.1:1",
        service="test",
        source="/qingqian/test",
        topic="t",
        seals_topic="t.seals",
        signer=Ed25519Signer.from_pem(new_private_key_pem()),
    )
    while await relay.sequence_once():
        pass
