"""Our kernel on the same server: commands through execute(), the log read as records,
as envelope objects and as envelope JSON built by PostgreSQL, aggregates loaded by id."""

from __future__ import annotations

import asyncio
import uuid

from shared.chain import GENESIS
from shared.envelope import envelope_of
from shared.handling import execute, load
from shared.log_json import log_pages
from shared.store import Cursor, EventMetadata, EventStore
from tests.support import (
    LEDGER,
    AddAmount,
    AmountAdded,
    LedgerEvent,
    LedgerOpened,
    add_amount,
)
from tests.support import context as command_context

SOURCE = "/qingqian/bench/bench"
_PAGE = 5000
# The most events one append writes while filling long streams.
_CHUNK = 500
_METADATA = EventMetadata(actor="bench", actor_unit="rsj", correlation_id="bench")


async def commands(store: EventStore, ids: list[str], *, tasks: int) -> int:
    """One command per ledger, as the peer runs its commands: load the ledger (one
    event), decide, append one event with expected version and hash chain; `tasks`
    at once, each on its own ledgers."""

    async def one(group: list[str]) -> None:
        for entity_id in group:
            await execute(
                store,
                LEDGER,
                entity_id,
                AddAmount(amount=1),
                add_amount,
                command_context(),
            )

    await asyncio.gather(*(one(ids[n::tasks]) for n in range(tasks)))
    return len(ids)


async def read_records(store: EventStore) -> int:
    """The whole log in commit order, in pages."""
    count, cursor = 0, Cursor()
    while batch := await store.read_all(cursor, limit=_PAGE):
        count += len(batch)
        cursor = Cursor(batch[-1].txid, batch[-1].position)
    return count


async def read_envelopes(store: EventStore) -> int:
    """The whole log in commit order, each record made a CloudEvents envelope."""
    count, cursor = 0, Cursor()
    while batch := await store.read_all(cursor, limit=_PAGE):
        for record in batch:
            envelope_of(record, source=SOURCE, service="bench")
        count += len(batch)
        cursor = Cursor(batch[-1].txid, batch[-1].position)
    return count


async def read_envelope_json(store: EventStore) -> int:
    """The whole log in commit order as envelope JSON built by PostgreSQL (the audit
    and export path): every page's bytes read, the envelopes counted."""
    count = 0
    async for lines in log_pages(
        store.pool, source=SOURCE, service="bench", page=_PAGE
    ):
        count += lines.count(b"\n")
    return count


async def fill_ledgers(store: EventStore, *, streams: int, events: int) -> list[str]:
    """`streams` new ledgers of `events` events each (appended in large batches, eight
    at a time); returns their ids."""
    ids = [uuid.uuid4().hex[:12] for _ in range(streams)]

    async def fill(entity_ids: list[str]) -> None:
        for entity_id in entity_ids:
            history: list[LedgerEvent] = [LedgerOpened(name="bench")]
            history += [AmountAdded(amount=n) for n in range(1, events)]
            stream_id = LEDGER.stream_id(entity_id)
            for start in range(0, events, _CHUNK):
                await store.append(
                    stream_id,
                    history[start : start + _CHUNK],
                    expected_version=start,
                    metadata=_METADATA,
                    prevhash=GENESIS if start == 0 else None,
                )

    await asyncio.gather(*(fill(ids[n::8]) for n in range(8)))
    return ids


async def load_aggregates(store: EventStore, entity_ids: list[str]) -> int:
    """Each ledger's state by id as commands load it (its snapshot if the kernel kept
    one, the events after it, upcast and replayed), one after another."""
    for entity_id in entity_ids:
        await load(store, LEDGER, entity_id)
    return len(entity_ids)
