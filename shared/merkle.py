"""The Merkle tree of the published order, as RFC 9162 §2.1 defines it (the tree of
Certificate Transparency): leaf and node hashes, the root of a growing log kept as its
compact range, inclusion proofs (one event in a tree head) and consistency proofs (an
earlier tree head is a prefix of a later one). Pure: no I/O, no clock.

Every function takes LEAF HASHES (`leaf_hash(bytes)`), not leaf bytes, so a log keeps
32 bytes per leaf. The byte layout is written out in docs/log-format.md."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field

HASH_SIZE = 32
EMPTY_ROOT = hashlib.sha256(b"").digest()


def leaf_hash(data: bytes) -> bytes:
    """SHA-256(0x00 || data): the hash of one leaf (RFC 9162 §2.1.1)."""
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """SHA-256(0x01 || left || right): the hash of an inner node (RFC 9162 §2.1.1)."""
    return hashlib.sha256(b"\x01" + left + right).digest()


def _split(size: int) -> int:
    """The largest power of two smaller than `size` (size > 1): where RFC 9162 splits."""
    return 1 << ((size - 1).bit_length() - 1)


@dataclass
class Frontier:
    """The compact range of a growing tree: the roots of its perfect subtrees, left to
    right (one per bit set in `size`), from which the root of the whole tree follows
    without reading any earlier leaf again."""

    size: int = 0
    hashes: list[bytes] = field(default_factory=list)

    def append(self, leaf: bytes) -> None:
        """Add the next leaf hash."""
        carry, rest = leaf, self.size
        while rest & 1:
            carry = node_hash(self.hashes.pop(), carry)
            rest >>= 1
        self.hashes.append(carry)
        self.size += 1

    def root(self) -> bytes:
        """MTH of the leaves appended so far (RFC 9162 §2.1.1)."""
        if not self.hashes:
            return EMPTY_ROOT
        root = self.hashes[-1]
        for left in reversed(self.hashes[:-1]):
            root = node_hash(left, root)
        return root

    def nodes(self) -> dict[tuple[int, int], bytes]:
        """Each subtree root by the range of leaves [lo, hi) it covers."""
        found: dict[tuple[int, int], bytes] = {}
        lo = 0
        for bit, node in zip(
            (b for b in reversed(range(self.size.bit_length())) if self.size >> b & 1),
            self.hashes,
            strict=True,
        ):
            found[(lo, lo + (1 << bit))] = node
            lo += 1 << bit
        return found

    def to_bytes(self) -> bytes:
        """The subtree roots concatenated, left to right (32 bytes each)."""
        return b"".join(self.hashes)

    @classmethod
    def from_bytes(cls, size: int, data: bytes) -> Frontier:
        """The frontier of a tree of `size` leaves stored by `to_bytes`."""
        if size < 0 or len(data) != size.bit_count() * HASH_SIZE:
            raise ValueError("the stored frontier does not fit the tree size")
        hashes = [data[i : i + HASH_SIZE] for i in range(0, len(data), HASH_SIZE)]
        return cls(size=size, hashes=hashes)


def root_of(leaves: Sequence[bytes]) -> bytes:
    """MTH over leaf hashes."""
    frontier = Frontier()
    for leaf in leaves:
        frontier.append(leaf)
    return frontier.root()


def inclusion_proof(leaves: Sequence[bytes], index: int) -> list[bytes]:
    """PATH(index, D[n]) of RFC 9162 §2.1.3.1: the audit path of one leaf (0-based)."""
    if not 0 <= index < len(leaves):
        raise ValueError("the leaf index is outside the tree")
    return _path(leaves, index, 0, len(leaves))


def _path(leaves: Sequence[bytes], index: int, lo: int, hi: int) -> list[bytes]:
    if hi - lo == 1:
        return []
    k = _split(hi - lo)
    if index < k:
        return [*_path(leaves, index, lo, lo + k), root_of(leaves[lo + k : hi])]
    return [*_path(leaves, index - k, lo + k, hi), root_of(leaves[lo : lo + k])]


def consistency_proof(leaves: Sequence[bytes], old_size: int) -> list[bytes]:
    """PROOF(m, D[n]) of RFC 9162 §2.1.4.1: that the first `old_size` leaves' tree is a
    prefix of the tree of all `leaves`; empty when m is 0 or n."""
    if not 0 <= old_size <= len(leaves):
        raise ValueError("the old size is outside the tree")
    return [root_of(leaves[lo:hi]) for lo, hi in _proof_ranges(old_size, len(leaves))]


def extension_proof(old: Frontier, new_leaves: Sequence[bytes]) -> list[bytes]:
    """The same proof from the old tree's frontier and only the leaves appended since:
    every subtree the proof names lies wholly before `old.size` (then it is a node of
    the frontier) or wholly after it."""
    nodes = old.nodes()
    m = old.size
    return [
        nodes[(lo, hi)] if hi <= m else root_of(new_leaves[lo - m : hi - m])
        for lo, hi in _proof_ranges(m, m + len(new_leaves))
    ]


def _proof_ranges(m: int, n: int) -> list[tuple[int, int]]:
    """The leaf ranges [lo, hi) whose roots make PROOF(m, D[n]), in order."""
    if m in (0, n):
        return []
    return _subproof(m, 0, n, is_whole=True)


def _subproof(m: int, lo: int, hi: int, *, is_whole: bool) -> list[tuple[int, int]]:
    if m == hi - lo:
        return [] if is_whole else [(lo, hi)]
    k = _split(hi - lo)
    if m <= k:
        return [*_subproof(m, lo, lo + k, is_whole=is_whole), (lo + k, hi)]
    return [*_subproof(m - k, lo + k, hi, is_whole=False), (lo, lo + k)]


def verify_inclusion(
    *, index: int, size: int, leaf: bytes, proof: Sequence[bytes], root: bytes
) -> bool:
    """RFC 9162 §2.1.3.2: whether `proof` shows leaf hash `leaf` at `index` in the tree
    of `size` leaves whose root is `root`."""
    if not 0 <= index < size or any(len(p) != HASH_SIZE for p in proof):
        return False
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = node_hash(r, p)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and r == root


def verify_consistency(
    *,
    old_size: int,
    new_size: int,
    old_root: bytes,
    new_root: bytes,
    proof: Sequence[bytes],
) -> bool:
    """RFC 9162 §2.1.4.2: whether `proof` shows the tree of `old_size` leaves (root
    `old_root`) is a prefix of the tree of `new_size` leaves (root `new_root`)."""
    if not 0 <= old_size <= new_size or any(len(p) != HASH_SIZE for p in proof):
        return False
    if old_size == new_size:
        return not proof and old_root == new_root
    if old_size == 0:
        return not proof and old_root == EMPTY_ROOT
    if not proof:
        return False
    path = list(proof)
    if old_size & (old_size - 1) == 0:
        path.insert(0, old_root)
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            sr = node_hash(sr, c)
        fn, sn = fn >> 1, sn >> 1
    return fr == old_root and sr == new_root and sn == 0
