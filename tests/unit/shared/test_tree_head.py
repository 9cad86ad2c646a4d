"""Seals as signed tree heads: their bytes, their proofs, and what the seals published
outside the database show by themselves."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from shared.anchors import parse_seal
from shared.chain import GENESIS, Ed25519Signer, new_private_key_pem, sha256_hex
from shared.merkle import consistency_proof, leaf_hash, root_of
from shared.seal_check import PublishedTree, check_anchors, check_chain
from shared.tree_head import Seal, event_leaf, seal_message, tree_head_bytes
from shared.trust import Jwks

SIGNER = Ed25519Signer.from_pem(new_private_key_pem())
TRUST = Jwks.of_signers(SIGNER)
LEAVES = [leaf_hash(bytes([i]) * 32) for i in range(12)]
START = datetime(2026, 12, 6, 9, 30, tzinfo=UTC)


def seals_over(leaves: list[bytes], sizes: list[int]) -> list[Seal]:
    """Seals over `leaves` at each size, chained and signed as the relay makes them."""
    made: list[Seal] = []
    for number, size in enumerate(sizes, start=1):
        before = made[-1] if made else None
        fields = {
            "seal_no": number,
            "tree_size": size,
            "root_hash": root_of(leaves[:size]).hex(),
            "prev_seal_hash": before.seal_hash if before else GENESIS,
            "sealed_at": START + timedelta(seconds=number),
            "key_id": SIGNER.key_id,
        }
        head = tree_head_bytes(**fields)  # type: ignore[arg-type]  # the fields above
        made.append(
            Seal.model_validate(
                {
                    **fields,
                    "seal_hash": sha256_hex(head),
                    "signature": SIGNER.sign(head),
                    "consistency": [
                        p.hex()
                        for p in consistency_proof(
                            leaves[:size], before.tree_size if before else 0
                        )
                    ],
                }
            )
        )
    return made


def tree_of(leaves: list[bytes], sizes: list[int]) -> PublishedTree:
    return PublishedTree(
        length=len(leaves),
        roots={s: root_of(leaves[:s]).hex() for s in sizes if s <= len(leaves)},
    )


def resigned(seal: Seal, **changes: object) -> Seal:
    draft = seal.model_copy(update=changes)
    head = draft.signed_bytes()
    return draft.model_copy(
        update={"seal_hash": sha256_hex(head), "signature": SIGNER.sign(head)}
    )


def test_the_signed_bytes_are_the_context_line_and_sorted_compact_json() -> None:
    head = tree_head_bytes(
        seal_no=1,
        tree_size=4,
        root_hash="ab" * 32,
        prev_seal_hash=GENESIS,
        sealed_at=datetime(2026, 12, 6, 9, 30, 5, 123, tzinfo=UTC),
        key_id="ed25519:0011",
    )

    assert head == (
        b'qingqian/seal/v1\n{"key_id":"ed25519:0011","prev_seal_hash":"'
        + GENESIS.encode()
        + b'","root_hash":"'
        + b"ab" * 32
        + b'","seal_no":1,"sealed_at":"2026-12-06T09:30:05.000123+00:00",'
        b'"tree_size":4}'
    )


def test_a_published_seal_reads_back_as_the_seal_it_was() -> None:
    seal = seals_over(LEAVES, [4, 8])[1]

    message = seal_message(seal.model_dump(), source="/qingqian/test/test")
    read = parse_seal(message)

    assert read == seal
    assert read is not None
    assert read.fault(TRUST, prev_seal_hash=seal.prev_seal_hash) is None


def test_a_seal_over_a_block_or_junk_is_no_tree_head() -> None:
    assert parse_seal(b'{"seal_no": 1, "first_sequence": 1, "block_hash": "x"}') is None
    assert parse_seal(b"not json") is None
    assert parse_seal(b'{"tree_size": "many"}') is None


def test_each_seal_proves_it_extends_the_one_before() -> None:
    seals = seals_over(LEAVES, [4, 7, 12])

    assert [s.extends(b) for s, b in zip(seals, [None, *seals[:-1]], strict=True)] == [
        True,
        True,
        True,
    ]
    assert not seals[2].extends(seals[0])


def test_seals_published_over_a_rewritten_history_fail_their_proof_alone() -> None:
    honest = seals_over(LEAVES, [4, 8])
    rewritten = [*LEAVES[:2], leaf_hash(b"forged"), *LEAVES[3:]]
    later = resigned(
        seals_over(rewritten, [4, 8, 12])[2], prev_seal_hash=honest[1].seal_hash
    )

    found = check_anchors(
        [*honest, later], honest, tree_of(LEAVES[:8], [4, 8, 12]), TRUST
    )

    assert [(f.kind, f.seal) for f in found] == [
        ("seal-inconsistent", 3),
        ("seal-missing", 3),
        ("missing-tail", 3),
    ]


def test_the_database_cut_short_of_a_published_seal_is_a_missing_tail() -> None:
    seals = seals_over(LEAVES, [4, 8, 12])

    found = check_anchors(seals, seals[:2], tree_of(LEAVES[:8], [4, 8, 12]), TRUST)

    assert [(f.kind, f.seal, f.sequence) for f in found] == [
        ("seal-missing", 3, None),
        ("missing-tail", 3, 9),
    ]


def test_an_untouched_database_agrees_with_every_anchor() -> None:
    seals = seals_over(LEAVES, [4, 8, 12])

    assert check_anchors(seals, seals, tree_of(LEAVES, [4, 8, 12]), TRUST) == []


def test_an_event_leaf_is_the_leaf_of_the_32_bytes_its_hash_spells() -> None:
    digest = bytes(range(32))

    assert event_leaf(digest.hex()) == leaf_hash(digest)
    assert event_leaf(digest.hex().upper()) == leaf_hash(digest)
    # Anything else (tampered with) hashes as its text, never as some other 32 bytes.
    for stored in ["", "not a hash", "zz" * 32, "ab" * 31, "ab" * 33, "ab " * 21 + "a"]:
        assert event_leaf(stored) == leaf_hash(stored.encode()), stored


def test_seals_that_hold_vouch_for_the_events_they_added() -> None:
    seals = seals_over(LEAVES, [4, 8, 12])
    tree = tree_of(LEAVES, [4, 8, 12])
    tree.roots[8] = "00" * 32  # the events 5..8 the database holds are not those sealed

    chain = check_chain(seals, tree, TRUST)

    assert [(f.kind, f.seal) for f in chain.findings] == [("seal-block", 2)]
    assert chain.held == [(1, 4), (9, 12)]
