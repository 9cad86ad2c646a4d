"""Seals: signed tree heads over the Merkle tree of the published order."""

from __future__ import annotations

from datetime import UTC, datetime

import asyncpg

from shared.chain import GENESIS, Signer, sha256_hex
from shared.db import DbConnection
from shared.merkle import Frontier, extension_proof
from shared.tree_head import event_leaf, tree_head_bytes


class Sealer:
    """Seals the published order a block at a time (or what waits once the interval
    has passed): each seal a signed tree head over every event so far, chained to the
    seal before it."""

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
        public = self.signer.public_pem()
        await (self.pool if db is None else db).execute(
            "INSERT INTO seal_keys (key_id, algorithm, public_key) VALUES ($1, $2, $3)"
            " ON CONFLICT (key_id) DO NOTHING",
            self.signer.key_id,
            self.signer.algorithm,
            public,
        )

    async def seal_once(self, db: DbConnection | None = None) -> int:
        """Seal full blocks, or a partial one once the interval has passed, on `db` (the
        leader's connection) or the pool; returns seals made. Each seal is a signed
        tree head over events 1..tree_size, chained to the seal before it."""
        on = self.pool if db is None else db
        made = 0
        while True:
            last = await on.fetchrow(
                "SELECT seal_no, tree_size, seal_hash, frontier FROM seals"
                " ORDER BY seal_no DESC LIMIT 1"
            )
            after = last["tree_size"] if last else 0
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
            frontier = (
                Frontier.from_bytes(after, bytes(last["frontier"]))
                if last
                else Frontier()
            )
            proof = await self._extend(on, frontier, after)
            if frontier.size == after:
                # The next event of the published order is not there to seal.
                return made
            await self._insert(
                on,
                frontier,
                proof=proof,
                seal_no=(last["seal_no"] if last else 0) + 1,
                prev=last["seal_hash"] if last else GENESIS,
                now=now,
            )
            made += 1

    async def _extend(
        self, on: asyncpg.Pool | DbConnection, frontier: Frontier, after: int
    ) -> list[bytes]:
        """Append the next block's leaves; returns the consistency proof from the tree
        as it was to the tree as it is now."""
        rows = await on.fetch(
            "SELECT s.sequence, e.hash FROM event_sequence s"
            " JOIN events e ON e.position = s.position WHERE s.sequence > $1"
            " ORDER BY s.sequence LIMIT $2",
            after,
            self.block_size,
        )
        leaves: list[bytes] = []
        for row in rows:
            # Leaf i of the tree is event i of the published order: never past a gap.
            if row["sequence"] != after + len(leaves) + 1:
                break
            leaves.append(event_leaf(row["hash"]))
        proof = extension_proof(frontier, leaves)
        for leaf in leaves:
            frontier.append(leaf)
        return proof

    async def _insert(
        self,
        on: asyncpg.Pool | DbConnection,
        frontier: Frontier,
        *,
        proof: list[bytes],
        seal_no: int,
        prev: str,
        now: datetime,
    ) -> None:
        root = frontier.root().hex()
        head = tree_head_bytes(
            seal_no=seal_no,
            tree_size=frontier.size,
            root_hash=root,
            prev_seal_hash=prev,
            sealed_at=now,
            key_id=self.signer.key_id,
        )
        await on.execute(
            "INSERT INTO seals (seal_no, tree_size, root_hash, prev_seal_hash,"
            " sealed_at, key_id, algorithm, seal_hash, signature, frontier, consistency)"
            " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
            seal_no,
            frontier.size,
            root,
            prev,
            now,
            self.signer.key_id,
            self.signer.algorithm,
            sha256_hex(head),
            self.signer.sign(head),
            frontier.to_bytes(),
            b"".join(proof),
        )
        self._last_seal_at = now
