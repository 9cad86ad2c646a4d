"""Personal data that can be forgotten: each person's data in the events is sealed with
AES-256-GCM under that person's own key; forgetting the person deletes the key, so every
copy (events, projections, Kafka, exports) becomes unreadable while the hash chain, which
covers the ciphertext, still verifies (crypto-shredding, DESIGN §2). The keys are stored
wrapped by a key-encryption key held outside the database (`shared.key_wrapping`), so a
dump of the database decrypts nothing."""

from __future__ import annotations

import base64
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from os import urandom
from typing import cast

import asyncpg
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from shared.db import DbConnection
from shared.domain import JsonObject
from shared.errors import RuleViolated
from shared.key_wrapping import KeyWrapper

_KIND = "personal"
_NONCE_BYTES = 12
# Advisory locks in the two-key space (apart from the one-key locks of migrations and
# the relay): sealing and forgetting one subject wait for each other.
_SUBJECT_LOCKS = 7_346_101

_ID_NUMBER = re.compile(r"\d{17}[\dXx]")
_PHONE = re.compile(r"1\d{10}")
_BANK_CARD = re.compile(r"\d{12,19}")
_SEPARATORS = re.compile(r"[\s-]")


def mask(value: str) -> str:
    """Masks for readers who need not see it: an 18-character ID number keeps its first
    6 and last 4, a mobile phone its first 3 and last 4, a bank card its last 4, any
    other text its first character."""
    compact = _SEPARATORS.sub("", value)
    if _ID_NUMBER.fullmatch(compact):
        return _keep(compact, head=6, tail=4)
    if _PHONE.fullmatch(compact):
        return _keep(compact, head=3, tail=4)
    if _BANK_CARD.fullmatch(compact):
        return _keep(compact, head=0, tail=4)
    return _keep(value, head=1, tail=0)


def _keep(text: str, *, head: int, tail: int) -> str:
    hidden = max(len(text) - head - tail, 0)
    return text[:head] + "*" * hidden + text[head + hidden :]


def encrypt(key: bytes, subject: str, value: str) -> tuple[str, str]:
    """AES-256-GCM under a fresh random 12-byte nonce, bound to the subject (associated
    data); returns base64 ciphertext and nonce."""
    nonce = urandom(_NONCE_BYTES)
    sealed = AESGCM(key).encrypt(nonce, value.encode(), subject.encode())
    return base64.b64encode(sealed).decode(), base64.b64encode(nonce).decode()


def decrypt(key: bytes, subject: str, ciphertext: str, nonce: str) -> str:
    """The clear text of `encrypt`'s output; ValueError when it was altered or belongs
    to another subject."""
    try:
        clear = AESGCM(key).decrypt(
            base64.b64decode(nonce), base64.b64decode(ciphertext), subject.encode()
        )
    except InvalidTag as exc:
        raise ValueError(f"personal data of {subject} does not decrypt") from exc
    return clear.decode()


def contains_clear_text(data: JsonObject) -> bool:
    """Whether any personal-data item in the event data still carries its clear value."""
    return any(item.get("value") is not None for item in _items(data))


