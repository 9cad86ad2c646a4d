"""The event store's guarantees, against a real PostgreSQL."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, date, datetime

import asyncpg
import pytest

from shared.business_date import Backdating
from shared.domain import Event
from shared.errors import (
    ConcurrencyConflict,
    IdempotencyKeyReused,
    NotFound,
    PreconditionFailed,
    RuleViolated,
)
from shared.handling import execute, load, load_as_of
from shared.store import Appended, Cursor, EventMetadata, EventStore
from tests.support import (
    LEDGER,
    AddAmount,
    AmountAdded,
    Ledger,
    LedgerEvent,
    LedgerOpened,
    add_amount,
    context,
    stream,
)

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]

META = EventMetadata(actor="tester", actor_unit="rsj", correlation_id="c-1")


async def test_versions_start_at_one_and_have_no_gaps(pool: asyncpg.Pool) -> None:
    store = EventStore(pool)
    sid = LEDGER.stream_id(stream())

    await store.append(sid, [LedgerOpened(name="a")], expected_version=0, metadata=META)
    await store.append(
        sid,
        [AmountAdded(amount=1), AmountAdded(amount=2)],
        expected_version=1,
        metadata=META,
    )

    assert [r.version for r in await store.load(sid)] == [1, 2, 3]


async def test_a_conflicting_append_raises_and_writes_nothing(
    pool: asyncpg.Pool,
) -> None:
    store = EventStore(pool)
    sid = LEDGER.stream_id(stream())
    await store.append(sid, [LedgerOpened(name="a")], expected_version=0, metadata=META)

    with pytest.raises(ConcurrencyConflict) as refused:
        await store.append(
            sid, [AmountAdded(amount=5)], expected_version=0, metadata=META
        )

    assert refused.value.actual == 1
    assert len(await store.load(sid)) == 1


async def test_concurrent_appends_to_one_stream_let_exactly_one_win(
    pool: asyncpg.Pool,
) -> None:
    store = EventStore(pool)
    sid = LEDGER.stream_id(stream())
    await store.append(sid, [LedgerOpened(name="a")], expected_version=0, metadata=META)

    results = await asyncio.gather(
        *(
            store.append(
                sid, [AmountAdded(amount=i)], expected_version=1, metadata=META
            )
            for i in range(10)
        ),
        return_exceptions=True,
    )

    assert sum(not isinstance(r, Exception) for r in results) == 1
    assert all(
        isinstance(r, ConcurrencyConflict) for r in results if isinstance(r, Exception)
    )
    assert [r.version for r in await store.load(sid)] == [1, 2]


async def test_a_repeated_command_id_returns_the_first_result_and_writes_nothing(
    pool: asyncpg.Pool,
) -> None:
    store = EventStore(pool)
    entity = stream()
    command_id = uuid.uuid4()

    first = await execute(
        store,
        LEDGER,
        entity,
        AddAmount(amount=3),
        add_amount,
        context(command_id=command_id),
    )
    again = await execute(
        store,
        LEDGER,
        entity,
        AddAmount(amount=3),
        add_amount,
        context(command_id=command_id),
    )

    assert again == first
    assert len(await store.load(LEDGER.stream_id(entity))) == 2


def _open_only(ledger: Ledger, command: AddAmount) -> list[LedgerEvent]:
    """Adds only to a ledger not yet opened: refuses every later run."""
    if ledger.is_open:
        raise RuleViolated("already-open", "the ledger is open already")
    return add_amount(ledger, command)


async def test_a_repeat_answers_as_the_first_run_did_after_the_state_moved_on(
    pool: asyncpg.Pool,
) -> None:
    store = EventStore(pool)
    entity = stream()
    command_id = uuid.uuid4()
    first = await execute(
        store,
        LEDGER,
        entity,
        AddAmount(amount=3),
        _open_only,
        context(command_id=command_id),
    )
    await execute(store, LEDGER, entity, AddAmount(amount=4), add_amount, context())

    again = await execute(
        store,
        LEDGER,
        entity,
        AddAmount(amount=3),
        _open_only,
        context(command_id=command_id, expected_version=1),
    )

    assert again == first
    assert len(await store.load(LEDGER.stream_id(entity))) == 3
    with pytest.raises(IdempotencyKeyReused):
        await execute(
            store,
            LEDGER,
            entity,
            AddAmount(amount=5),
            add_amount,
            context(command_id=command_id),
        )


async def test_a_command_on_a_stream_that_must_exist_is_not_found_and_writes_nothing(
    pool: asyncpg.Pool,
) -> None:
    store = EventStore(pool)
    entity = stream()

    with pytest.raises(NotFound, match=f"ledger {entity} is not open"):
        await execute(
            store,
            LEDGER,
            entity,
            AddAmount(amount=3),
            add_amount,
            context(),
            not_found=f"ledger {entity} is not open",
        )

    assert await store.version(LEDGER.stream_id(entity)) == 0


async def test_concurrent_repeats_of_one_command_id_append_once_and_all_get_its_result(
    pool: asyncpg.Pool,
) -> None:
    store = EventStore(pool)
    entity = stream()
    command_id = uuid.uuid4()

    results = await asyncio.gather(
        *(
            execute(
                store,
                LEDGER,
                entity,
                AddAmount(amount=3),
                add_amount,
                context(command_id=command_id),
            )
            for _ in range(20)
        ),
    )

    assert all(r == results[0] for r in results)
    assert len(await store.load(LEDGER.stream_id(entity))) == 2


async def test_a_command_id_reused_for_another_command_is_refused(
    pool: asyncpg.Pool,
) -> None:
    store = EventStore(pool)
    entity = stream()
    command_id = uuid.uuid4()
    await execute(
        store,
        LEDGER,
        entity,
        AddAmount(amount=3),
        add_amount,
        context(command_id=command_id),
    )

    with pytest.raises(IdempotencyKeyReused):
        await execute(
            store,
            LEDGER,
            entity,
            AddAmount(amount=4),
            add_amount,
            context(command_id=command_id),
        )

    assert len(await store.load(LEDGER.stream_id(entity))) == 2


async def test_a_stale_if_match_is_a_failed_precondition_and_writes_nothing(
    pool: asyncpg.Pool,
) -> None:
    store = EventStore(pool)
    entity = stream()
    await execute(store, LEDGER, entity, AddAmount(amount=1), add_amount, context())

    with pytest.raises(PreconditionFailed):
        await execute(
            store,
            LEDGER,
            entity,
            AddAmount(amount=1),
            add_amount,
            context(expected_version=1),
        )

    assert len(await store.load(LEDGER.stream_id(entity))) == 2


async def test_the_database_refuses_update_delete_and_truncate_of_events(
    pool: asyncpg.Pool,
) -> None:
    store = EventStore(pool)
    sid = LEDGER.stream_id(stream())
    await store.append(sid, [LedgerOpened(name="a")], expected_version=0, metadata=META)

    for statement in (
        "UPDATE events SET data = '{}'::jsonb WHERE stream_id = $1",
        "DELETE FROM events WHERE stream_id = $1",
    ):
        with pytest.raises(asyncpg.InsufficientPrivilegeError):
            await pool.execute(statement, sid)
    with pytest.raises(asyncpg.InsufficientPrivilegeError):
        await pool.execute("TRUNCATE events CASCADE")

    assert len(await store.load(sid)) == 1


async def test_a_reader_never_skips_an_event_committed_late(pool: asyncpg.Pool) -> None:
    store = EventStore(pool)
    start = await _tail_cursor(store)
    slow_stream, fast_stream = LEDGER.stream_id(stream()), LEDGER.stream_id(stream())
    async with pool.acquire() as slow:
        transaction = slow.transaction()
        await transaction.start()
        # The slow writer takes the lower position but commits after the fast one.
        await slow.execute("SELECT pg_current_xact_id()")
        await store._insert(
            slow, slow_stream, [LedgerOpened(name="slow")], 0, "0" * 64, META
        )
        await store.append(
            fast_stream, [LedgerOpened(name="fast")], expected_version=0, metadata=META
        )

        seen_while_open = await store.read_all(start)

        await transaction.commit()
    seen_after = await store.read_all(start)

    assert [r.stream_id for r in seen_while_open] == []
    assert [r.stream_id for r in seen_after] == [slow_stream, fast_stream]


async def test_concurrent_writers_and_a_tailing_reader_see_every_event_once_in_order(
    pool: asyncpg.Pool,
) -> None:
    store = EventStore(pool)
    cursor = await _tail_cursor(store)
    writers, per_writer = 8, 40
    streams: list[str] = []
    seen: list[int] = []
    cursors: list[Cursor] = []
    done = asyncio.Event()

    async def write(n: int) -> None:
        for i in range(per_writer):
            entity = f"w{n}-{i}-{uuid.uuid4().hex[:6]}"
            await execute(
                store, LEDGER, entity, AddAmount(amount=1), add_amount, context()
            )
            streams.append(LEDGER.stream_id(entity))

    async def tail() -> None:
        nonlocal cursor
        while True:
            is_last_round = done.is_set()
            for record in await store.read_all(cursor, limit=50):
                seen.append(record.position)
                cursor = Cursor(record.txid, record.position)
                cursors.append(cursor)
            if is_last_round:
                return
            await asyncio.sleep(0)

    reader = asyncio.create_task(tail())
    await asyncio.gather(*(write(n) for n in range(writers)))
    done.set()
    await reader
    rows = await pool.fetch(
        "SELECT position FROM events WHERE stream_id = ANY($1::text[])", streams
    )
    written = {r["position"] for r in rows}

    assert len(seen) == len(set(seen)), "an event was read twice"
    assert len(written) == writers * per_writer * 2
    assert set(seen) == written, "an event was skipped"
    assert cursors == sorted(cursors), "the reader went backwards"


async def test_state_can_be_rebuilt_as_it_was_at_a_past_time(
    pool: asyncpg.Pool,
) -> None:
    store = EventStore(pool)
    entity = stream()
    await execute(store, LEDGER, entity, AddAmount(amount=2), add_amount, context())
    between = datetime.now(UTC)
    await asyncio.sleep(0.01)
    await execute(store, LEDGER, entity, AddAmount(amount=5), add_amount, context())

    past, past_version = await load_as_of(store, LEDGER, entity, between)
    now, version = await load(store, LEDGER, entity)

    assert (past.total, past_version) == (2, 2)
    assert (now.total, version) == (7, 3)


async def _tail_cursor(store: EventStore) -> Cursor:
    cursor = Cursor()
    while batch := await store.read_all(cursor, limit=10_000):
        cursor = Cursor(batch[-1].txid, batch[-1].position)
    return cursor


async def test_concurrent_commands_on_one_stream_let_one_win_and_the_others_write_nothing(
    pool: asyncpg.Pool,
) -> None:
    store = EventStore(pool)
    entity = stream()
    await execute(store, LEDGER, entity, AddAmount(amount=1), add_amount, context())

    results = await asyncio.gather(
        *(
            execute(
                store, LEDGER, entity, AddAmount(amount=i + 1), add_amount, context()
            )
            for i in range(8)
        ),
        return_exceptions=True,
    )

    winners = [r for r in results if not isinstance(r, BaseException)]
    assert winners
    assert all(
        isinstance(r, ConcurrencyConflict)
        for r in results
        if isinstance(r, BaseException)
    )
    versions = [r.version for r in await store.load(LEDGER.stream_id(entity))]
    assert versions == list(range(1, len(versions) + 1))
    assert len(versions) == 2 + len(winners)


async def test_a_command_that_decides_nothing_is_still_remembered_by_its_id(
    pool: asyncpg.Pool,
) -> None:
    store = EventStore(pool)
    sid = LEDGER.stream_id(stream())
    command_id = uuid.uuid4()
    meta = EventMetadata(
        actor="t", actor_unit="rsj", correlation_id="c", command_id=command_id
    )

    first = await store.append(
        sid,
        [],
        expected_version=0,
        metadata=meta,
        command_digest="d",
        prevhash="0" * 64,
    )
    again = await store.append(
        sid,
        [],
        expected_version=0,
        metadata=meta,
        command_digest="d",
        prevhash="0" * 64,
    )

    assert first == again == Appended(stream=sid, version=0, position=None)
    with pytest.raises(IdempotencyKeyReused):
        await store.append(
            sid,
            [],
            expected_version=0,
            metadata=meta,
            command_digest="other",
            prevhash="0" * 64,
        )


async def test_a_long_stream_loads_from_its_snapshot_and_the_events_after_it(
    pool: asyncpg.Pool,
) -> None:
    store = EventStore(pool)
    entity = stream()
    stream_id = LEDGER.stream_id(entity)
    for _ in range(60):
        await execute(store, LEDGER, entity, AddAmount(amount=2), add_amount, context())
    fingerprint = LEDGER.fingerprint
    assert fingerprint is not None

    # The commands replayed at most 50 events each time: the one that replayed more
    # (the 52nd, over 51 events) kept a snapshot, and later loads start from it.
    snapshot, after = await store.load_latest(stream_id, fingerprint)
    assert snapshot is not None
    assert snapshot.version + len(after) == 61
    state, version = await load(store, LEDGER, entity)
    replayed = LEDGER.replay(
        LEDGER.decode(r.event_type, r.schema_version, r.data)
        for r in await store.load(stream_id)
    )
    assert (state, version) == (replayed, 61)

    # A snapshot of another shape is not used; appending after a snapshot keeps the
    # hash chain (the next command chains to the snapshot's last event).
    ignored, everything = await store.load_latest(stream_id, "another-shape")
    assert ignored is None
    assert len(everything) == 61
    await execute(store, LEDGER, entity, AddAmount(amount=2), add_amount, context())
    records = await store.load(stream_id)
    assert records[-1].prevhash == records[-2].hash


class PaymentDue(Event):
    """An event its data dates (`due_on`): the store marks it back-dated or not."""

    due_on: date


@pytest.mark.parametrize("one_statement", [False, True])
async def test_an_event_recorded_more_than_the_setting_after_its_date_is_backdated(
    pool: asyncpg.Pool, one_statement: bool
) -> None:
    # 2026-12-06 00:30 in Shanghai: still 2026-12-05 in UTC.
    moment = datetime(2026, 12, 5, 16, 30, tzinfo=UTC)
    rule = Backdating.of(timezone="Asia/Shanghai", after_days=7)
    store = EventStore(pool, clock=lambda: moment, backdating=rule)
    sid = LEDGER.stream_id(stream())
    head = await store.append(
        sid, [LedgerOpened(name="a")], expected_version=0, metadata=META
    )
    prevhash = (await store.load(sid))[-1].hash if one_statement else None

    await store.append(
        sid,
        [PaymentDue(due_on=date(2026, 11, 28)), PaymentDue(due_on=date(2026, 11, 29))],
        expected_version=head.version,
        metadata=META,
        prevhash=prevhash,
    )

    assert [(r.business_date, r.is_backdated) for r in await store.history(sid)] == [
        (None, False),
        (date(2026, 11, 28), True),
        (date(2026, 11, 29), False),
    ]
