"""The peer: the `eventsourcing` library with its PostgreSQL persistence, on the same
server in its own database. Its API is synchronous: each measurement runs in worker
threads (asyncio.to_thread) so the event loop stays free."""

from __future__ import annotations

import asyncio
from urllib.parse import parse_qs, urlsplit
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, event

from bench.sizes import Sizes
from bench.timing import Figures, rate, record
from qingqian_local.embedded import ensure_database

_PAGE = 5000
_SAVE_BATCH = 200


class Ledger(Aggregate):
    """The peer's ledger: opened, then amounts added (as tests.support.LEDGER)."""

    def __init__(self) -> None:
        self.total = 0

    @event("Added")
    def add(self, amount: int) -> None:
        """Add an amount to the total."""
        self.total += amount


class Ledgers(Application[UUID]):
    """The peer's application: ledgers kept by `eventsourcing.postgres`."""


def peer_env(database_url: str) -> dict[str, str]:
    """The library's settings for a database given as a libpq URL (host may be a
    socket folder, as the embedded server's is)."""
    parts = urlsplit(database_url)
    host = parse_qs(parts.query).get("host", [parts.hostname or "localhost"])[0]
    return {
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "POSTGRES_DBNAME": parts.path.lstrip("/"),
        "POSTGRES_HOST": host,
        "POSTGRES_PORT": str(parts.port or 5432),
        "POSTGRES_USER": parts.username or "postgres",
        "POSTGRES_PASSWORD": parts.password or "",
        "POSTGRES_POOL_SIZE": "8",
    }


def create(app: Ledgers, *, count: int, events: int) -> list[UUID]:
    """`count` new ledgers of `events` events each, saved many at a time."""
    ids: list[UUID] = []
    for start in range(0, count, _SAVE_BATCH):
        ledgers = [Ledger() for _ in range(min(_SAVE_BATCH, count - start))]
        for ledger in ledgers:
            for amount in range(1, events):
                ledger.add(amount)
        app.save(*ledgers)
        ids += [ledger.id for ledger in ledgers]
    return ids


def commands(app: Ledgers, ids: list[UUID]) -> int:
    """One command per ledger: get it (load), add an amount, save."""
    for ledger_id in ids:
        ledger: Ledger = app.repository.get(ledger_id)
        ledger.add(1)
        app.save(ledger)
    return len(ids)


def read_log(app: Ledgers) -> int:
    """Every notification in order, in pages, each decoded to its domain event."""
    count, start = 0, 1
    while page := app.recorder.select_notifications(start, _PAGE):
        for notification in page:
            app.mapper.to_domain_event(notification)
        count += len(page)
        start = page[-1].id + 1
    return count


def reconstruct(app: Ledgers, ids: list[UUID]) -> int:
    """Each ledger rebuilt from its events by id, one after another."""
    for ledger_id in ids:
        app.repository.get(ledger_id)
    return len(ids)


async def _in_threads(app: Ledgers, groups: list[list[UUID]]) -> int:
    done = await asyncio.gather(
        *(asyncio.to_thread(commands, app, ids) for ids in groups)
    )
    return sum(done)


async def _repetition(app: Ledgers, ten: list[UUID], sizes: Sizes) -> dict[str, float]:
    one = await asyncio.to_thread(create, app, count=2 * sizes.commits, events=1)
    four = await asyncio.to_thread(create, app, count=4 * sizes.commits, events=1)
    groups = [four[n::4] for n in range(4)]
    return {
        "peer commands/s, 1 thread": await rate(
            lambda: asyncio.to_thread(commands, app, one)
        ),
        "peer commands/s, 4 threads": await rate(lambda: _in_threads(app, groups)),
        "peer read log decoded events/s": await rate(
            lambda: asyncio.to_thread(read_log, app)
        ),
        "peer reconstruct 10-event aggregates/s": await rate(
            lambda: asyncio.to_thread(reconstruct, app, ten)
        ),
    }


async def measure_peer(server_url: str, sizes: Sizes) -> Figures:
    """Commands on 1 and 4 threads, the log read decoded, ten-event ledgers rebuilt."""
    url = await ensure_database(server_url, "bench_peer")
    app = Ledgers(env=peer_env(url))
    figures: Figures = {}
    try:
        ten = await asyncio.to_thread(create, app, count=sizes.streams, events=10)
        for _ in range(sizes.repetitions):
            record(figures, await _repetition(app, ten, sizes))
    finally:
        await asyncio.to_thread(app.close)
    return figures
