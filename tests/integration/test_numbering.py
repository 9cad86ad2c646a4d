"""Opening a stream under the next yearly number: one transaction, no gaps, and a
repeat of a command id that waits for the first run instead of being called a reuse."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable, Sequence

import asyncpg
import pytest
import pytest_asyncio

from shared.auth import Actor
from shared.domain import Role
from shared.errors import (
    ConcurrencyConflict,
    IdempotencyKeyReused,
    NotPermitted,
    RuleViolated,
)
from shared.handling import CommandContext
from shared.numbering import YearlyNumbers, execute_numbered
from shared.store import Appended, EventMetadata, EventStore
from tests.support import (
    LEDGER,
    AddAmount,
    Ledger,
    LedgerEvent,
    LedgerOpened,
    add_amount,
    context,
)

pytestmark = [
    pytest.mark.integration,
    pytest.mark.asyncio(loop_scope="session"),
    pytest.mark.timeout(60),
]

YEAR = 2024
Decide = Callable[[Ledger, AddAmount], Sequence[LedgerEvent]]


@pytest_asyncio.fixture(loop_scope="session")
async def numbers(pool: asyncpg.Pool) -> YearlyNumbers:
    """A counter table of this test's own; its entity ids name it, so streams are too."""
    tag = uuid.uuid4().hex[:8]
    table = f"numbers_{tag}"
    await pool.execute(
        f"CREATE TABLE {table} (year int PRIMARY KEY, last int NOT NULL)"
    )
    return YearlyNumbers(table=table, entity_id=lambda y, n: f"{tag}x{y}-{n}")


def always(decide: Decide) -> Callable[[str], Decide]:
    """A decide function that needs no entity id."""
    return lambda _entity_id: decide


async def open_ledger(
    store: EventStore,
    numbers: YearlyNumbers,
    amount: int,
    ctx: CommandContext,
    decide: Decide = add_amount,
) -> Appended:
    return await execute_numbered(
        store,
        LEDGER,
        AddAmount(amount=amount),
        always(decide),
        ctx,
        numbers=numbers,
        year=YEAR,
    )


async def last_number(pool: asyncpg.Pool, numbers: YearlyNumbers) -> int:
    """The year's last number handed out (0 when none was)."""
    value = await pool.fetchval(
        f"SELECT coalesce(max(last), 0) FROM {numbers.table} WHERE year = $1",
        YEAR,
    )
    return int(value)


async def streams_opened(pool: asyncpg.Pool, numbers: YearlyNumbers) -> list[str]:
    """The streams with events under this counter's entity ids, by number."""
    prefix = LEDGER.stream_id(numbers.entity_id(YEAR, 0)).removesuffix("0")
    rows = await pool.fetch(
        "SELECT DISTINCT stream_id FROM events WHERE stream_id LIKE $1 || '%'", prefix
    )
    return sorted((r["stream_id"] for r in rows), key=lambda s: int(s.rsplit("-")[-1]))


def numbered(numbers: YearlyNumbers, *taken: int) -> list[str]:
    return [LEDGER.stream_id(numbers.entity_id(YEAR, n)) for n in taken]


async def test_concurrent_repeats_of_a_command_id_all_get_the_first_result(
    pool: asyncpg.Pool, numbers: YearlyNumbers
) -> None:
    store = EventStore(pool)
    ctx = context(command_id=uuid.uuid4())

    results = await asyncio.gather(
        *(open_ledger(store, numbers, 5, ctx) for _ in range(50))
    )

    assert all(r == results[0] for r in results)
    assert results[0].stream == numbered(numbers, 1)[0]
    assert results[0].version == 2
    assert await streams_opened(pool, numbers) == numbered(numbers, 1)
    assert await last_number(pool, numbers) == 1


async def test_concurrent_commands_take_every_number_once_without_gaps(
    pool: asyncpg.Pool, numbers: YearlyNumbers
) -> None:
    store = EventStore(pool)

    results = await asyncio.gather(
        *(
            open_ledger(store, numbers, 1, context(command_id=uuid.uuid4()))
            for _ in range(50)
        )
    )

    assert sorted(r.stream for r in results) == sorted(numbered(numbers, *range(1, 51)))
    assert await last_number(pool, numbers) == 50


