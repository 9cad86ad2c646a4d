"""Seals: signed hashes over blocks of the published order."""

from __future__ import annotations

from datetime import UTC, datetime

import asyncpg

from shared.chain import GENESIS, Ed25519Signer, Signer, block_hash, seal_hash
from shared.db import DbConnection


class Sealer:
    """Seals full blocks of the published order, or a partial one once the interval
    has passed, each chained to the seal before it and signed."""

    def __init__(
        self,
        pool: asyncpg.Pool,
        signer: Signer,
        *,
        block_size: int,
        interval_seconds: float,
    ) -> None:
        self.pool = pool
        self.signer = signer
        self.block_size = block_size
        self.interval_seconds = interval_seconds
        self._last_seal_at = datetime.now(UTC)

    async def register_key(self, db: DbConnection | None = None) -> None:
        """Record the public key seals are signed with (for anyone who verifies)."""
        public = (
            self.signer.public_pem() if isinstance(self.signer, Ed25519Signer) else ""
        )
        await (self.pool if db is None else db).execute(
            "INSERT INTO seal_keys (key_id, algorithm, public_key) VALUES ($1, $2, $3)"
            " ON CONFLICT (key_id) DO NOTHING",
            self.signer.key_id,
            self.signer.algorithm,
            public,
        )

    async def seal_once(self, db: DbConnection | None = None) -> int:
        """Seal full blocks, or a partial one once the interval has passed, on `db` (the
        leader's connection) or the pool; returns seals made."""
        on = self.pool if db is None else db
        made = 0
        while True:
            last = await on.fetchrow(
                "SELECT seal_no, last_sequence, seal_hash FROM seals"
                " ORDER BY seal_no DESC LIMIT 1"
            )
            seal_no = (last["seal_no"] if last else 0) + 1
            after = last["last_sequence"] if last else 0
            prev = last["seal_hash"] if last else GENESIS
            now = datetime.now(UTC)
            is_due = (now - self._last_seal_at).total_seconds() >= self.interval_seconds
            # Sequences are contiguous: the highest one says how many wait for a seal,
            # without reading a block's rows on every turn only to find it not full.
            sequenced = await on.fetchval(
                "SELECT coalesce(max(sequence), 0) FROM event_sequence"
            )
            if sequenced <= after or (
                sequenced - after < self.block_size and not is_due
            ):
                return made
            rows = await on.fetch(
                "SELECT s.sequence, s.position, e.hash FROM event_sequence s"
                " JOIN events e ON e.position = s.position WHERE s.sequence > $1"
                " ORDER BY s.sequence LIMIT $2",
                after,
                self.block_size,
            )
            entries = [(r["sequence"], r["position"], r["hash"]) for r in rows]
            block = block_hash(entries)
            digest = seal_hash(
                seal_no=seal_no,
                first_sequence=entries[0][0],
                last_sequence=entries[-1][0],
                event_count=len(entries),
                block=block,
                prev_seal_hash=prev,
                sealed_at=now,
            )
            await on.execute(
                "INSERT INTO seals (seal_no, first_sequence, last_sequence, event_count,"
                " block_hash, prev_seal_hash, seal_hash, algorithm, key_id, signature,"
                " sealed_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
                seal_no,
                entries[0][0],
                entries[-1][0],
                len(entries),
                block,
                prev,
                digest,
                self.signer.algorithm,
                self.signer.key_id,
                self.signer.sign(digest.encode()),
                now,
            )
            self._last_seal_at = now
            made += 1
