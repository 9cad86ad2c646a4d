"""Witness co-signatures (RFC 9162 / transparency-log style): the audit service signs,
with its own key, each seal of a service it holds; whoever keeps a co-signature can
tell a log that went back below it — a database restored from an old backup, a topic
truncated — from one that only grew. The bytes signed are in docs/audit-api.md."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime

from pydantic import BaseModel, ConfigDict

from shared.chain import timestamp
from shared.seal_check import PublishedTree, SealFinding
from shared.tree_head import Seal
from shared.trust import Jwks

# A co-signature never passes for a seal or a writer tag made with the same key.
WITNESS_CONTEXT = b"qingqian/witness/v1\n"


def witness_bytes(*, service: str, seal_hash: str, witnessed_at: datetime) -> bytes:
    """What a co-signature signs: the context line, then the service, the seal's hash
    (which covers every signed field of the seal) and the time, as sorted compact
    JSON."""
    body = {
        "seal_hash": seal_hash,
        "service": service,
        "witnessed_at": timestamp(witnessed_at),
    }
    return WITNESS_CONTEXT + json.dumps(
        body, sort_keys=True, separators=(",", ":"), ensure_ascii=True
    ).encode("ascii")


class Witnessed(BaseModel):
    """A seal with the witness's co-signature, as `GET /witness/{service}` gives it."""

    model_config = ConfigDict(frozen=True, extra="ignore")
    service: str
    seal: Seal
    witnessed_at: datetime
    key_id: str
    signature: str

    def fault(self, witness_keys: Jwks) -> str | None:
        """Why the co-signature does not hold with the witness's pinned keys, or None."""
        key = witness_keys.find(self.key_id)
        if key is None:
            return (
                f"co-signed with key {self.key_id}, which the pinned keys do not hold"
            )
        signed = witness_bytes(
            service=self.service,
            seal_hash=self.seal.seal_hash,
            witnessed_at=self.witnessed_at,
        )
        if not key.covers(self.witnessed_at):
            return f"key {self.key_id} was not in force when it co-signed"
        if not key.verifier().verify(signed, self.signature):
            return "the co-signature does not verify with the witness's pinned key"
        return None


def check_witnessed(
    witnessed: Witnessed,
    *,
    witness_keys: Jwks,
    seals: Sequence[Seal],
    tree: PublishedTree,
    trust: Jwks,
) -> list[SealFinding]:
    """The database against a seal the witness co-signed: the co-signature and the
    seal hold, and the database still has that seal and the tree it sealed — a log
    below or beside it went back, whatever the topics now say."""
    seal = witnessed.seal
    where = {"seal": seal.seal_no}
    fault = witnessed.fault(witness_keys) or seal.fault(trust, prev_seal_hash=None)
    if fault is not None:
        return [
            SealFinding(
                "witness-invalid", f"witnessed seal {seal.seal_no}: {fault}", **where
            )
        ]
    named = (
        f"seal {seal.seal_no} (tree of {seal.tree_size} events), co-signed by the"
        f" witness at {timestamp(witnessed.witnessed_at)}"
    )
    if seal.tree_size > tree.length:
        return [
            SealFinding(
                "witnessed-rollback",
                f"the published order ends at {tree.length}, below {named}: the log"
                " went back",
                sequence=tree.length + 1,
                **where,
            )
        ]
    mine = next((s for s in seals if s.seal_no == seal.seal_no), None)
    if tree.roots.get(seal.tree_size) != seal.root_hash:
        return [
            SealFinding(
                "witnessed-differs",
                f"the published order is not the tree of {named}: history was rewritten",
                **where,
            )
        ]
    if mine is None or mine.seal_hash != seal.seal_hash:
        return [
            SealFinding(
                "witnessed-differs", f"the database does not hold {named}", **where
            )
        ]
    return []
