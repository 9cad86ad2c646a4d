"""Many inclusion proofs in one log at once: `shared.merkle.inclusion_proof`
recomputes every subtree a proof names, so a bundle of a thousand events in a log
of millions would hash the log a thousand times. Here each large subtree's root is
computed once and kept. Pure."""

from __future__ import annotations

from collections.abc import Sequence

from shared.merkle import node_hash, root_of

# Subtrees smaller than this are hashed again when needed rather than kept: a few
# hundred hashes cost less than keeping two entries per leaf of a large log.
_KEPT_FROM = 256


def _split(size: int) -> int:
    """The largest power of two smaller than `size` (RFC 9162 §2.1)."""
    return 1 << ((size - 1).bit_length() - 1)


class ProofTree:
    """The leaf hashes of a log's prefix, answering audit paths of any tree size up
    to theirs."""

    def __init__(self, leaves: Sequence[bytes]) -> None:
        self._leaves = leaves
        self._kept: dict[tuple[int, int], bytes] = {}

    def root(self, lo: int, hi: int) -> bytes:
        """MTH of leaves [lo, hi)."""
        if hi - lo < _KEPT_FROM:
            return root_of(self._leaves[lo:hi])
        kept = self._kept.get((lo, hi))
        if kept is None:
            k = _split(hi - lo)
            kept = node_hash(self.root(lo, lo + k), self.root(lo + k, hi))
            self._kept[(lo, hi)] = kept
        return kept

    def path(self, index: int, size: int) -> list[bytes]:
        """PATH(index, D[size]) of RFC 9162 §2.1.3.1, from the leaf upwards."""
        if not 0 <= index < size <= len(self._leaves):
            raise ValueError("the leaf index is outside the tree")
        lo, hi, downwards = 0, size, []
        while hi - lo > 1:
            k = _split(hi - lo)
            if index < lo + k:
                downwards.append(self.root(lo + k, hi))
                hi = lo + k
            else:
                downwards.append(self.root(lo, lo + k))
                lo += k
        return downwards[::-1]
