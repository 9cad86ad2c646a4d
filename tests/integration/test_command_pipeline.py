"""`run`, the one way a command is handled: a row's facts reach its decide function, a
numbered row opens the year's next stream and names it to the decide function and to
`then`, a missing stream is refused as the row says, and a refusal naming command
types names them by their verbs."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

import asyncpg
import pytest
import pytest_asyncio

from shared.command_pipeline import run
from shared.command_table import (
    CommandTable,
    FromContext,
    Numbered,
    Resource,
    Row,
    Scope,
    entity_id,
    fact,
    today,
)
from shared.domain import Command
from shared.errors import InvalidTransition, NotFound
from shared.numbering import YearlyNumbers
from shared.store import Appended, EventStore
from tests.support import (
    LEDGER,
    AddAmount,
    AmountAdded,
    Ledger,
    LedgerEvent,
    LedgerOpened,
    context,
)

pytestmark = [
    pytest.mark.integration,
    pytest.mark.asyncio(loop_scope="session"),
    pytest.mark.timeout(60),
]


@dataclass(frozen=True)
class Bonus:
    """The service context of this test: added to every amount."""

    amount: int
    ledger_id: str


class OpenLedger(Command):
    amount: int


class CloseLedger(Command):
    pass


def open_ledger(
    ledger: Ledger, command: OpenLedger, *, ledger_id: str, bonus: int, today: date
) -> list[LedgerEvent]:
    return [LedgerOpened(name=ledger_id), AmountAdded(amount=command.amount + bonus)]


def add_amount(
    ledger: Ledger, command: AddAmount, *, ledger_id: str, bonus: int
) -> list[LedgerEvent]:
    if not ledger.is_open:
        raise InvalidTransition("new", (OpenLedger,), f"{ledger_id} is not open")
    return [AmountAdded(amount=command.amount + bonus)]


def close_ledger(ledger: Ledger, command: CloseLedger) -> list[LedgerEvent]:
    return []


async def _bonus(scope: Scope[Command, Bonus]) -> int:
    return scope.context.amount


LEDGERS = Resource("ledgers", id_param="ledger_id")


@pytest_asyncio.fixture(loop_scope="session")
async def numbers(pool: asyncpg.Pool) -> YearlyNumbers:
    tag = uuid.uuid4().hex[:8]
    await pool.execute(
        f"CREATE TABLE numbers_{tag} (year int PRIMARY KEY, last int NOT NULL)"
    )
    return YearlyNumbers(f"numbers_{tag}", lambda y, n: f"{tag}x{y}-{n}")


def table(numbers: YearlyNumbers, opened: list[str]) -> CommandTable[Bonus]:
    async def remember(scope: Scope[Command, Bonus], appended: Appended) -> None:
        opened.append(scope.entity_id)

    return CommandTable(
        (
            Row(
                OpenLedger,
                LEDGER,
                open_ledger,
                "Open a ledger under the year's next number.",
                facts=(fact("bonus", _bonus), today()),
                route=LEDGERS.create("open"),
                ids=Numbered(numbers, lambda c: 2024, id_fact="ledger_id"),
                then=remember,
            ),
            Row(
                AddAmount,
                LEDGER,
                add_amount,
                "Add an amount.",
                facts=(fact("bonus", _bonus), entity_id("ledger_id")),
                route=LEDGERS.step("add"),
            ),
            Row(
                CloseLedger,
                LEDGER,
                close_ledger,
                "Close the context's ledger.",
                route=Resource("the-ledger").step("close"),
                ids=FromContext(lambda bonus: bonus.ledger_id),
                not_found="ledger {id} does not exist",
            ),
        )
    )


async def test_a_numbered_row_names_the_new_stream_to_decide_and_then(
    pool: asyncpg.Pool, numbers: YearlyNumbers
) -> None:
    store, opened = EventStore(pool), list[str]()
    commands = table(numbers, opened)
    bonus = Bonus(amount=2, ledger_id="none")

    async def send(command: Command, entity: str | None) -> Appended:
        return await run(
            commands,
            command,
            entity,
            ctx=context(),
            store=store,
            pool=pool,
            context=bonus,
        )

    first = await send(OpenLedger(amount=5), None)
    added = await send(AddAmount(amount=1), LEDGER.entity_id(first.stream))

    new_id = numbers.entity_id(2024, 1)
    assert first.stream == LEDGER.stream_id(new_id)
    assert opened == [new_id]
    events = [
        LEDGER.decode(r.event_type, r.schema_version, r.data)
        for r in await store.load(first.stream)
    ]
    assert events == [
        LedgerOpened(name=new_id),
        AmountAdded(amount=7),
        AmountAdded(amount=3),
    ]
    assert added.version == 3


async def test_a_refusal_names_allowed_commands_by_their_verbs(
    pool: asyncpg.Pool, numbers: YearlyNumbers
) -> None:
    store = EventStore(pool)
    commands = table(numbers, [])
    unopened = f"{uuid.uuid4().hex[:8]}x2024-9"
    bonus = Bonus(amount=0, ledger_id=unopened)

    with pytest.raises(InvalidTransition) as refused:
        await run(
            commands,
            AddAmount(amount=1),
            unopened,
            ctx=context(),
            store=store,
            pool=pool,
            context=bonus,
        )
    with pytest.raises(NotFound, match=f"ledger {unopened} does not exist"):
        await run(
            commands,
            CloseLedger(),
            None,
            ctx=context(),
            store=store,
            pool=pool,
            context=bonus,
        )

    assert (refused.value.current, refused.value.allowed) == ("new", ("open",))
    assert refused.value.detail == f"{unopened} is not open"
