"""What `verify` checks of the seals: every seal's tree head recomputed from the events
of the published order, its chain and its signature by a pinned key; and the database
against the seals published outside it (the anchors) — a missing tail, a seal that
disappeared, two seals for one seal number or tree size, a rewritten history."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from shared.chain import GENESIS
from shared.db import DbConnection
from shared.merkle import Frontier
from shared.tree_head import Seal, event_leaf
from shared.trust import Jwks

_PAGE = 20_000
_NOT_EXTENDED = (
    "the seal's consistency proof does not show its tree extends the seal before"
)


@dataclass(frozen=True)
class SealFinding:
    """One seal or anchor that does not hold (a `verify.Problem`'s fields)."""

    kind: str
    detail: str
    seal: int | None = None
    sequence: int | None = None
    position: int | None = None
    block_start: int | None = None


@dataclass
class PublishedTree:
    """The tree over the database's published order: its length, the root at each
    size asked for, and the position of each sequence asked for."""

    length: int = 0
    roots: dict[int, str] = field(default_factory=dict)
    positions: dict[int, int] = field(default_factory=dict)


async def read_tree(
    conn: DbConnection, sizes: Iterable[int], starts: Iterable[int]
) -> PublishedTree:
    """One pass over the published order: roots at `sizes`, positions at `starts`."""
    wanted = set(sizes)
    tree, frontier = PublishedTree(), Frontier()
    after = 0
    # Pages by sequence (its primary key), not one sorted cursor: no sort of the whole
    # order, and no round trip per few thousand rows.
    while rows := await conn.fetch(
        "SELECT s.sequence, e.hash FROM event_sequence s"
        " LEFT JOIN events e ON e.position = s.position"
        " WHERE s.sequence > $1 ORDER BY s.sequence LIMIT $2",
        after,
        _PAGE,
    ):
        for _, stored in rows:
            # A deleted event leaves a leaf no sealed tree had.
            frontier.append(event_leaf(stored or ""))
            if frontier.size in wanted:
                tree.roots[frontier.size] = frontier.root().hex()
        after = rows[-1][0]
    tree.length = frontier.size
    tree.positions = {
        r["sequence"]: r["position"]
        for r in await conn.fetch(
            "SELECT sequence, position FROM event_sequence WHERE sequence = ANY($1)",
            list(starts),
        )
    }
    return tree


@dataclass(frozen=True)
class ChainCheck:
    """What the stored seals show: what does not hold, and the ranges of the published
    order (first, last sequence) that seals which hold in every respect vouch for — a
    seal is made only over events whose writer tags the relay checked."""

    findings: list[SealFinding]
    held: list[tuple[int, int]]


def check_chain(seals: Sequence[Seal], tree: PublishedTree, trust: Jwks) -> ChainCheck:
    """Each stored seal: numbered from 1 without a gap, chained, signed by a pinned
    key, and its root the root of the published order up to its tree size."""
    found: list[SealFinding] = []
    held: list[tuple[int, int]] = []
    prev, prev_size = GENESIS, 0
    before: Seal | None = None
    for number, seal in enumerate(seals, start=1):
        found_before = len(found)
        where = {
            "seal": seal.seal_no,
            "sequence": prev_size + 1,
            "block_start": tree.positions.get(prev_size + 1),
        }
        if seal.seal_no != number or seal.tree_size <= prev_size:
            found.append(
                SealFinding(
                    "seal-range",
                    "seals are not numbered 1, 2, … over a growing tree",
                    **where,
                )
            )
        fault = seal.fault(trust, prev_seal_hash=prev)
        if fault is not None:
            found.append(SealFinding("seal-invalid", fault, **where))
        if seal.tree_size > tree.length:
            found.append(
                SealFinding(
                    "seal-range",
                    f"the seal covers {seal.tree_size} events, the published order"
                    f" has {tree.length}",
                    **where,
                )
            )
        elif tree.roots.get(seal.tree_size) != seal.root_hash:
            found.append(
                SealFinding(
                    "seal-block",
                    "events sealed since the seal before were altered, removed or"
                    " reordered: the tree's root differs",
                    **where,
                )
            )
        if not seal.extends(before):
            found.append(SealFinding("seal-inconsistent", _NOT_EXTENDED, **where))
        if len(found) == found_before:
            held.append((prev_size + 1, seal.tree_size))
        prev, prev_size, before = seal.seal_hash, seal.tree_size, seal
    return ChainCheck(found, held)


def check_anchors(
    anchors: Sequence[Seal], seals: Sequence[Seal], tree: PublishedTree, trust: Jwks
) -> list[SealFinding]:
    """The database against seals published outside it."""
    valid, found = _valid_anchors(anchors, trust)
    found += _forks_among(valid)
    found += _unextended(valid)
    stored = {s.seal_no: s for s in seals}
    for anchor in valid:
        mine = stored.get(anchor.seal_no)
        where = {"seal": anchor.seal_no}
        if mine is None:
            found.append(
                SealFinding(
                    "seal-missing",
                    f"seal {anchor.seal_no} (tree size {anchor.tree_size}) was"
                    " published but is not in the database",
                    **where,
                )
            )
        elif mine.seal_hash != anchor.seal_hash:
            found.append(
                SealFinding(
                    "seal-fork",
                    f"seal {anchor.seal_no} in the database differs from the one"
                    " published",
                    **where,
                )
            )
        if anchor.tree_size <= tree.length and (
            tree.roots.get(anchor.tree_size) != anchor.root_hash
        ):
            found.append(
                SealFinding(
                    "seal-inconsistent",
                    f"the published order up to {anchor.tree_size} is not the tree"
                    f" seal {anchor.seal_no} published: history was rewritten",
                    **where,
                )
            )
    found += _missing_tail(valid, tree)
    return found


def _valid_anchors(
    anchors: Sequence[Seal], trust: Jwks
) -> tuple[list[Seal], list[SealFinding]]:
    valid: dict[str, Seal] = {}
    found: list[SealFinding] = []
    for anchor in anchors:
        fault = anchor.fault(trust, prev_seal_hash=None)
        if fault is None:
            valid.setdefault(anchor.seal_hash, anchor)
        else:
            found.append(
                SealFinding(
                    "anchor-invalid",
                    f"a seal published as number {anchor.seal_no} does not hold"
                    f" ({fault}); it is not counted as an anchor",
                    seal=anchor.seal_no,
                )
            )
    return sorted(valid.values(), key=lambda s: (s.seal_no, s.seal_hash)), found


def _forks_among(anchors: Sequence[Seal]) -> list[SealFinding]:
    found: list[SealFinding] = []
    by_no: dict[int, Seal] = {}
    by_size: dict[int, Seal] = {}
    for anchor in anchors:
        for seen, key, what in (
            (by_no, anchor.seal_no, "seal number"),
            (by_size, anchor.tree_size, "tree size"),
        ):
            other = seen.setdefault(key, anchor)
            if other.seal_hash != anchor.seal_hash and (
                what == "seal number" or other.root_hash != anchor.root_hash
            ):
                found.append(
                    SealFinding(
                        "seal-fork",
                        f"two different seals were published for {what} {key}",
                        seal=anchor.seal_no,
                    )
                )
    return found


def _unextended(anchors: Sequence[Seal]) -> list[SealFinding]:
    """Published seals whose proof does not reach back to the published seal before:
    checkable from the seals alone, even where the database lost the events."""
    by_no: dict[int, list[Seal]] = {}
    for anchor in anchors:
        by_no.setdefault(anchor.seal_no, []).append(anchor)
    return [
        SealFinding("seal-inconsistent", _NOT_EXTENDED, seal=seal.seal_no)
        for seal in anchors
        if seal.seal_no - 1 in by_no
        and not any(seal.extends(before) for before in by_no[seal.seal_no - 1])
    ]


def _missing_tail(anchors: Sequence[Seal], tree: PublishedTree) -> list[SealFinding]:
    longest = max(anchors, key=lambda s: s.tree_size, default=None)
    if longest is None or longest.tree_size <= tree.length:
        return []
    return [
        SealFinding(
            "missing-tail",
            f"the published order ends at {tree.length}, but seal {longest.seal_no}"
            f" published a tree of {longest.tree_size} events: events"
            f" {tree.length + 1}..{longest.tree_size} are gone",
            seal=longest.seal_no,
            sequence=tree.length + 1,
        )
    ]