async def test_a_refused_command_gives_its_number_back(
    pool: asyncpg.Pool, numbers: YearlyNumbers
) -> None:
    store = EventStore(pool)
    await open_ledger(store, numbers, 1, context())
    key = uuid.uuid4()

    with pytest.raises(RuleViolated):
        await open_ledger(store, numbers, 0, context(command_id=key))

    assert await last_number(pool, numbers) == 1
    assert await store.command_stream(key) is None
    second = await open_ledger(store, numbers, 2, context())
    assert second.stream == numbered(numbers, 2)[0]


async def test_a_command_that_fails_after_taking_its_number_gives_it_back(
    pool: asyncpg.Pool, numbers: YearlyNumbers
) -> None:
    store = EventStore(pool)

    def broken(ledger: Ledger, command: AddAmount) -> list[LedgerEvent]:
        raise RuntimeError("a bug in the decide function")

    with pytest.raises(RuntimeError):
        await open_ledger(store, numbers, 1, context(), decide=broken)

    assert await last_number(pool, numbers) == 0
    first = await open_ledger(store, numbers, 1, context())
    assert first.stream == numbered(numbers, 1)[0]


async def test_a_number_whose_stream_has_events_is_a_conflict_and_is_given_back(
    pool: asyncpg.Pool, numbers: YearlyNumbers
) -> None:
    store = EventStore(pool)
    # Someone wrote under number 1 without the counter: the append must refuse, and the
    # transaction must survive the refused statement to say which version it found.
    (taken,) = numbered(numbers, 1)
    meta = EventMetadata(actor="t", actor_unit="rsj", correlation_id="c")
    await store.append(
        taken, [LedgerOpened(name="x")], expected_version=0, metadata=meta
    )
    key = uuid.uuid4()

    with pytest.raises(ConcurrencyConflict) as refused:
        await open_ledger(store, numbers, 1, context(command_id=key))

    assert refused.value.actual == 1
    assert await last_number(pool, numbers) == 0
    assert await store.command_stream(key) is None
    assert await store.version(taken) == 1


async def test_a_repeat_after_the_first_run_returns_its_result_and_takes_no_number(
    pool: asyncpg.Pool, numbers: YearlyNumbers
) -> None:
    store = EventStore(pool)
    key = uuid.uuid4()
    first = await open_ledger(store, numbers, 3, context(command_id=key))

    again = await open_ledger(store, numbers, 3, context(command_id=key))

    assert again == first
    assert await last_number(pool, numbers) == 1


async def test_a_command_id_reused_for_another_command_is_refused_and_takes_no_number(
    pool: asyncpg.Pool, numbers: YearlyNumbers
) -> None:
    store = EventStore(pool)
    key = uuid.uuid4()
    await open_ledger(store, numbers, 3, context(command_id=key))

    with pytest.raises(IdempotencyKeyReused):
        await open_ledger(store, numbers, 4, context(command_id=key))

    assert await last_number(pool, numbers) == 1
    assert await streams_opened(pool, numbers) == numbered(numbers, 1)


async def test_concurrent_runs_of_one_key_with_different_commands_open_one_stream(
    pool: asyncpg.Pool, numbers: YearlyNumbers
) -> None:
    store = EventStore(pool)
    ctx = context(command_id=uuid.uuid4())

    results = await asyncio.gather(
        *(open_ledger(store, numbers, 1 + i % 2, ctx) for i in range(20)),
        return_exceptions=True,
    )

    opened = [r for r in results if isinstance(r, Appended)]
    assert opened
    assert all(r == opened[0] for r in opened)
    assert all(isinstance(r, IdempotencyKeyReused) for r in results if r not in opened)
    assert await last_number(pool, numbers) == 1


async def test_an_actor_without_the_role_is_refused_before_a_number_is_taken(
    pool: asyncpg.Pool, numbers: YearlyNumbers
) -> None:
    store = EventStore(pool)
    staff = Actor(person="s", unit="jsj", roles=frozenset({Role.UNIT_STAFF}))

    with pytest.raises(NotPermitted):
        await open_ledger(store, numbers, 1, context(actor=staff))

    assert await last_number(pool, numbers) == 0
