"""What audit concludes of each event and seal as it arrives, from the messages alone."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

from services.audit.checks import (
    FindingKind,
    StreamHead,
    check_event,
    check_seal,
    recomputed_hash,
)
from services.audit.facts import uscc_in
from shared.business_date import business_date
from shared.chain import GENESIS, Ed25519Signer, sha256_hex
from shared.envelope import Envelope
from shared.merkle import consistency_proof, leaf_hash, root_of
from shared.tree_head import Seal, tree_head_bytes
from shared.trust import Jwks

SIGNER = Ed25519Signer.generate()
TRUST = Jwks.of_signers(SIGNER)
LEAVES = [leaf_hash(bytes([i]) * 32) for i in range(8)]


def event(version: int, prevhash: str, **data: Any) -> Envelope:
    body = {
        "id": str(uuid.uuid4()),
        "source": "/qingqian/test/cases",
        "type": "qingqian.cases.CaseReceived.v1",
        "subject": "case-2024-000001",
        "time": datetime(2024, 1, 2, 3, 4, 5, 6, tzinfo=UTC),
        "data": data,
        "streamversion": version,
        "position": version,
        "sequence": version,
        "actor": "tester",
        "actorunit": "rsj",
        "correlationid": "c",
        "hash": "",
        "prevhash": prevhash,
    }
    unsigned = Envelope.model_validate(body)
    return unsigned.model_copy(update={"hash": recomputed_hash(unsigned)})


def seal(
    seal_no: int, size: int, prev: Seal | None, *, signer: Ed25519Signer = SIGNER
) -> Seal:
    root = root_of(LEAVES[:size]).hex()
    prev_hash = GENESIS if prev is None else prev.seal_hash
    sealed_at = datetime.now(UTC)
    head = tree_head_bytes(
        seal_no=seal_no,
        tree_size=size,
        root_hash=root,
        prev_seal_hash=prev_hash,
        sealed_at=sealed_at,
        key_id=signer.key_id,
    )
    proof = [] if prev is None else consistency_proof(LEAVES[:size], prev.tree_size)
    return Seal(
        seal_no=seal_no,
        tree_size=size,
        root_hash=root,
        prev_seal_hash=prev_hash,
        sealed_at=sealed_at,
        key_id=signer.key_id,
        seal_hash=sha256_hex(head),
        signature=signer.sign(head),
        consistency=tuple(p.hex() for p in proof),
    )


def kinds(found: list[Any]) -> list[FindingKind]:
    return [f.kind for f in found]


def test_an_event_chained_to_its_stream_holds() -> None:
    first = event(1, GENESIS)

    found, head = check_event(event(2, first.hash), StreamHead(1, first.hash))

    assert found == []
    assert head is not None
    assert head.version == 2


def test_an_event_whose_data_changed_after_hashing_is_altered() -> None:
    genuine = event(1, GENESIS, amount="1.00")
    altered = genuine.model_copy(update={"data": {"amount": "1000.00"}})

    found, _ = check_event(altered, None)

    assert kinds(found) == [FindingKind.ALTERED]


def test_a_version_skipped_is_missing_and_one_come_late_is_reordered() -> None:
    first = event(1, GENESIS)
    second = event(2, first.hash)
    third = event(3, second.hash)

    skipped, head = check_event(third, StreamHead(1, first.hash))
    late, unchanged = check_event(second, head)

    assert kinds(skipped) == [FindingKind.MISSING]
    assert kinds(late) == [FindingKind.REORDERED]
    assert unchanged is None


def test_an_event_not_chained_to_the_one_before_breaks_the_chain() -> None:
    found, _ = check_event(event(2, "f" * 64), StreamHead(1, "e" * 64))

    assert kinds(found) == [FindingKind.CHAIN_BROKEN]


def test_seals_extending_each_other_hold() -> None:
    one = seal(1, 4, None)

    first, head = check_seal(one, head=None, others=[], trust=TRUST)
    second, _ = check_seal(seal(2, 6, one), head=head, others=[], trust=TRUST)

    assert first == second == []


def test_a_seal_by_a_key_not_pinned_is_invalid_and_moves_nothing() -> None:
    found, head = check_seal(
        seal(1, 4, None, signer=Ed25519Signer.generate()),
        head=None,
        others=[],
        trust=TRUST,
    )

    assert kinds(found) == [FindingKind.SEAL_INVALID]
    assert head is None


def test_a_second_seal_for_a_number_is_a_fork_and_a_rollback() -> None:
    one = seal(1, 4, None)
    two = seal(2, 6, one)
    again = seal(2, 5, one)

    found, head = check_seal(again, head=two, others=[two], trust=TRUST)

    assert kinds(found) == [FindingKind.SEAL_FORK, FindingKind.SEAL_ROLLBACK]
    assert head is None


def test_a_seal_number_skipped_is_a_gap() -> None:
    one = seal(1, 4, None)
    two = seal(2, 6, one)

    found, head = check_seal(seal(3, 8, two), head=one, others=[], trust=TRUST)

    assert kinds(found) == [FindingKind.SEAL_GAP]
    assert head is not None
    assert head.seal_no == 3


def test_a_seal_whose_proof_does_not_reach_the_seal_before_is_inconsistent() -> None:
    one = seal(1, 4, None)
    two = seal(2, 6, one).model_copy(update={"consistency": ("00" * 32,)})

    found, _ = check_seal(two, head=one, others=[], trust=TRUST)

    assert kinds(found) == [FindingKind.SEAL_INCONSISTENT]


def test_the_business_date_and_the_employer_come_from_the_data() -> None:
    data = {"accepted_on": "2024-01-05", "employer": {"uscc": "91350100M000100Y43"}}

    assert business_date(data) == date(2024, 1, 5)
    assert uscc_in(data) == "91350100M000100Y43"
    assert uscc_in({"employer_uscc": "91350100M000100Y43"}) == "91350100M000100Y43"
    assert business_date({"note": "x"}) is None
