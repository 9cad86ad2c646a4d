"""The vault a service starts with: keys wrapped by `PERSONAL_DATA_KEK`, and any key
still stored in the clear (before envelope encryption) or under a retired KEK (after a
rotation) wrapped again with the current one, once, at start-up."""

from __future__ import annotations

import asyncpg
import structlog

from shared.key_wrapping import Keyring, KeyWrapper
from shared.personal_data import PersonalVault, data_key
from shared.settings import ServiceSettings

log = structlog.get_logger()


def keyring_of(settings: ServiceSettings) -> Keyring:
    """The KEKs the settings name; ValueError when `PERSONAL_DATA_KEK` is missing."""
    if settings.personal_data_kek is None:
        raise ValueError("PERSONAL_DATA_KEK is required")
    retired = settings.personal_data_kek_retired
    return Keyring.from_settings(
        settings.personal_data_kek.get_secret_value(),
        retired.get_secret_value() if retired else "",
    )


async def open_vault(pool: asyncpg.Pool, keyring: Keyring) -> PersonalVault:
    """The service's vault, after `rewrap_keys` with its keyring."""
    rewrapped = await rewrap_keys(pool, keyring)
    if rewrapped:
        log.info("personal_keys_rewrapped", keys=rewrapped, kek_id=keyring.kek_id)
    return PersonalVault(pool, keyring)


async def rewrap_keys(
    pool: asyncpg.Pool, wrapper: KeyWrapper, *, batch: int = 500
) -> int:
    """Wraps every key stored in the clear or wrapped by another KEK than `wrapper`'s
    current one with the current one; returns how many. A key wrapped by a KEK that is
    no longer configured stops it with ValueError naming that KEK's id."""
    done = 0
    while count := await _rewrap_batch(pool, wrapper, batch):
        done += count
    return done


async def _rewrap_batch(pool: asyncpg.Pool, wrapper: KeyWrapper, batch: int) -> int:
    # SKIP LOCKED: replicas starting together share the work instead of waiting.
    async with pool.acquire() as conn, conn.transaction():
        rows = await conn.fetch(
            "SELECT subject, key, wrapped, kek_id FROM personal_keys"
            " WHERE kek_id IS DISTINCT FROM $1 ORDER BY subject LIMIT $2"
            " FOR UPDATE SKIP LOCKED",
            wrapper.kek_id,
            batch,
        )
        for row in rows:
            subject = row["subject"]
            await conn.execute(
                "UPDATE personal_keys SET key = NULL, wrapped = $2, kek_id = $3"
                " WHERE subject = $1",
                subject,
                wrapper.wrap(data_key(row, wrapper), subject=subject),
                wrapper.kek_id,
            )
    return len(rows)
