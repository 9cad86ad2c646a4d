"""Personal data that can be forgotten: sealed in the log, revealed on read, shredded by
deleting the person's key, while the hash chain still verifies."""

from __future__ import annotations

import asyncio
import uuid

import asyncpg
import pytest
from pydantic import BaseModel, ConfigDict

from shared.chain import event_hash
from shared.domain import Event, Personal
from shared.errors import RuleViolated
from shared.key_wrapping import Kek, Keyring
from shared.personal_data import PersonalVault
from shared.store import EventMetadata, EventStore, Recorded
from shared.verify import verify
from tests.support import eventually, run_trust, stream

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]

KEYRING = Keyring(Kek.generate())
SEALED_KEYS = {"kind", "subject", "ciphertext", "nonce", "value"}


class Worker(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    id_number: Personal
    phone: Personal


class WorkersRecorded(Event):
    note: str
    workers: tuple[Worker, ...]


def meta(command_id: uuid.UUID | None = None) -> EventMetadata:
    return EventMetadata(
        actor="tester", actor_unit="rsj", correlation_id="c-1", command_id=command_id
    )


def id_number() -> str:
    return str(uuid.uuid4().int)[:17] + "X"


def phone() -> str:
    return "139" + str(uuid.uuid4().int)[:8]


def worker(subject: str, id_no: str, mobile: str) -> Worker:
    return Worker(
        id_number=Personal(subject=subject, value=id_no),
        phone=Personal(subject=subject, value=mobile),
    )


async def record(
    store: EventStore, *workers: Worker, command_id: uuid.UUID | None = None
) -> Recorded:
    sid = f"case-{stream()}"
    event = WorkersRecorded(note="arrears", workers=workers)
    await store.append(sid, [event], expected_version=0, metadata=meta(command_id))
    (recorded,) = await store.load(sid)
    return recorded


async def keys_of(pool: asyncpg.Pool, subject: str) -> int:
    return int(
        await pool.fetchval(
            "SELECT count(*) FROM personal_keys WHERE subject = $1", subject
        )
    )


async def tables_holding(pool: asyncpg.Pool, text: str) -> list[str]:
    """Every table of the database with a row whose text form contains `text`."""
    names = await pool.fetch(
        "SELECT table_name FROM information_schema.tables"
        " WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
    )
    found = []
    for row in names:
        name = row["table_name"]
        count = await pool.fetchval(
            f'SELECT count(*) FROM "{name}" t WHERE t::text LIKE $1', f"%{text}%"
        )
        if count:
            found.append(name)
    return found


def vault_store(pool: asyncpg.Pool) -> tuple[PersonalVault, EventStore]:
    vault = PersonalVault(pool, KEYRING)
    return vault, EventStore(pool, vault=vault)


async def test_stored_events_hold_ciphertext_and_no_clear_text(
    pool: asyncpg.Pool,
) -> None:
    _, store = vault_store(pool)
    id_no, mobile = id_number(), phone()

    recorded = await record(store, worker(str(uuid.uuid4()), id_no, mobile))

    item = recorded.data["workers"][0]["id_number"]
    assert set(item) == SEALED_KEYS
    assert item["value"] is None
    assert item["ciphertext"]
    assert item["nonce"]
    for text in (id_no, mobile):
        assert await tables_holding(pool, text) == []


async def test_reveal_returns_the_clear_text(pool: asyncpg.Pool) -> None:
    vault, store = vault_store(pool)
    id_no, mobile = id_number(), phone()
    recorded = await record(store, worker(str(uuid.uuid4()), id_no, mobile))

    revealed = WorkersRecorded.model_validate(await vault.reveal(recorded.data))

    assert revealed.workers[0].id_number.value == id_no
    assert revealed.workers[0].phone.value == mobile
    assert not revealed.workers[0].id_number.is_forgotten


async def test_after_forget_the_data_reads_as_forgotten_and_is_nowhere_in_clear(
    pool: asyncpg.Pool,
) -> None:
    vault, store = vault_store(pool)
    forgotten, kept = str(uuid.uuid4()), str(uuid.uuid4())
    id_no, mobile = id_number(), phone()
    recorded = await record(
        store, worker(forgotten, id_no, mobile), worker(kept, id_number(), phone())
    )

    was_deleted = await vault.forget(forgotten, "the worker asked to be forgotten")

    revealed = WorkersRecorded.model_validate(await vault.reveal(recorded.data))
    assert was_deleted
    assert revealed.workers[0].id_number.value is None
    assert revealed.workers[0].id_number.is_forgotten
    assert revealed.workers[0].phone.is_forgotten
    assert revealed.workers[1].id_number.value is not None
    assert await vault.is_forgotten(forgotten)
    assert not await vault.is_forgotten(kept)
    assert await keys_of(pool, forgotten) == 0
    for text in (id_no, mobile):
        assert await tables_holding(pool, text) == []


async def test_forgetting_twice_deletes_no_second_key(pool: asyncpg.Pool) -> None:
    vault, store = vault_store(pool)
    subject = str(uuid.uuid4())
    await record(store, worker(subject, id_number(), phone()))
    await vault.forget(subject, "request")

    assert not await vault.forget(subject, "request again")


async def test_the_log_still_verifies_after_a_forget(
    fresh_pool: asyncpg.Pool,
) -> None:
    vault, store = vault_store(fresh_pool)
    subject = str(uuid.uuid4())
    await record(store, worker(subject, id_number(), phone()))
    await record(store, worker(subject, id_number(), phone()))

    await vault.forget(subject, "request")

    report = await verify(fresh_pool, trust=run_trust())
    assert report.intact, report.problems
    assert report.events_checked == 2


async def test_sealing_for_a_forgotten_subject_is_refused_and_writes_nothing(
    pool: asyncpg.Pool,
) -> None:
    vault, store = vault_store(pool)
    subject = str(uuid.uuid4())
    await vault.forget(subject, "request")
    command_id = uuid.uuid4()

    refused_worker = worker(subject, id_number(), phone())

    with pytest.raises(RuleViolated) as refused:
        await record(store, refused_worker, command_id=command_id)

    assert refused.value.code == "subject-forgotten"
    commands = "SELECT count(*) FROM commands WHERE command_id = $1"
    assert await pool.fetchval(commands, command_id) == 0
    assert await tables_holding(pool, subject) == ["forgotten_subjects"]
    assert await keys_of(pool, subject) == 0


async def test_all_values_of_one_subject_use_one_key(pool: asyncpg.Pool) -> None:
    vault, store = vault_store(pool)
    subject = str(uuid.uuid4())
    first_id, second_id = id_number(), id_number()

    first = await record(store, worker(subject, first_id, phone()))
    second = await record(store, worker(subject, second_id, phone()))

    assert await keys_of(pool, subject) == 1
    nonces = {
        item["nonce"]
        for recorded in (first, second)
        for item in recorded.data["workers"][0].values()
    }
    assert len(nonces) == 4
    revealed = await vault.reveal_many([first.data, second.data])
    assert [r["workers"][0]["id_number"]["value"] for r in revealed] == [
        first_id,
        second_id,
    ]


async def test_the_hash_chain_covers_the_ciphertext(pool: asyncpg.Pool) -> None:
    _, store = vault_store(pool)
    recorded = await record(store, worker(str(uuid.uuid4()), id_number(), phone()))
    altered = {
        **recorded.data,
        "workers": [
            {
                **recorded.data["workers"][0],
                "phone": {**recorded.data["workers"][0]["phone"], "ciphertext": "AAAA"},
            }
        ],
    }

    assert hash_of(recorded, recorded.data) == recorded.hash
    assert hash_of(recorded, altered) != recorded.hash


def hash_of(recorded: Recorded, data: dict[str, object]) -> str:
    return event_hash(
        event_id=str(recorded.event_id),
        stream_id=recorded.stream_id,
        version=recorded.version,
        event_type=recorded.event_type,
        schema_version=recorded.schema_version,
        recorded_at=recorded.recorded_at,
        data=data,
        actor=recorded.actor,
        actor_unit=recorded.actor_unit,
        correlation_id=recorded.correlation_id,
        causation_id=recorded.causation_id,
        prevhash=recorded.prevhash,
    )


async def test_reveal_many_reads_events_of_many_subjects_at_once(
    pool: asyncpg.Pool,
) -> None:
    vault, store = vault_store(pool)
    a, b = str(uuid.uuid4()), str(uuid.uuid4())
    a_id, b_id = id_number(), id_number()
    first = await record(store, worker(a, a_id, phone()))
    second = await record(store, worker(b, b_id, phone()))
    await vault.forget(b, "request")

    revealed = await vault.reveal_many([first.data, second.data])

    assert revealed[0]["workers"][0]["id_number"]["value"] == a_id
    assert revealed[1]["workers"][0]["id_number"]["is_forgotten"] is True
    assert first.data["workers"][0]["id_number"]["value"] is None


async def test_a_store_without_a_vault_refuses_clear_personal_data(
    pool: asyncpg.Pool,
) -> None:
    store = EventStore(pool)

    with pytest.raises(ValueError, match="no PersonalVault"):
        await record(store, worker(str(uuid.uuid4()), id_number(), phone()))


async def test_a_forget_waits_for_a_transaction_sealing_for_that_subject(
    pool: asyncpg.Pool,
) -> None:
    vault = PersonalVault(pool, KEYRING)
    subject = str(uuid.uuid4())
    data = worker(subject, id_number(), phone()).model_dump(mode="json")

    async with pool.acquire() as conn:
        async with conn.transaction():
            sealed = await vault.seal_event_data(conn, data)
            forgetting = asyncio.create_task(vault.forget(subject, "request"))
            await eventually(lambda: advisory_lock_awaited(pool))
        was_deleted = await forgetting

    assert was_deleted
    assert (await vault.reveal(sealed))["phone"]["is_forgotten"] is True


async def advisory_lock_awaited(pool: asyncpg.Pool) -> bool:
    return bool(
        await pool.fetchval(
            "SELECT count(*) > 0 FROM pg_locks l JOIN pg_database d"
            " ON d.oid = l.database WHERE d.datname = current_database()"
            " AND l.locktype = 'advisory' AND NOT l.granted"
        )
    )