class PersonalVault:
    """Per-person keys in the service's own database (`personal_keys`), each wrapped by
    `wrapper`'s key-encryption key, and the people who were forgotten
    (`forgotten_subjects`)."""

    def __init__(self, pool: asyncpg.Pool, wrapper: KeyWrapper) -> None:
        self.pool = pool
        self.wrapper = wrapper

    async def seal_event_data(self, conn: DbConnection, data: JsonObject) -> JsonObject:
        """`seal_events` for one event's data."""
        return (await self.seal_events(conn, [data]))[0]

    async def seal_events(
        self, conn: DbConnection, datas: Sequence[JsonObject]
    ) -> list[JsonObject]:
        """Replaces each personal item's clear value (any depth) with its ciphertext
        under the subject's key, creating missing keys on `conn` (call it inside the
        transaction that writes the events); raises RuleViolated("subject-forgotten")
        for a forgotten subject. The input is not changed."""
        subjects = _subjects_with(datas, "value")
        keys = await self._sealing_keys(conn, subjects) if subjects else {}
        return [_map_items(data, lambda item: _sealed(item, keys)) for data in datas]

    async def reveal(self, data: JsonObject) -> JsonObject:
        """`reveal_many` for one event's data."""
        return (await self.reveal_many([data]))[0]

    async def reveal_many(self, datas: Sequence[JsonObject]) -> list[JsonObject]:
        """Fills each sealed item's `value` from its ciphertext, with the keys of all
        subjects fetched in one query; an item whose key was deleted keeps a null value
        and gets `"is_forgotten": true`. The input is not changed."""
        subjects = _subjects_with(datas, "ciphertext")
        keys = await self._keys(self.pool, subjects) if subjects else {}
        return [_map_items(data, lambda item: _revealed(item, keys)) for data in datas]

    async def forget(self, subject: str, reason: str) -> bool:
        """Deletes the subject's key and records the subject as forgotten, for good:
        its data can no longer be read nor sealed again. True if a key was deleted.
        `reason` is kept: it must not itself hold personal data."""
        async with self.pool.acquire() as conn, conn.transaction():
            await _lock_subjects(conn, [subject])
            await conn.execute(
                "INSERT INTO forgotten_subjects (subject, reason) VALUES ($1, $2)"
                " ON CONFLICT (subject) DO NOTHING",
                subject,
                reason,
            )
            deleted = await conn.fetchval(
                "DELETE FROM personal_keys WHERE subject = $1 RETURNING subject",
                subject,
            )
        return deleted is not None

    async def is_forgotten(self, subject: str) -> bool:
        """Whether the subject was forgotten."""
        return bool(
            await self.pool.fetchval(
                "SELECT EXISTS (SELECT 1 FROM forgotten_subjects WHERE subject = $1)",
                subject,
            )
        )

    async def _sealing_keys(
        self, conn: DbConnection, subjects: list[str]
    ) -> dict[str, bytes]:
        # Held until the writing transaction ends, so a key is never created for a
        # subject that `forget` is deleting, nor left behind after it.
        await _lock_subjects(conn, subjects)
        forgotten = await conn.fetchval(
            "SELECT subject FROM forgotten_subjects WHERE subject = ANY($1::text[])"
            " ORDER BY subject LIMIT 1",
            subjects,
        )
        if forgotten is not None:
            raise RuleViolated(
                "subject-forgotten",
                f"{forgotten} was forgotten: their personal data cannot be recorded",
            )
        known = await self._keys(conn, subjects)
        new = {
            s: AESGCM.generate_key(bit_length=256) for s in subjects if s not in known
        }
        if new:
            # Under the subjects' locks: nobody else inserts these rows meanwhile.
            await conn.execute(
                "INSERT INTO personal_keys (subject, wrapped, kek_id)"
                " SELECT s, w, $3 FROM unnest($1::text[], $2::bytea[]) AS k(s, w)",
                list(new),
                [self.wrapper.wrap(key, subject=s) for s, key in new.items()],
                self.wrapper.kek_id,
            )
        return known | new

    async def _keys(
        self, conn: DbConnection | asyncpg.Pool, subjects: list[str]
    ) -> dict[str, bytes]:
        rows = await conn.fetch(
            "SELECT subject, key, wrapped, kek_id FROM personal_keys"
            " WHERE subject = ANY($1::text[])",
            subjects,
        )
        return {r["subject"]: data_key(r, self.wrapper) for r in rows}


def data_key(row: asyncpg.Record, wrapper: KeyWrapper) -> bytes:
    """The data key of a `personal_keys` row: unwrapped, or as it is when a replica of
    an earlier version stored it in the clear (the next start-up wraps it)."""
    if row["key"] is not None:
        return bytes(row["key"])
    return wrapper.unwrap(
        bytes(row["wrapped"]), subject=row["subject"], kek_id=row["kek_id"]
    )


async def _lock_subjects(conn: DbConnection, subjects: Sequence[str]) -> None:
    # One statement, in key order, so two writers never wait for each other in a cycle.
    await conn.execute(
        "SELECT count(pg_advisory_xact_lock($1, k.h)) FROM"
        " (SELECT DISTINCT hashtext(s) AS h FROM unnest($2::text[]) AS s ORDER BY h) k",
        _SUBJECT_LOCKS,
        list(subjects),
    )


def _sealed(item: JsonObject, keys: Mapping[str, bytes]) -> JsonObject:
    value = item.get("value")
    if value is None:
        # Already sealed (copied from an earlier event): stored as it is, minus the
        # read-time mark.
        return {k: v for k, v in item.items() if k != "is_forgotten"}
    subject = _subject(item)
    ciphertext, nonce = encrypt(keys[subject], subject, str(value))
    return {
        "kind": _KIND,
        "subject": subject,
        "ciphertext": ciphertext,
        "nonce": nonce,
        "value": None,
    }


def _revealed(item: JsonObject, keys: Mapping[str, bytes]) -> JsonObject:
    ciphertext, nonce = item.get("ciphertext"), item.get("nonce")
    if ciphertext is None or nonce is None:
        return dict(item)
    subject = _subject(item)
    key = keys.get(subject)
    if key is None:
        return {**item, "value": None, "is_forgotten": True}
    return {**item, "value": decrypt(key, subject, ciphertext, nonce)}


def _subjects_with(datas: Sequence[JsonObject], field: str) -> list[str]:
    return sorted(
        {
            _subject(item)
            for data in datas
            for item in _items(data)
            if item.get(field) is not None
        }
    )


def _subject(item: JsonObject) -> str:
    subject = item.get("subject")
    if not isinstance(subject, str) or not subject:
        raise ValueError("a personal data item must name its subject")
    return subject


def _items(value: object) -> Iterator[JsonObject]:
    if isinstance(value, dict):
        if value.get("kind") == _KIND:
            yield value
            return
        for child in value.values():
            yield from _items(child)
    elif isinstance(value, list | tuple):
        for child in value:
            yield from _items(child)


def _map(value: object, change: Callable[[JsonObject], JsonObject]) -> object:
    if isinstance(value, dict):
        if value.get("kind") == _KIND:
            return change(value)
        return {k: _map(v, change) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_map(v, change) for v in value]
    return value


def _map_items(
    data: JsonObject, change: Callable[[JsonObject], JsonObject]
) -> JsonObject:
    return cast(JsonObject, _map(data, change))
