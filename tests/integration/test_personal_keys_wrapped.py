"""Envelope encryption of personal data: what the database holds (the events and the
wrapped keys) decrypts nothing without the key-encryption key kept outside it; clear
keys of earlier versions and keys under a retired KEK are wrapped again at start-up;
forgetting still deletes the key."""

from __future__ import annotations

import base64
import uuid

import asyncpg
import pytest
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from shared.domain import JsonObject, Personal
from shared.key_rotation import open_vault, rewrap_keys
from shared.key_wrapping import Kek, Keyring
from shared.personal_data import PersonalVault, encrypt

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]

ID_NUMBER = "11010519491231002X"


def worker_data(subject: str) -> JsonObject:
    item = Personal(subject=subject, value=ID_NUMBER).model_dump(mode="json")
    return {"workers": [{"id_number": item}]}


async def sealed(vault: PersonalVault, subject: str) -> JsonObject:
    async with vault.pool.acquire() as conn, conn.transaction():
        return await vault.seal_event_data(conn, worker_data(subject))


def decrypts_with(candidate: bytes, subject: str, item: JsonObject) -> bool:
    try:
        AESGCM(candidate).decrypt(
            base64.b64decode(str(item["nonce"])),
            base64.b64decode(str(item["ciphertext"])),
            subject.encode(),
        )
    except (InvalidTag, ValueError):
        return False
    return True


async def test_a_dump_of_the_keys_and_the_events_decrypts_nothing(
    pool: asyncpg.Pool,
) -> None:
    subject = str(uuid.uuid4())
    vault = PersonalVault(pool, Keyring(Kek.generate()))
    item = (await sealed(vault, subject))["workers"][0]["id_number"]

    row = await pool.fetchrow("SELECT * FROM personal_keys WHERE subject = $1", subject)

    assert row is not None
    assert row["key"] is None
    dumped = b"".join(bytes(v) for v in row.values() if isinstance(v, bytes))
    windows = {dumped[i : i + 32] for i in range(len(dumped) - 31)}
    assert not any(decrypts_with(w, subject, item) for w in windows)
    revealed = await vault.reveal({"item": item})
    assert revealed["item"]["value"] == ID_NUMBER


async def test_another_kek_reads_no_personal_data(pool: asyncpg.Pool) -> None:
    subject = str(uuid.uuid4())
    data = await sealed(PersonalVault(pool, Keyring(Kek.generate())), subject)

    with pytest.raises(ValueError, match="not configured"):
        await PersonalVault(pool, Keyring(Kek.generate())).reveal(data)


async def test_forgetting_deletes_the_wrapped_key(pool: asyncpg.Pool) -> None:
    subject = str(uuid.uuid4())
    vault = PersonalVault(pool, Keyring(Kek.generate()))
    data = await sealed(vault, subject)

    assert await vault.forget(subject, "request")

    left = await pool.fetchval(
        "SELECT count(*) FROM personal_keys WHERE subject = $1", subject
    )
    assert left == 0
    revealed = await vault.reveal(data)
    assert revealed["workers"][0]["id_number"]["is_forgotten"] is True


async def test_clear_keys_of_earlier_versions_are_wrapped_at_start_up(
    fresh_pool: asyncpg.Pool,
) -> None:
    subject = str(uuid.uuid4())
    clear_key = AESGCM.generate_key(bit_length=256)
    await fresh_pool.execute(
        "INSERT INTO personal_keys (subject, key) VALUES ($1, $2)", subject, clear_key
    )
    ciphertext, nonce = encrypt(clear_key, subject, ID_NUMBER)
    item = Personal(subject=subject, ciphertext=ciphertext, nonce=nonce)
    keyring = Keyring(Kek.generate())

    vault = await open_vault(fresh_pool, keyring)

    row = await fresh_pool.fetchrow(
        "SELECT key, wrapped, kek_id FROM personal_keys WHERE subject = $1", subject
    )
    assert row is not None
    assert row["key"] is None
    assert row["kek_id"] == keyring.kek_id
    assert clear_key not in bytes(row["wrapped"])
    revealed = await vault.reveal({"item": item.model_dump(mode="json")})
    assert revealed["item"]["value"] == ID_NUMBER


async def test_a_rotated_kek_wraps_every_key_again_and_the_old_one_is_then_unneeded(
    fresh_pool: asyncpg.Pool,
) -> None:
    old, new = Kek.generate(), Kek.generate()
    subjects = [str(uuid.uuid4()) for _ in range(3)]
    before = PersonalVault(fresh_pool, Keyring(old))
    datas = [await sealed(before, s) for s in subjects]

    rewrapped = await rewrap_keys(fresh_pool, Keyring(new, (old,)), batch=2)

    assert rewrapped == 3
    kek_ids = await fresh_pool.fetch("SELECT DISTINCT kek_id FROM personal_keys")
    assert [r["kek_id"] for r in kek_ids] == [new.kek_id]
    after = await PersonalVault(fresh_pool, Keyring(new)).reveal_many(datas)
    assert {d["workers"][0]["id_number"]["value"] for d in after} == {ID_NUMBER}
    assert await rewrap_keys(fresh_pool, Keyring(new)) == 0


async def test_a_clear_key_an_earlier_replica_stored_meanwhile_is_still_used(
    pool: asyncpg.Pool,
) -> None:
    subject = str(uuid.uuid4())
    clear_key = AESGCM.generate_key(bit_length=256)
    await pool.execute(
        "INSERT INTO personal_keys (subject, key) VALUES ($1, $2)", subject, clear_key
    )
    vault = PersonalVault(pool, Keyring(Kek.generate()))

    data = await sealed(vault, subject)

    item = data["workers"][0]["id_number"]
    assert decrypts_with(clear_key, subject, item)
    assert (await vault.reveal(data))["workers"][0]["id_number"]["value"] == ID_NUMBER
