"""Seals: signed tree heads over the Merkle tree of the published order, chained to
the seal before them. The exact bytes are in docs/log-format.md "Seals"; this module
is the one place that makes them. Pure: no I/O, no clock."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from shared.chain import sha256_hex, timestamp
from shared.merkle import EMPTY_ROOT, leaf_hash, verify_consistency
from shared.trust import Jwks

# A signature over a seal can never pass for one over anything else the service signs
# (writer tags use their own context line).
SEAL_CONTEXT = b"qingqian/seal/v1\n"

_HEX64 = "^[0-9a-f]{64}$"


def event_leaf(event_hash: str) -> bytes:
    """The leaf hash of an event: SHA-256(0x00 || the 32 bytes its hex hash spells).
    A stored hash that is not 64 hex digits (tampered with) hashes as its UTF-8 text,
    so the tree still differs from the sealed one."""
    if len(event_hash) == 64:
        try:
            raw = bytes.fromhex(event_hash)
        except ValueError:
            raw = b""
        # fromhex skips spaces: 64 characters give 32 bytes only if all are digits.
        if len(raw) == 32:
            return leaf_hash(raw)
    return leaf_hash(event_hash.encode())


def tree_head_bytes(
    *,
    seal_no: int,
    tree_size: int,
    root_hash: str,
    prev_seal_hash: str,
    sealed_at: datetime,
    key_id: str,
) -> bytes:
    """What a seal signs and its hash covers: the context line, then the tree head as
    JSON with sorted keys and no spaces (RFC 8785 for these ASCII-only fields)."""
    head = {
        "key_id": key_id,
        "prev_seal_hash": prev_seal_hash,
        "root_hash": root_hash,
        "seal_no": seal_no,
        "sealed_at": timestamp(sealed_at),
        "tree_size": tree_size,
    }
    return SEAL_CONTEXT + json.dumps(
        head, sort_keys=True, separators=(",", ":"), ensure_ascii=True
    ).encode("ascii")


class Seal(BaseModel):
    """A signed tree head: the root of the tree over events 1..tree_size of the
    published order, chained to the previous seal by its hash (the first to 64 zeros).
    The body of a message on `qingqian.<service>.seals` and a row of `seals`."""

    model_config = ConfigDict(frozen=True, extra="ignore")
    seal_no: int = Field(ge=1)
    tree_size: int = Field(ge=1)
    root_hash: str = Field(pattern=_HEX64)
    prev_seal_hash: str = Field(pattern=_HEX64)
    sealed_at: datetime
    key_id: str
    algorithm: str = "Ed25519"
    seal_hash: str = Field(pattern=_HEX64)
    signature: str
    # Not signed: it proves itself against the two signed roots.
    consistency: tuple[Annotated[str, Field(pattern=_HEX64)], ...] = ()

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> Seal:
        """A seal from its row in `seals` (the proof stored as 32-byte hashes)."""
        return cls.model_validate(
            {**row, "consistency": split_hashes(row["consistency"])}
        )

    def signed_bytes(self) -> bytes:
        """The bytes the signature and `seal_hash` cover."""
        return tree_head_bytes(
            seal_no=self.seal_no,
            tree_size=self.tree_size,
            root_hash=self.root_hash,
            prev_seal_hash=self.prev_seal_hash,
            sealed_at=self.sealed_at,
            key_id=self.key_id,
        )

    def fault(self, trust: Jwks, *, prev_seal_hash: str | None) -> str | None:
        """Why the seal does not hold by itself — its hash, its chain to the seal
        before (when given) or its signature by a pinned key in force when it was
        made — or None when it holds."""
        if sha256_hex(self.signed_bytes()) != self.seal_hash:
            return "the seal's hash does not match its fields"
        if prev_seal_hash is not None and self.prev_seal_hash != prev_seal_hash:
            return "the seal does not chain to the seal before it"
        key = trust.find(self.key_id)
        if key is None:
            return f"signed with key {self.key_id}, which the pinned keys do not hold"
        if not key.covers(self.sealed_at):
            return f"key {self.key_id} was not in force when the seal was made"
        if not key.verifier().verify(self.signed_bytes(), self.signature):
            return "the signature does not verify with the pinned key"
        return None

    def extends(self, before: Seal | None) -> bool:
        """Whether the seal's consistency proof shows its tree extends the tree of
        `before` (the seal numbered one less; None for the first seal)."""
        return verify_consistency(
            old_size=0 if before is None else before.tree_size,
            new_size=self.tree_size,
            old_root=EMPTY_ROOT if before is None else bytes.fromhex(before.root_hash),
            new_root=bytes.fromhex(self.root_hash),
            proof=[bytes.fromhex(h) for h in self.consistency],
        )


def split_hashes(stored: bytes | Sequence[str]) -> list[str]:
    """Hex hashes from 32-byte hashes joined (as stored), or as they are."""
    if isinstance(stored, bytes | bytearray | memoryview):
        raw = bytes(stored)
        return [raw[i : i + 32].hex() for i in range(0, len(raw), 32)]
    return list(stored)


def seal_message(row: Mapping[str, Any], *, source: str) -> bytes:
    """The message a seal is published as: its fields as JSON, `sealed_at` in the very
    text it signs, and the log's `source`."""
    body = {k: v for k, v in row.items() if k != "frontier"}
    body["sealed_at"] = timestamp(row["sealed_at"])
    body["consistency"] = split_hashes(row["consistency"])
    body["source"] = source
    return json.dumps(body).encode()
