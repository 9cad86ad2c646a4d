"""The Merkle tree of RFC 9162 §2.1: roots, inclusion and consistency proofs, checked
against the reference vectors the Certificate Transparency implementations share
(leaves "", 00, 10, 2021, 3031, 40414243, 5051525354555657, 606162…6f) and by
properties over every leaf and size."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shared.merkle import (
    EMPTY_ROOT,
    Frontier,
    consistency_proof,
    extension_proof,
    inclusion_proof,
    leaf_hash,
    root_of,
    verify_consistency,
    verify_inclusion,
)

LEAF_INPUTS = [
    bytes.fromhex(h)
    for h in (
        "",
        "00",
        "10",
        "2021",
        "3031",
        "40414243",
        "5051525354555657",
        "606162636465666768696a6b6c6d6e6f",
    )
]
LEAVES = [leaf_hash(data) for data in LEAF_INPUTS]
# Root of the tree of the first n leaves, n = 1..8 (the reference vectors).
ROOTS = [
    bytes.fromhex(h)
    for h in (
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    )
]


def hashes(*hex_values: str) -> list[bytes]:
    return [bytes.fromhex(h) for h in hex_values]


def test_the_empty_tree_is_the_hash_of_nothing() -> None:
    assert root_of([]) == EMPTY_ROOT == hashlib.sha256(b"").digest()


@pytest.mark.parametrize("size", range(1, 9))
def test_roots_match_the_reference_vectors(size: int) -> None:
    assert root_of(LEAVES[:size]) == ROOTS[size - 1]


@pytest.mark.parametrize(
    ("index", "size", "proof"),
    [
        (0, 1, []),
        (
            0,
            8,
            hashes(
                "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
            ),
        ),
        (
            5,
            8,
            hashes(
                "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
                "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            ),
        ),
        (
            2,
            3,
            hashes("fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"),
        ),
        (
            1,
            5,
            hashes(
                "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            ),
        ),
    ],
)
def test_inclusion_proofs_match_the_reference_vectors(
    index: int, size: int, proof: list[bytes]
) -> None:
    made = inclusion_proof(LEAVES[:size], index)

    assert made == proof
    assert verify_inclusion(
        index=index, size=size, leaf=LEAVES[index], proof=proof, root=ROOTS[size - 1]
    )


@pytest.mark.parametrize(
    ("old", "new", "proof"),
    [
        (1, 1, []),
        (
            1,
            8,
            hashes(
                "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
            ),
        ),
        (
            6,
            8,
            hashes(
                "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            ),
        ),
        (
            2,
            5,
            hashes(
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            ),
        ),
        (
            6,
            7,
            hashes(
                "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
                "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            ),
        ),
    ],
)
def test_consistency_proofs_match_the_reference_vectors(
    old: int, new: int, proof: list[bytes]
) -> None:
    made = consistency_proof(LEAVES[:new], old)

    assert made == proof
    assert verify_consistency(
        old_size=old,
        new_size=new,
        old_root=ROOTS[old - 1],
        new_root=ROOTS[new - 1],
        proof=proof,
    )


# Distinct leaves: with two equal ones a proof for one index rightly holds for the other.
leaf_lists = st.lists(
    st.binary(min_size=32, max_size=32), min_size=1, max_size=70, unique=True
)


@given(leaf_lists)
def test_every_inclusion_proof_verifies_for_every_leaf(leaves: list[bytes]) -> None:
    root = root_of(leaves)

    for index, leaf in enumerate(leaves):
        proof = inclusion_proof(leaves, index)
        assert verify_inclusion(
            index=index, size=len(leaves), leaf=leaf, proof=proof, root=root
        )


@given(leaf_lists, st.data())
def test_a_changed_leaf_or_index_fails_its_inclusion_proof(
    leaves: list[bytes], data: st.DataObject
) -> None:
    index = data.draw(st.integers(0, len(leaves) - 1))
    root = root_of(leaves)
    proof = inclusion_proof(leaves, index)
    changed = bytes([leaves[index][0] ^ 1]) + leaves[index][1:]

    assert not verify_inclusion(
        index=index, size=len(leaves), leaf=changed, proof=proof, root=root
    )
    if len(leaves) > 1:
        other = (index + 1) % len(leaves)
        assert not verify_inclusion(
            index=other, size=len(leaves), leaf=leaves[index], proof=proof, root=root
        )


@given(leaf_lists)
def test_every_earlier_tree_is_consistent_with_every_later_one(
    leaves: list[bytes],
) -> None:
    roots = [root_of(leaves[:size]) for size in range(len(leaves) + 1)]

    for new in range(len(leaves) + 1):
        for old in range(new + 1):
            proof = consistency_proof(leaves[:new], old)
            assert verify_consistency(
                old_size=old,
                new_size=new,
                old_root=roots[old],
                new_root=roots[new],
                proof=proof,
            ), (old, new)


@given(leaf_lists, st.data())
def test_a_changed_leaf_in_the_old_tree_fails_consistency(
    leaves: list[bytes], data: st.DataObject
) -> None:
    new = len(leaves)
    old = data.draw(st.integers(1, new))
    changed_at = data.draw(st.integers(0, old - 1))
    forked = list(leaves)
    forked[changed_at] = bytes([forked[changed_at][0] ^ 1]) + forked[changed_at][1:]
    proof = consistency_proof(leaves, old)

    assert not verify_consistency(
        old_size=old,
        new_size=new,
        old_root=root_of(forked[:old]),
        new_root=root_of(leaves),
        proof=proof,
    )


@given(leaf_lists, st.data())
def test_a_frontier_saved_and_loaded_grows_to_the_same_root(
    leaves: list[bytes], data: st.DataObject
) -> None:
    cut = data.draw(st.integers(0, len(leaves)))
    first = Frontier()
    for leaf in leaves[:cut]:
        first.append(leaf)

    loaded = Frontier.from_bytes(cut, first.to_bytes())
    for leaf in leaves[cut:]:
        loaded.append(leaf)

    assert loaded.root() == root_of(leaves)
    assert len(first.to_bytes()) == 32 * cut.bit_count()


def test_a_frontier_of_the_wrong_length_is_refused() -> None:
    with pytest.raises(ValueError, match="frontier"):
        Frontier.from_bytes(3, b"\x00" * 32)


@given(leaf_lists, st.data())
def test_a_proof_from_the_old_frontier_and_the_new_leaves_is_the_full_proof(
    leaves: list[bytes], data: st.DataObject
) -> None:
    old = data.draw(st.integers(0, len(leaves)))
    frontier = Frontier()
    for leaf in leaves[:old]:
        frontier.append(leaf)

    assert extension_proof(frontier, leaves[old:]) == consistency_proof(leaves, old)
