"""The envelope is written twice: in Python (`shared.envelope`, what the relay
publishes) and by PostgreSQL (`shared.log_json`, `GET /events` and the export). For
every event type of every service (each aggregate its domain declares), both give the
same bytes, against a real PostgreSQL whose sessions are not in UTC."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import replace
from datetime import UTC, datetime
from functools import partial

import asyncpg
import pytest
import pytest_asyncio

from qingqian_local.contracts import SERVICES
from shared.business_date import Backdating
from shared.domain import Aggregate, Event
from shared.envelope import envelope_json, envelope_of
from shared.key_wrapping import Kek, Keyring
from shared.log_json import log_pages, published_lines
from shared.personal_data import PersonalVault
from shared.store import EventMetadata, EventStore
from tests.event_samples import AWKWARD, event_types, sample
from tests.support import sequence_all

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]

SOURCE = '/qingqian/"城东"/test'
# A full sample at a moment with a fraction of a second and a causation id, back-dated
# when it has a business date (the samples' dates are years before); a sparse one on the
# second, without, under a rule that finds its date recent enough.
FULL_AT = datetime(2026, 11, 29, 20, 40, 36, 123450, tzinfo=UTC)
SPARSE_AT = datetime(2026, 11, 29, 13, 40, 36, tzinfo=UTC)
PATIENT = Backdating(after_days=3660)
EVENT_TYPES = [
    (service, a, cls) for service in SERVICES for a, cls in event_types(service)
]

# (what Python writes, what PostgreSQL writes) for one event
Pair = tuple[bytes, bytes]
# (service, event type) -> its samples' pairs
Rendered = dict[tuple[str, str], list[Pair]]


def _at(moment: datetime) -> datetime:
    return moment


async def append_samples(
    vault: PersonalVault, aggregate: Aggregate[object, Event], cls: type[Event]
) -> str:
    """One stream holding a full and a sparse sample of `cls` (personal data sealed,
    as the services store it); its id."""
    stream_id = aggregate.stream_id(f"{cls.__name__.lower()}-{uuid.uuid4().hex[:8]}")
    for version, (moment, full, causation_id, rule) in enumerate(
        (
            (FULL_AT, True, f"因为 {AWKWARD}", Backdating()),
            (SPARSE_AT, False, None, PATIENT),
        )
    ):
        store = EventStore(
            vault.pool, clock=partial(_at, moment), vault=vault, backdating=rule
        )
        metadata = EventMetadata(
            actor=f'张三 "x" {cls.__name__}',
            actor_unit="rsj",
            correlation_id=f"corr\n{version}",
            causation_id=causation_id,
        )
        await store.append(
            stream_id,
            [sample(cls, full=full)],
            expected_version=version,
            metadata=metadata,
        )
    return stream_id


def _lines(lines: bytes) -> list[bytes]:
    return lines.splitlines()


async def render(
    pool: asyncpg.Pool, shanghai: asyncpg.Pool, service: str
) -> dict[str, list[Pair]]:
    """Every event of the log, as `service` writes it, rendered both ways: in the
    published order (with its sequence) and in the whole log (without), by stream.
    PostgreSQL renders in sessions whose TimeZone is not UTC: the JSON must not depend
    on it."""
    records = await EventStore(pool).read_sequenced(0, limit=100_000)
    published = await published_lines(
        shanghai, source=SOURCE, service=service, limit=100_000
    )
    pages = [
        page
        async for page in log_pages(shanghai, source=SOURCE, service=service, page=50)
    ]
    # Nothing is appended while this reads: commit order is position order here.
    in_log = dict(
        zip(sorted(r.position for r in records), _lines(b"".join(pages)), strict=True)
    )
    by_stream: dict[str, list[Pair]] = {}
    for record, line in zip(records, _lines(published), strict=True):
        unnumbered = replace(record, sequence=None)
        by_stream.setdefault(record.stream_id, []).extend(
            [
                (envelope_json(record, source=SOURCE, service=service), line),
                (envelope_of(record, source=SOURCE, service=service).to_json(), line),
                (
                    envelope_json(unnumbered, source=SOURCE, service=service),
                    in_log[record.position],
                ),
            ]
        )
    return by_stream


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def rendered(pool: asyncpg.Pool, database_url: str) -> AsyncIterator[Rendered]:
    """Samples of every event type appended and numbered once for the module."""
    vault = PersonalVault(pool, Keyring(Kek.generate()))
    streams = {
        (service, cls.__name__): await append_samples(vault, aggregate, cls)
        for service, aggregate, cls in EVENT_TYPES
    }
    await sequence_all(pool)
    shanghai = await asyncpg.create_pool(
        database_url,
        min_size=1,
        max_size=2,
        server_settings={"TimeZone": "Asia/Shanghai"},
    )
    try:
        by_service = {
            service: await render(pool, shanghai, service) for service in SERVICES
        }
    finally:
        await shanghai.close()
    yield {key: by_service[key[0]][stream] for key, stream in streams.items()}


@pytest.mark.parametrize(
    ("service", "event_type"),
    [(service, cls.__name__) for service, _, cls in EVENT_TYPES],
)
async def test_postgresql_writes_the_envelope_python_writes_byte_for_byte(
    rendered: Rendered, service: str, event_type: str
) -> None:
    pairs = rendered[(service, event_type)]

    # full and sparse; published (from the columns and from the model), in the log
    assert len(pairs) == 6
    for python, sql in pairs:
        assert sql == python


async def test_the_samples_hold_backdated_dated_and_undated_events(
    rendered: Rendered,
) -> None:
    """The attributes outside the hash are compared in each of their forms: a
    back-dated event, a dated one recorded in time, one without a business date."""
    lines = [python for pairs in rendered.values() for python, _ in pairs]

    backdated = [x for x in lines if b',"backdated":true,' in x]
    in_time = [x for x in lines if b'"businessdate"' in x and b'"backdated"' not in x]
    undated = [x for x in lines if b'"businessdate"' not in x]

    assert backdated
    assert in_time
    assert undated
    assert all(b'"businessdate":"2024-02-29"' in x for x in backdated + in_time)


async def test_the_registry_walked_holds_every_event_class_of_the_services() -> None:
    """Every event class a service defines is in one of its aggregates (so is
    compared above), and every service has some (a moved domain module would
    otherwise leave nothing to compare)."""
    walked = {cls for _, _, cls in EVENT_TYPES}

    assert walked == set(defined_event_classes("services."))
    assert {service for service, _, _ in EVENT_TYPES} == set(SERVICES)


def defined_event_classes(prefix: str) -> Iterator[type[Event]]:
    """The event classes defined in modules under `prefix` (imported already)."""
    found: list[type[Event]] = [Event]
    while found:
        for cls in found.pop().__subclasses__():
            found.append(cls)
            if cls.__module__.startswith(prefix):
                yield cls
