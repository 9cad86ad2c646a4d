"""What audit checks of each event and each seal as it arrives, from what it received
alone: pure functions of the message and what came before it (no I/O, no clock). The
byte layout they recompute is docs/log-format.md's."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import partial

from shared.chain import GENESIS, event_hash
from shared.envelope import Envelope
from shared.tree_head import Seal
from shared.trust import Jwks


class FindingKind(StrEnum):
    """What does not hold; the values are stored and published: add, never rename."""

    ALTERED = "altered"
    CHAIN_BROKEN = "chain-broken"
    MISSING = "missing"
    REORDERED = "reordered"
    CONFLICTING_EVENT = "conflicting-event"
    SEAL_INVALID = "seal-invalid"
    SEAL_ROOT = "seal-root"
    SEAL_GAP = "seal-gap"
    SEAL_INCONSISTENT = "seal-inconsistent"
    SEAL_FORK = "seal-fork"
    SEAL_ROLLBACK = "seal-rollback"
    KEY_SWAPPED = "key-swapped"
    UNREADABLE = "unreadable"
    # What one service published did not set off what it should elsewhere, in time.
    RECONCILIATION_GAP = "reconciliation-gap"
    # A projection's applied count or last hash is not its source's.
    PROJECTION_MISMATCH = "projection-mismatch"


@dataclass(frozen=True)
class Finding:
    """One thing that does not hold, and where."""

    kind: FindingKind
    detail: str
    stream_id: str | None = None
    version: int | None = None
    position: int | None = None
    sequence: int | None = None
    seal_no: int | None = None
    key_id: str | None = None


@dataclass(frozen=True)
class StreamHead:
    """The last event received of a stream: what the next one must chain to."""

    version: int
    hash: str


def recomputed_hash(event: Envelope) -> str:
    """The event's hash recomputed from its fields (docs/log-format.md "Event hash")."""
    return event_hash(
        event_id=event.id,
        stream_id=event.subject,
        version=event.streamversion,
        event_type=event.event_type,
        schema_version=event.schema_version,
        recorded_at=event.time,
        data=event.data,
        actor=event.actor,
        actor_unit=event.actorunit,
        correlation_id=event.correlationid,
        causation_id=event.causationid,
        prevhash=event.prevhash,
    )


def check_event(
    event: Envelope, head: StreamHead | None
) -> tuple[list[Finding], StreamHead | None]:
    """The event against its own hash and the head of its stream as received; returns
    what does not hold and the stream's new head (None: unchanged). A stream's events
    share a partition, so they arrive in version order unless someone reordered them."""
    at = partial(
        Finding,
        stream_id=event.subject,
        version=event.streamversion,
        position=event.position,
        sequence=event.sequence,
    )
    found: list[Finding] = []
    if recomputed_hash(event) != event.hash:
        found.append(at(FindingKind.ALTERED, "the event does not match its hash"))
    expected = 1 if head is None else head.version + 1
    if event.streamversion < expected:
        found.append(
            at(
                FindingKind.REORDERED,
                f"version {event.streamversion} came after version {expected - 1}",
            )
        )
        return found, None
    if event.streamversion > expected:
        found.append(
            at(
                FindingKind.MISSING,
                f"versions {expected}..{event.streamversion - 1} of the stream"
                " never came before this one",
            )
        )
    elif event.prevhash != (GENESIS if head is None else head.hash):
        found.append(
            at(
                FindingKind.CHAIN_BROKEN,
                "prevhash is not the hash of the event before it",
            )
        )
    return found, StreamHead(event.streamversion, event.hash)


def check_seal(
    seal: Seal, *, head: Seal | None, others: list[Seal], trust: Jwks
) -> tuple[list[Finding], Seal | None]:
    """A seal by itself (hash, signature by a pinned key), against the valid seals
    received with its number or tree size (`others`: a fork) and against the highest
    seal so far (`head`: a rollback, a gap, a chain or consistency proof that fails).
    Returns what does not hold and the new head (None: unchanged). A seal that does
    not hold by itself proves nothing, so it is neither a fork nor a new head."""
    at = partial(Finding, seal_no=seal.seal_no, key_id=seal.key_id)
    fault = seal.fault(trust, prev_seal_hash=None)
    if fault is not None:
        return [at(FindingKind.SEAL_INVALID, fault)], None
    found = [
        at(
            FindingKind.SEAL_FORK,
            f"two different seals for seal {seal.seal_no}"
            if other.seal_no == seal.seal_no
            else f"two different roots for a tree of {seal.tree_size} events",
        )
        for other in others
        if other.seal_hash != seal.seal_hash
        and (other.seal_no == seal.seal_no or other.root_hash != seal.root_hash)
    ]
    if head is None:
        if seal.seal_no != 1:
            found.append(_gap(seal, 0))
        return found, seal
    if seal.seal_no <= head.seal_no or seal.tree_size <= head.tree_size:
        found.append(
            at(
                FindingKind.SEAL_ROLLBACK,
                f"seal {seal.seal_no} (tree of {seal.tree_size}) came after seal"
                f" {head.seal_no} (tree of {head.tree_size}): the log went back",
            )
        )
        return found, None
    if seal.seal_no > head.seal_no + 1:
        found.append(_gap(seal, head.seal_no))
    elif seal.prev_seal_hash != head.seal_hash:
        found.append(
            at(
                FindingKind.SEAL_INCONSISTENT,
                "the seal does not chain to the seal before it",
            )
        )
    elif not seal.extends(head):
        found.append(
            at(
                FindingKind.SEAL_INCONSISTENT,
                "the consistency proof does not show the tree extends the seal before",
            )
        )
    return found, seal


def _gap(seal: Seal, last: int) -> Finding:
    return Finding(
        FindingKind.SEAL_GAP,
        f"seals {last + 1}..{seal.seal_no - 1} never came before seal {seal.seal_no}",
        seal_no=seal.seal_no,
        key_id=seal.key_id,
    )
